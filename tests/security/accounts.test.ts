/**
 * Accounts under attack (issue 13; OWASP API2 broken authentication): logins limited per client
 * address and per account, counting failures only; Secure session cookies in production and
 * behind an https PUBLIC_URL; "log out everywhere" for a user and for an admin acting on a user;
 * no demo accounts (with their passwords in the log) under NODE_ENV=production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config';
import { startServer } from '../../server/src/server';
import { backends, TEST_PASSWORD } from '../helpers/backends';
import { Client, freshDatabase, loginAs, startTestServer, type TestServer } from '../helpers/server';

const ADDRESS_LIMIT = 4;
const ACCOUNT_LIMIT = 3;

let lastOctet = 10;
/** A client address of its own (the service trusts X-Forwarded-For from the loopback proxy). */
const freshAddress = () => ({ 'x-forwarded-for': `192.0.2.${lastOctet++}` });

describe.each(backends())('accounts on %s (NODE_ENV=production)', (backend) => {
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    server = await startTestServer(backend, {
      NODE_ENV: 'production',
      LOGIN_RATE_LIMIT_PER_15MIN: String(ADDRESS_LIMIT),
      LOGIN_FAILURES_PER_ACCOUNT_15MIN: String(ACCOUNT_LIMIT),
    });
    admin = await loginAs(server.url, 'admin');
    // Accounts of this file's own, so that one test's failures are not another's.
    for (const name of ['limited1', 'limited2', 'limited3', 'limited4', 'everywhere1', 'everywhere2']) {
      await server.ctx.services.accounts.create(name, TEST_PASSWORD, 'designator');
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  const login = (username: string, password: string, headers: Record<string, string>) =>
    new Client(server.url).post('/api/auth/login', { username, password }, headers);
  const loginWith = async (username: string, headers: Record<string, string> = freshAddress()) => {
    const c = new Client(server.url);
    const r = await c.post('/api/auth/login', { username, password: TEST_PASSWORD }, headers);
    expect(r.status, r.text).toBe(200);
    return c;
  };

  it('does not count successful logins against the address, and a success resets none of its failures', async () => {
    const from = freshAddress();
    for (let i = 0; i < ADDRESS_LIMIT * 3; i++) expect((await login('limited1', TEST_PASSWORD, from)).status, `login ${i + 1}`).toBe(200);
    // Failures on names no one has (the per-account limit stays out of the way).
    for (let i = 0; i < ADDRESS_LIMIT - 1; i++) expect((await login(`nobody-a${i}`, 'wrong-password', from)).status).toBe(401);
    expect((await login('limited1', TEST_PASSWORD, from)).status).toBe(200);
    expect((await login('nobody-a-last', 'wrong-password', from)).status).toBe(401);
    const blocked = await login('limited1', TEST_PASSWORD, from);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
  });

  it(`locks an account after ${ACCOUNT_LIMIT} failures from any addresses, the right password and any spelling of the name included`, async () => {
    for (let i = 0; i < ACCOUNT_LIMIT; i++) expect((await login('limited2', 'wrong-password', freshAddress())).status).toBe(401);
    for (const name of ['limited2', 'LIMITED2', 'Limited2']) {
      const r = await login(name, TEST_PASSWORD, freshAddress());
      expect(r.status, name).toBe(429);
      expect(r.body.error.code).toBe('rate_limited');
      expect(r.headers.get('set-cookie')).toBeNull();
    }
    // Other accounts log in from the same kind of fresh addresses.
    await loginWith('limited3');
  });

  it("counts each account's failures apart: another account's login resets nothing", async () => {
    const from = freshAddress();
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) expect((await login('limited4', 'wrong-password', from)).status).toBe(401);
    await loginWith('limited3', from);
    await loginWith('admin', freshAddress());
    expect((await login('limited4', 'wrong-password', freshAddress())).status).toBe(401);
    expect((await login('limited4', TEST_PASSWORD, freshAddress())).status).toBe(429);
    // limited3's own count was not touched by limited4's failures either.
    await loginWith('limited3');
  });

  it('locks a name that does not exist the same way, so the lock tells nothing about which names exist', async () => {
    const answers = [];
    for (let i = 0; i <= ACCOUNT_LIMIT; i++) answers.push(await login('no-such-account', 'wrong-password', freshAddress()));
    expect(answers.map((a) => a.status)).toEqual([...Array(ACCOUNT_LIMIT).fill(401), 429]);
  });

  it('marks the session cookie Secure under NODE_ENV=production, also over plain HTTP without X-Forwarded-Proto', async () => {
    const c = new Client(server.url);
    const r = await c.post('/api/auth/login', { username: 'limited3', password: TEST_PASSWORD }, freshAddress());
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const out = await c.post('/api/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('logs a user out everywhere: every session of theirs ends, nobody else’s', async () => {
    const sessions = [await loginWith('everywhere1'), await loginWith('everywhere1'), await loginWith('everywhere1')];
    const bystander = await loginWith('limited3');
    const r = await sessions[0].post('/api/auth/logout-all');
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ sessionsEnded: 3 });
    expect(r.headers.get('set-cookie')).toMatch(/^sid=;/);
    for (const s of sessions) expect((await s.get('/api/auth/me')).status).toBe(401);
    expect((await bystander.get('/api/auth/me')).status).toBe(200);
    const entry = await server.db.knex('audit_log').where({ action: 'logout_all', actor: 'everywhere1' }).first();
    expect(entry).toBeTruthy();
    expect((await new Client(server.url).post('/api/auth/logout-all')).status).toBe(401);
    await loginWith('everywhere1');
  });

  it("lets an admin log an account out everywhere; only admins, and an unknown name is 404 account_not_found", async () => {
    const sessions = [await loginWith('everywhere2'), await loginWith('everywhere2')];
    const designer = await loginWith('limited3');
    const refused = await designer.post('/api/admin/accounts/everywhere2/logout-all');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    for (const s of sessions) expect((await s.get('/api/auth/me')).status).toBe(200);

    const r = await admin.post('/api/admin/accounts/EveryWhere2/logout-all');
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ username: 'everywhere2', sessionsEnded: 2 });
    for (const s of sessions) expect((await s.get('/api/auth/me')).status).toBe(401);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
    expect((await designer.get('/api/auth/me')).status).toBe(200);
    const entry = await server.db.knex('audit_log').where({ action: 'logout_all', actor: 'admin' }).orderBy('id', 'desc').first();
    expect(JSON.parse(typeof entry.after === 'string' ? entry.after : JSON.stringify(entry.after))).toEqual({ username: 'everywhere2', sessionsEnded: 2 });

    const unknown = await admin.post('/api/admin/accounts/no-such-account/logout-all');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('account_not_found');
    // The account itself still works: it only lost its sessions.
    await loginWith('everywhere2');
  });
});

