import { describe, expect, it } from 'vitest';
import { ApiError, apiUrl, ErrorCode, isApiError, toApiError } from './http';

describe('toApiError', () => {
  it('reads the code, message and details of the error envelope', async () => {
    const response = new Response(
      JSON.stringify({ error: { code: 'version_conflict', message: 'stale', details: { current: { id: 'z1' } } } }),
      { status: 409, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await toApiError(response);
    expect([error.status, error.code, error.message, error.details]).toEqual([409, 'version_conflict', 'stale', { current: { id: 'z1' } }]);
  });

  it('keeps the status of an answer without an envelope', async () => {
    const error = await toApiError(new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect([error.status, error.code]).toEqual([502, ErrorCode.unexpected]);
  });
});

describe('isApiError', () => {
  it('matches on the stable code', () => {
    const error = new ApiError(422, 'route_not_found', 'blocked');
    expect([isApiError(error, 'route_not_found'), isApiError(error, 'version_conflict'), isApiError(new Error('x'))]).toEqual([
      true,
      false,
      false,
    ]);
  });
});

describe('apiUrl', () => {
  it('drops undefined and empty query values', () => {
    expect(apiUrl('/api/public/lookup', { lon: 115.98, lat: 36.45, crs: undefined, asOf: '' })).toBe('/api/public/lookup?lon=115.98&lat=36.45');
  });
});
