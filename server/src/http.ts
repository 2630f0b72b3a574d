import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, ErrorCode, translateDatabaseError, validationError } from './errors';
import { GeometryInputError } from './geo/geojson';

/** Parses `data` with a zod schema; a failure becomes one 400 naming every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  throw validationError(first ? `${first.path || 'body'}: ${first.message}` : 'Invalid input.', { issues });
}

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

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof GeometryInputError) return new AppError(err.code, 400, err.message, err.details);
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string } | null;
  // body-parser's own failures carry a `type`; they are the caller's fault, not ours.
  if (e && typeof e === 'object' && typeof e.type === 'string') {
    if (e.type === 'entity.too.large') return new AppError(ErrorCode.bodyTooLarge, 413, 'The request body is larger than allowed.');
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