describe.each(backends())('session cookies behind an https PUBLIC_URL on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { PUBLIC_URL: 'https://risk.liaocheng.example' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('marks the session cookie Secure although this request came over plain HTTP', async () => {
    const r = await new Client(server.url).post('/api/auth/login', { username: 'coord1', password: TEST_PASSWORD });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });
});

describe('demo accounts of the embedded store', () => {
  const start = async (env: Record<string, string>) => {
    const lines: string[] = [];
    const all = { PORT: '0', HOST: '127.0.0.1', EXPIRY_SCHEDULE: 'false', LOAD_DEMO_OUTBREAK: 'false', LOAD_DEMO_DATA: 'true', ...(await freshDatabase('pglite')), ...env };
    const server = await startServer(loadConfig(all), (line) => lines.push(line));
    return { server, lines };
  };

  it('are never created under NODE_ENV=production, and the log says why', async () => {
    const { server, lines } = await start({ NODE_ENV: 'production' });
    try {
      expect(server.demoAccounts).toEqual([]);
      expect(lines.join('\n')).toMatch(/demo accounts not created: NODE_ENV=production/);
      const n = Number((await server.db.knex('accounts').whereIn('username', ['designator', 'coordinator']).count({ n: '*' }).first())!.n);
      expect(n).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('are created, with passwords to print, outside production', async () => {
    const { server, lines } = await start({ NODE_ENV: 'development' });
    try {
      expect(server.demoAccounts.map((a) => a.username).sort()).toEqual(['coordinator', 'designator']);
      expect(lines.join('\n')).not.toMatch(/demo accounts not created/);
    } finally {
      await server.close();
    }
  });
});
