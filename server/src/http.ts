import http from 'node:http';
import net from 'node:net';
import express, { type Request, type Response, type NextFunction, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, ErrorCode, translateDatabaseError, validationError } from './errors';
import { GeometryInputError, parseFeature, type GeometryLimits } from './geo/geojson';

/** Parses `data` with a zod schema; a failure becomes one 400 naming every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  throw validationError(first ? `${first.path || 'body'}: ${first.message}` : 'Invalid input.', { issues });
}

/**
 * Parses a GeoJSON Feature body (or a bare geometry): its geometry with one of the geometry parsers,
 * which answer a stable `geometry_*` code per fault, then its properties with a contract schema.
 */
export function parseFeatureInput<G, T extends z.ZodType>(
  body: unknown,
  parseGeometry: (g: unknown, l: GeometryLimits) => G,
  limits: GeometryLimits,
  properties: T,
): { geometry: G; properties: z.output<T> } {
  const feature = parseFeature(body, parseGeometry, limits);
  return { geometry: feature.geometry, properties: parseInput(properties, feature.properties) };
}

/** Stable codes of the HTTP layer itself. */
export const HttpErrorCode = {
  unsupportedMediaType: 'unsupported_media_type',
} as const satisfies Record<string, ErrorCode>;

/** The media types a request body may have: JSON, and GeoJSON under its own type (RFC 7946). */
export const BODY_TYPES = ['application/json', 'application/geo+json'];

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'express-serve-static-core' {
  interface Request {
    /** Reads this request's JSON body; set by {@link deferBody}, called by {@link readBody}. */
    readBodyThen?: (next: NextFunction) => void;
  }
}

const tooLarge = (limitBytes: number | undefined) =>
  new AppError(ErrorCode.bodyTooLarge, 413, 'The request body is larger than allowed.', limitBytes === undefined ? undefined : { limitBytes });

/**
 * Gives each request a way to read its JSON body later, without reading it now. Bodies are read
 * only inside a matched route, after its guard has admitted the caller (`requireRole`) or by the
 * few open routes that take one (login): an unknown path, an anonymous write or a refused role
 * costs no parsing, however large the body.
 */
export function deferBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, type: BODY_TYPES });
  return (req, res, next) => {
    req.readBodyThen = (then) => {
      // req.is() is null when there is no body at all (no Content-Length, no Transfer-Encoding).
      const type = METHODS_WITH_BODY.has(req.method) ? req.is(BODY_TYPES) : null;
      if (type === null) return then();
      if (type === false) {
        return then(
          new AppError(HttpErrorCode.unsupportedMediaType, 415, 'The request body must be JSON (application/json or application/geo+json).', {
            accepted: BODY_TYPES,
          }),
        );
      }
      // body-parser refuses an announced length over the limit too, but only after reading the
      // whole body off the connection; the announcement alone is enough to refuse it now.
      const announced = Number(req.headers['content-length']);
      if (announced > limitBytes) return then(tooLarge(limitBytes));
      parse(req, res, then);
    };
    next();
  };
}

/**
 * Reads the JSON body now (413 beyond BODY_LIMIT, 400 when malformed, 415 when not JSON). Put it
 * after the checks that need no body; `requireRole` runs it once it has admitted the caller.
 */
export const readBody: RequestHandler = (req, _res, next) => (req.readBodyThen ? req.readBodyThen(next) : next());

/** Answers 404 JSON for any route the API does not know. */
export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new AppError(ErrorCode.routeNotFound, 404, `No route ${req.method} ${req.path}.`));
};

/**
 * The one error handler: every failure leaves as `{ error: { code, message, details } }`.
 * Unexpected errors are logged with their stack here and reach the client only as a code.
 */
export function errorHandler(log: (msg: string, err: unknown) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(err);
    if (appError.status >= 500 && appError.code === ErrorCode.internal) log(`${req.method} ${req.originalUrl}`, err);
    if (res.headersSent) {
      res.end();
      return;
    }
    if (appError.status === 503) res.setHeader('Retry-After', '5');
    res.status(appError.status).json({
      error: { code: appError.code, message: appError.message, ...(appError.details ? { details: appError.details } : {}) },
    });
  };
}

/**
 * A view of the public record that changes only when the record grows (the lists of publications,
 * the feeds): its ETag names the newest publication and every read is revalidated, so the view is
 * current the moment a bulletin answers and polling it costs a 304. True when the caller already
 * has it: the 304 is then sent here.
 */
