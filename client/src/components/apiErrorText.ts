/** Turns a caught error into the sentence shown to the user, keeping the server's reason. */
import { ApiError, ErrorCode } from '../api/http';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The server's message plus its `details.reason` (e.g. why a geometry was refused). */
export function apiErrorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    if (error.code === ErrorCode.network) return t('errors.network');
    if (error.status === 401) return t('errors.sessionExpired');
    const reason = error.details && typeof error.details.reason === 'string' ? error.details.reason : '';
    return reason && !error.message.includes(reason) ? `${error.message}（${reason}）` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
