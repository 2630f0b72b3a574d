import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPublicAddress } from './webhooks.target';
import { retryDelay, signature } from './webhooks.service';

describe('webhook targets', () => {
  it('treats loopback, private, link-local, CGNAT and mapped private addresses as not public', () => {
    for (const a of ['127.0.0.1', '10.0.0.5', '172.20.1.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1']) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    for (const a of ['8.8.8.8', '223.5.5.5', '2400:3200::1', '::ffff:8.8.8.8']) expect(isPublicAddress(a), a).toBe(true);
  });

  it('lets an allow-listed host use http and a private address', () => {
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook', ['127.0.0.1']).port).toBe('8080');
    expect(() => checkWebhookUrl('http://127.0.0.1:8080/hook', [])).toThrow(/https/);
    expect(() => checkWebhookUrl('https://127.0.0.1/hook', [])).toThrow(/loopback, private or local/);
    expect(() => checkWebhookUrl('https://intranet/hook', [])).toThrow(/loopback, private or local/);
    expect(() => checkWebhookUrl('https://user:pw@hooks.example.org/', [])).toThrow(/user name/);
  });
});

describe('webhook signatures and retries', () => {
  it('signs "t.body" with HMAC-SHA256 under the secret', () => {
    expect(signature('secret', 1669852800, '{}')).toBe(crypto.createHmac('sha256', 'secret').update('1669852800.{}').digest('hex'));
    expect(signature('secret', 1, 'a')).not.toBe(signature('secret', 2, 'a'));
    expect(signature('secret', 1, 'a')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('doubles the delay from the base up to the maximum', () => {
    const cfg = { retryBaseMs: 1000, retryMaxMs: 60_000 };
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 7, 8, 50].map((n) => retryDelay(n, cfg, mid))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
  });
});