export function notModifiedSinceRecord(req: Request, res: Response, newestPublication: number): boolean {
  const etag = `W/"record-${newestPublication}"`;
  res.set('ETag', etag).set('Cache-Control', 'public, max-age=0, must-revalidate');
  if (req.get('if-none-match') !== etag) return false;
  res.status(304).end();
  return true;
}

/**
 * The headers a middleware that only sets headers (helmet) sets, captured once: the fast paths
 * send them as they are, so their answers carry the same security headers as the others.
 */
export function headersSetBy(middleware: RequestHandler): Record<string, string> {
  const res = new http.ServerResponse(new http.IncomingMessage(new net.Socket()));
  middleware(res.req as Request, res as unknown as Response, () => undefined);
  return Object.fromEntries(Object.entries(res.getHeaders()).map(([k, v]) => [k, String(v)]));
}

/**
 * A request answered before Express: it returns true when it takes the request, and calls
 * `fallBack` (the full application) when it finds, after all, that it cannot answer it (bad input,
 * say: the error is then the application's own, with its code).
 */
export type FastHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, fallBack: () => void) => boolean;

/**
 * The public reads that a whole city makes at once (the map of today, "am I in a zone?", OGC
 * pages, tiles), answered from memory before the Express middleware chain, whose per-request cost
 * (helmet, compression, cookie parsing, CORS, the session lookup, the router) is most of what such
 * an answer costs. Anything else, and any request with an `Origin` the CORS policy must judge,
 * goes to `app`. A handler's key is a path, or a path ending in `/` for every path under it.
 */
export function withFastPaths(app: http.RequestListener, handlers: Record<string, FastHandler>, options: { corsOrigins: boolean }): http.RequestListener {
  const prefixes = Object.keys(handlers).filter((key) => key.endsWith('/'));
  const handlerOf = (path: string) => handlers[path] ?? handlers[prefixes.find((prefix) => path.startsWith(prefix)) ?? ''];
  return (req, res) => {
    if (req.method === 'GET' && !(options.corsOrigins && req.headers.origin)) {
      const q = req.url!.indexOf('?');
      const handler = handlerOf(q < 0 ? req.url! : req.url!.slice(0, q));
      if (handler) {
        let url: URL | null = null;
        try {
          url = new URL(req.url!, 'http://fast.invalid');
        } catch {
          /* the application answers a malformed URL */
        }
        if (url && handler(req, res, url, () => app(req, res))) return;
      }
    }
    app(req, res);
  };
}

/**
 * How much of one turn of the event loop the handlers of requests may take before the rest wait
 * for the next turn (see `inTurns`).
 */
export const TURN_BUDGET_MS = 8;

/**
 * Runs `listener` for the requests that arrive, but in turns: once the handlers started in one
 * turn of the event loop have taken `budgetMs`, the requests that follow wait, first come first
 * served, for the next turn, so timers, database replies and worker results get their turn in
 * between. Why: a burst of hundreds of requests read in one poll of the sockets (the bulletin
 * night's bursts of maps, pages and tiles every ten seconds) otherwise had every handler run back
 * to back, a task of 100–200 ms in the mixed-load benchmark during which nothing else ran. A
 * request that finds no one waiting and the turn's budget unspent runs at once, as before.
 */
export function inTurns(listener: http.RequestListener, options: { budgetMs?: number; now?: () => number } = {}): http.RequestListener {
  const budgetMs = options.budgetMs ?? TURN_BUDGET_MS;
  const now = options.now ?? (() => performance.now());
  const waiting: [http.IncomingMessage, http.ServerResponse][] = [];
  /**
   * When the handlers run at once began to count against a budget; −1 after a drain. No timer
   * marks the end of every turn (one per turn cost the lookup a tenth of its rate under load):
   * the count can only run long, never short, and a request that finds it spent goes to the
   * drain, which runs in the same turn's check phase and starts the count again.
   */
  let turnStarted = -1;
  let draining = false;
  const drain = () => {
    draining = false;
    const started = now();
    while (waiting.length > 0 && now() - started < budgetMs) {
      const [req, res] = waiting.shift()!;
      listener(req, res);
    }
    turnStarted = -1;
    if (waiting.length > 0) scheduleDrain();
  };
  const scheduleDrain = () => {
    if (draining) return;
    draining = true;
    setImmediate(drain);
  };
  return (req, res) => {
    if (waiting.length === 0) {
      const t = now();
      if (turnStarted < 0) turnStarted = t;
      if (t - turnStarted < budgetMs) {
        listener(req, res);
        return;
      }
    }
    waiting.push([req, res]);
    scheduleDrain();
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof GeometryInputError) return new AppError(err.code, 400, err.message, err.details);
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string; limit?: unknown } | null;
  // body-parser's own failures carry a `type`; they are the caller's fault, not ours.
  if (e && typeof e === 'object' && typeof e.type === 'string') {
    if (e.type === 'entity.too.large') return tooLarge(typeof e.limit === 'number' ? e.limit : undefined);
    if (e.type === 'entity.parse.failed') return new AppError(ErrorCode.badJson, 400, 'The request body is not valid JSON.');
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
      return new AppError('unsupported_encoding', 415, 'The request body encoding is not supported.');
    const status = e.status ?? e.statusCode ?? 400;
    if (status >= 400 && status < 500) return new AppError('bad_request', status, 'The request could not be read.');
  }
  if (e instanceof URIError) return new AppError('bad_request', 400, 'The request URL is malformed.');
  const db = translateDatabaseError(err);
  if (db) return db;
  return new AppError(ErrorCode.internal, 500, 'Internal error.');
}

