// Where a webhook may be sent. An admin chooses the URL, but the request leaves from inside the
// city's network: without these checks a subscription could make the service POST to its own
// database, a metadata endpoint or an office intranet (server-side request forgery, OWASP API7).

import dns from 'node:dns';
import net from 'node:net';
import { AppError, type ErrorCode } from '../errors';

/** Stable error codes of webhook targets. */
export const WebhookTargetError = {
  urlInvalid: 'webhook_url_invalid',
  httpsRequired: 'webhook_https_required',
  hostNotAllowed: 'webhook_host_not_allowed',
} as const satisfies Record<string, ErrorCode>;

/** Addresses no webhook may reach unless its host is allow-listed: loopback, private, link-local, and the like. */
const NOT_PUBLIC = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96]] as const) {
  NOT_PUBLIC.addSubnet(address, prefix, 'ipv6');
}

/** Whether an IP address is one a webhook may reach without an allow-list entry. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    // IPv4-mapped (::ffff:10.0.0.1) is the IPv4 address behind it.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPublicAddress(mapped[1]);
    return !NOT_PUBLIC.check(address, 'ipv6');
  }
  return !NOT_PUBLIC.check(address, 'ipv4');
}

/** The host as written in a URL, without IPv6 brackets, lower case. */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** Whether a URL's host is on the WEBHOOK_ALLOW_HOSTS list. */
export function isAllowListed(url: URL, allowHosts: readonly string[]): boolean {
  return allowHosts.includes(hostOf(url));
}

/**
 * Checks a subscription's URL when it is registered: absolute, https (http only for an
 * allow-listed host), no credentials, and no literal private address or local name. Names are
 * resolved only when sending ({@link guardedLookup}), since what they resolve to can change.
 */
export function checkWebhookUrl(raw: string, allowHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError(WebhookTargetError.urlInvalid, 400, 'The webhook URL must be an absolute https:// URL.');
  }
  if (url.username || url.password || url.hash) {
    throw new AppError(WebhookTargetError.urlInvalid, 400, 'The webhook URL must carry no user name, password or fragment: deliveries are signed instead.');
  }
  const allowed = isAllowListed(url, allowHosts);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && allowed))) {
    throw new AppError(WebhookTargetError.httpsRequired, 400, 'The webhook URL must use https (plain http only for a host in WEBHOOK_ALLOW_HOSTS).', { protocol: url.protocol });
  }
  const host = hostOf(url);
  const local = net.isIP(host) ? !isPublicAddress(host) : host === 'localhost' || /\.(localhost|local|internal|localdomain|home\.arpa)$/.test(host) || !host.includes('.');
  if (!allowed && local) {
    throw new AppError(WebhookTargetError.hostNotAllowed, 400, 'The webhook host is a loopback, private or local address; only hosts in WEBHOOK_ALLOW_HOSTS may be.', { host });
  }
  return url;
}

/**
 * A `lookup` for http.request that refuses to connect to a non-public address, checked on the
 * address actually connected to (a name that resolved to a public address at registration may
 * resolve to 127.0.0.1 later: DNS rebinding).
 */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as dns.LookupAddress[];
    const refused = list.find((a) => !isPublicAddress(a.address));
    if (refused || list.length === 0) {
      const e = Object.assign(new Error(`${hostname} resolves to ${refused?.address ?? 'nothing'}, which is not a public address`), { code: 'EADDRNOTPUBLIC' });
      return callback(e, '', 0);
    }
    if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};
