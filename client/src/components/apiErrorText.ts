/** Turns a caught error into the sentence shown to the user, in the reader's language. */
import { isErrorCode } from '../../../contract/errors';
import { ApiError, ErrorCode } from '../api/http';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * The label of the error's code (`errors.<code>`), plus its `details.reason` (e.g. why PostGIS
 * refused a geometry). The server's English message is shown only for a code this client does not
 * know (a server newer than the client, or an answer without the error envelope).
 */
export function apiErrorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    if (error.code === ErrorCode.network) return t('errors.network');
    if (error.status === 401 && error.code !== 'invalid_credentials') return t('errors.sessionExpired');
    const text = isErrorCode(error.code) ? t(`errors.${error.code}`) : error.message;
    const reason = error.details && typeof error.details.reason === 'string' ? error.details.reason : '';
    return reason && !text.includes(reason) ? `${text}（${reason}）` : text;
  }
  return error instanceof Error ? error.message : String(error);
}