/** Bytes of refused request bodies read off their connections per turn of the event loop, all connections together. */
export const DISCARD_BYTES_PER_TURN = 1 << 20;
/** A refused body is read off up to this many bytes; beyond, its connection is closed. */
export const DISCARD_LIMIT_BYTES = 64 << 20;

/**
 * Reads the bodies of answered requests off their connections a budget per turn of the event loop.
 *
 * A request answered without reading its body (a refusal: 401, 404, 413, 415) still has that body
 * on its connection, and the next request on the connection can only be read after it. Node reads
 * such a body off as fast as it comes, up to 2 MB per connection in one turn: fifty refused 2 MB
 * bodies under the mixed bench were 100 MB read in one turn, a pause of 100 ms for everyone.
 * Closing the connection instead could reset it before the client has read its answer (RFC 9112
 * §9.6). Here such bodies are read off in order, `bytesPerTurn` in each turn over all connections
 * (about a millisecond's work), the rest once timers and other requests have had their turn.
 */
export function discardingUnreadBodies(
  listener: http.RequestListener,
  options: {
    bytesPerTurn?: number;
    limitBytes?: number;
    /** Told of every chunk read off, and whether it was a body's first (read whatever the budget). */
    onDiscarded?: (bytes: number, first: boolean) => void;
  } = {},
): http.RequestListener {
  const bytesPerTurn = options.bytesPerTurn ?? DISCARD_BYTES_PER_TURN;
  const limitBytes = options.limitBytes ?? DISCARD_LIMIT_BYTES;
  // Like inTurns: the budget is renewed by the drain that runs once it is spent, not by a timer per turn.
  let budget = bytesPerTurn;
  const waiting = new Set<http.IncomingMessage>();
  let scheduled = false;
  const discarded = new WeakMap<http.IncomingMessage, number>();
  const nextTurn = () => {
    scheduled = false;
    // What the first reads took beyond the budget is paid back in the next turns.
    budget = Math.min(bytesPerTurn, budget + bytesPerTurn);
    for (const req of waiting) {
      if (budget <= 0) break;
      waiting.delete(req);
      readOff(req);
    }
    if (waiting.size > 0) wait();
  };
  const wait = (req?: http.IncomingMessage) => {
    if (req) waiting.add(req);
    if (scheduled) return;
    scheduled = true;
    setImmediate(nextTurn);
  };
  /**
   * Reads what `req` has buffered, while the budget lasts. `first` reads once whatever the budget:
   * that chunk came off the socket already, and the read is what tells Node the body is taken care of.
   */
  const readOff = (req: http.IncomingMessage, first = false) => {
    if (req.destroyed) return;
    let total = discarded.get(req) ?? 0;
    let chunk: Buffer | null;
    while ((budget > 0 || first) && (chunk = req.read() as Buffer | null) !== null) {
      budget -= chunk.length;
      total += chunk.length;
      options.onDiscarded?.(chunk.length, first);
      first = false;
    }
    discarded.set(req, total);
    if (total > limitBytes) {
      waiting.delete(req);
      req.socket.destroy();
    } else if (budget <= 0) wait(req);
  };
  const discard = (req: http.IncomingMessage) => {
    req.removeAllListeners('data');
    req.on('readable', () => readOff(req));
    req.once('close', () => waiting.delete(req));
    // A read now, before Node's own handling of the finished answer, marks the body as being read
    // (req.read()): Node then leaves it to this reader rather than reading it off itself at once.
    readOff(req, true);
  };
  return (req, res) => {
    const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (hasBody) {
      // Before Node's own 'finish' listener, which would read the body off at full speed.
      res.prependOnceListener('finish', () => {
        if (!req.complete && !req.destroyed) discard(req);
      });
    }
    listener(req, res);
  };
}
