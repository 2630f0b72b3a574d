import fs from 'node:fs';
import crypto from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../server/src/config';
import { startServer, type RunningServer } from '../../server/src/server';
import { DB_PREFIX, RUN_DIR, TEMPLATE_DB, TEMPLATE_DIR, TEST_PASSWORD, databaseUrl, type Backend } from './backends';

export interface TestServer extends RunningServer {
  backend: Backend;
  /** Extra settings the server was started with (e.g. to start a second process on the same database). */
  env: Record<string, string>;
}

/** Makes a private copy of the template database for one test file. */
export async function freshDatabase(backend: Backend): Promise<Record<string, string>> {
  const name = `${DB_PREFIX}${crypto.randomBytes(5).toString('hex')}`;
  if (backend === 'pglite') {
    const dir = `${RUN_DIR}/${name}`;
    fs.cpSync(TEMPLATE_DIR, dir, { recursive: true });
    return { DATA_DIR: dir };
  }
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(TEMPLATE_DB)}`);
  } finally {
    await admin.end();
  }
  return { DATABASE_URL: databaseUrl(name) };
}

/** Starts the real service over HTTP on a random port, on a fresh copy of the test database. */
export async function startTestServer(backend: Backend, env: Record<string, string> = {}): Promise<TestServer> {
  const dbEnv = env.DATA_DIR || env.DATABASE_URL ? {} : await freshDatabase(backend);
  const all = { PORT: '0', HOST: '127.0.0.1', EXPIRY_SCHEDULE: 'false', LOAD_DEMO_OUTBREAK: 'false', ...dbEnv, ...env };
  const server = await startServer(loadConfig(all));
  return Object.assign(server, { backend, env: all });
}

/** A small HTTP client that keeps the session cookie, like a browser would. */
export class Client {
  cookie = '';
  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers; text: string }> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers, text };
  }
  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body ?? {}, headers);
  }
  patch(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', path, body, headers);
  }
  put(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PUT', path, body, headers);
  }
  delete(path: string, headers?: Record<string, string>) {
    return this.request('DELETE', path, undefined, headers);
  }
}

/** A client logged in as one of the test accounts. */
export async function loginAs(base: string, username: string): Promise<Client> {
  const c = new Client(base);
  const r = await c.post('/api/auth/login', { username, password: TEST_PASSWORD });
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${r.text}`);
  return c;
}
