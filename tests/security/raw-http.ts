/**
 * Requests the fetch API will not send: a Host header of the caller's choosing, and a body that is
 * announced (Content-Length) but never finished, to see whether the service answers without
 * reading it.
 */
import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  body: any;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as the whole body (its length becomes Content-Length unless `contentLength` is given). */
  body?: string;
  /**
   * Announces a body of this many bytes and sends only `body` of it: the request never ends on its
   * own. Together with `rest`, the remainder is sent after `restAfterMs`.
   */
  contentLength?: number;
  /** The rest of an announced body, sent `restAfterMs` after the start (only with `contentLength`). */
  rest?: string;
  restAfterMs?: number;
  /** Rejects when no answer has come by then. @defaultValue 5000 */
  timeoutMs?: number;
}

/** Sends one request on its own connection and resolves with the answer, whether or not the body was all sent. */
export function rawRequest(base: string, r: RawRequest): Promise<RawResponse> {
  const url = new URL(base);
  const body = r.body ?? '';
  const headers: Record<string, string> = { connection: 'close', ...r.headers };
  if (r.body !== undefined || r.contentLength !== undefined) headers['content-length'] = String(r.contentLength ?? Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: r.method ?? 'GET', path: r.path, headers, agent: false });
    let restTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer to ${r.method ?? 'GET'} ${r.path} within ${r.timeoutMs ?? 5000} ms`));
    }, r.timeoutMs ?? 5000);
    const done = () => {
      clearTimeout(timer);
      clearTimeout(restTimer);
    };
    req.on('error', (err) => {
      done();
      reject(err);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        done();
        // The unfinished body is abandoned here: the answer is in.
        req.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
      });
    });
    req.flushHeaders();
    if (body) req.write(body);
    if (r.contentLength === undefined) req.end();
    else if (r.rest !== undefined) {
      const rest = r.rest;
      restTimer = setTimeout(() => req.end(rest), r.restAfterMs ?? 0);
    }
  });
}
