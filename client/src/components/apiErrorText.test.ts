import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { ApiError } from '../api/http';
import en from '../i18n/en';
import zh from '../i18n/zh';
import { apiErrorText } from './apiErrorText';

function translate(locale: 'zh' | 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { zh, en } });
  return (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {});
}

describe('apiErrorText', () => {
  it('shows a known code in the reader’s language, not the server’s English', () => {
    const error = new ApiError(409, 'version_conflict', 'Someone else changed this zone; reload it.');
    expect(apiErrorText(error, translate('zh'))).toBe(zh.errors.version_conflict);
    expect(apiErrorText(error, translate('en'))).toBe(en.errors.version_conflict);
  });

  it('adds the reason the server gave', () => {
    const error = new ApiError(400, 'geometry_invalid', 'PostGIS finds the geometry invalid: Self-intersection.', { reason: 'Self-intersection' });
    expect(apiErrorText(error, translate('zh'))).toBe(`${zh.errors.geometry_invalid}（Self-intersection）`);
  });

  it('falls back to the server’s message for a code this client does not know', () => {
    const error = new ApiError(400, 'some_newer_code', 'A newer server refused this.');
    expect(apiErrorText(error, translate('zh'))).toBe('A newer server refused this.');
  });

  it('names a lost session and an unreachable server', () => {
    expect(apiErrorText(new ApiError(401, 'unauthenticated', 'Log in.'), translate('zh'))).toBe(zh.errors.sessionExpired);
    expect(apiErrorText(new ApiError(0, 'network_error', 'fetch failed'), translate('zh'))).toBe(zh.errors.network);
  });
});
