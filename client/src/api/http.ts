/**
 * The one place the client talks HTTP. Every answer that is not 2xx becomes an ApiError carrying
 * the server's stable error code, so callers match on codes, never on prose.
 */

/** Stable error codes the client reacts to (see the API contract). */
export const ErrorCode = {
  invalidCredentials: 'invalid_credentials',
  versionConflict: 'version_conflict',
  zoneNotDraft: 'zone_not_draft',
  routeNotFound: 'route_not_found',
  /** Produced by the client when the server could not be reached at all. */
  network: 'network_error',
  /** Produced by the client when an error answer had no JSON envelope (e.g. a proxy page). */
  unexpected: 'unexpected_response',
} as const;

/** An error answer from the API, parsed from `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** True when `error` is an ApiError with the given code. */
export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Builds a same-origin URL with the defined query parameters only. */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  const url = new URL(path, globalThis.location?.origin ?? 'http://localhost');
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  return url.pathname + url.search;
}

interface ErrorEnvelope {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const inner = (value as { error: unknown }).error;
  return typeof inner === 'object' && inner !== null && typeof (inner as { code?: unknown }).code === 'string';
}

/** Reads an error answer into an ApiError (envelope fields when present, the status otherwise). */
export async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    if (isErrorEnvelope(parsed)) {
      const { code, message, details } = parsed.error;
      return new ApiError(response.status, code, message ?? code, details);
    }
  } catch {
    // Not JSON: fall through to a generic error that still carries the status.
  }
  return new ApiError(response.status, ErrorCode.unexpected, `HTTP ${response.status} ${response.statusText}`.trim());
}

/**
 * Sends one request and parses the JSON answer. The session cookie goes along because the API
 * lives at the same origin (`credentials: 'same-origin'`). A 204 resolves to `undefined`.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { response } = await requestWithResponse<T>(path, options);
  return response;
}

/** Like {@link request}, but also hands back the response headers (ETag, Content-Disposition). */
export async function requestWithResponse<T>(
  path: string,
  options: RequestOptions = {},
): Promise<{ response: T; headers: Headers }> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, ErrorCode.network, error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return { response: undefined as T, headers: response.headers };
  const contentType = response.headers.get('Content-Type') ?? '';
  if (!contentType.includes('json')) {
    throw new ApiError(response.status, ErrorCode.unexpected, `Expected JSON, got ${contentType || 'nothing'}`);
  }
  return { response: (await response.json()) as T, headers: response.headers };
}
