import { ERRORS, type ErrorCode as ContractErrorCode } from '../../contract/errors';

/** A code from the contract's table of error codes (contract/errors.ts). */
export type ErrorCode = ContractErrorCode;

/**
 * One error type for the whole API. Codes are stable: tests and the client match on them,
 * never on the message (terra-draw's validation reasons and Directus' createError are the models).
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * Makes a factory for one kind of error: `const NotFound = createError('not_found')`.
 * @defaultValue `status` is the code's status in the contract's table
 */
export function createError(code: ErrorCode, status: number = ERRORS[code]) {
  return (message: string, details?: Record<string, unknown>) => new AppError(code, status, message, details);
}

export const ErrorCode = {
  validation: 'validation_failed',
  notFound: 'not_found',
  routeNotFound: 'route_unknown',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  invalidCredentials: 'invalid_credentials',
  badOrigin: 'cross_site_request',
  versionConflict: 'version_conflict',
  preconditionRequired: 'if_match_required',
  zoneNotDraft: 'zone_not_draft',
  bodyTooLarge: 'payload_too_large',
  badJson: 'malformed_json',
  rateLimited: 'rate_limited',
  databaseUnavailable: 'database_unavailable',
  statementTimeout: 'query_timeout',
  conflict: 'conflict',
  internal: 'internal_error',
} as const satisfies Record<string, ErrorCode>;

export const validationError = createError(ErrorCode.validation, 400);
export const notFound = createError(ErrorCode.notFound, 404);
export const unauthenticated = createError(ErrorCode.unauthenticated, 401);
export const forbidden = createError(ErrorCode.forbidden, 403);
export const conflict = createError(ErrorCode.conflict, 409);

/** PostgreSQL SQLSTATEs that mean the caller sent something wrong, or the database is away. */
export function translateDatabaseError(err: unknown): AppError | null {
  const e = err as { code?: string; message?: string; errno?: string } | null;
  if (!e || typeof e !== 'object') return null;
  const msg = typeof e.message === 'string' ? e.message : '';
  switch (e.code) {
    case '23505':
      return new AppError(ErrorCode.conflict, 409, 'A record with the same key already exists.');
    case '23503':
      return new AppError(ErrorCode.validation, 400, 'A referenced record does not exist.');
    case '23514':
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return new AppError(ErrorCode.validation, 400, 'A value is out of range or malformed.');
    case '22021':
    case '22P05':
      // PostgreSQL text and jsonb cannot hold U+0000; the value is the caller's, not our failure.
      return new AppError(ErrorCode.validation, 400, 'A text contains a character that cannot be stored (U+0000).');
    case 'XX000':
      // PostGIS reports geometry parse failures as internal errors with a recognisable text.
      if (/geojson|geometry|parse error|invalid/i.test(msg)) {
        return new AppError('geometry_invalid', 400, 'The geometry could not be read by PostGIS.');
      }
      return null;
    case '57014':
      return new AppError(ErrorCode.statementTimeout, 503, 'The query took too long and was cancelled.');
    case '57P01':
    case '57P02':
    case '57P03':
    case '08000':
    case '08001':
    case '08003':
    case '08006':
    case '53300':
      return new AppError(ErrorCode.databaseUnavailable, 503, 'The database is unavailable; try again shortly.');
    default:
      break;
  }
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(String(e.code ?? e.errno))) {
    return new AppError(ErrorCode.databaseUnavailable, 503, 'The database is unavailable; try again shortly.');
  }
  if (/Connection terminated|connect ECONNREFUSED|Knex: Timeout acquiring a connection|terminating connection/i.test(msg)) {
    return new AppError(ErrorCode.databaseUnavailable, 503, 'The database is unavailable; try again shortly.');
  }
  return null;
}
