/**
 * Real processes for the reliability tests: the service started as a child process (so it can be
 * killed with SIGKILL mid-request), and a throwaway PostgreSQL cluster of the test's own (so it can
 * be stopped and started again without touching anyone else's database).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';

/** Where the PostgreSQL 15 server binaries of Debian/Ubuntu packages live. */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; returns that value. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** Resolves once /api/health answers 200; rejects (with the output) if the process ends first. */
  ready: Promise<void>;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Resolves with the signal or exit code once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  kill(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/**
 * Spawns `node --import tsx server/src/index.ts` with `env` (DATABASE_URL or DATA_DIR and any
 * settings) on a free port, without waiting for it: `ready` tells when it serves.
 */
export async function spawnServiceProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      EXPIRY_SCHEDULE: 'false',
      LOAD_DEMO_OUTBREAK: 'false',
      // The late-UTC pass of CI moves every clock with libfaketime: a service started here keeps
      // the clock of the test that starts it (a webhook's signature carries its time, say).
      ...Object.fromEntries(['LD_PRELOAD', 'FAKETIME', 'DONT_FAKE_MONOTONIC'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let ended = false;
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = true;
      resolve(signal ?? code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const ready = Promise.race([
    waitFor('the service to answer /api/health', async () => !ended && (await fetch(`${url}/api/health`)).status === 200, readyTimeoutMs, 100),
    exited.then((how) => {
      throw new Error(`the service ended (${how}) before it served`);
    }),
  ]).then(
    () => undefined,
    (err: Error) => {
      throw new Error(`${err.message}\n--- service output ---\n${out}`);
    },
  );
  ready.catch(() => undefined);
  return {
    url,
    child,
    ready,
    output: () => out,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}

/** Starts the service as a child process and waits until it serves; kills it if it never does. */
export async function startServiceProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ServiceProcess> {
  const p = await spawnServiceProcess(env, readyTimeoutMs);
  try {
    await p.ready;
  } catch (err) {
    await p.kill();
    throw err;
  }
  return p;
}

export interface ThrowawayCluster {
  port: number;
  dataDir: string;
  /** A postgres:// URL of database `name` on this cluster. */
  url(name?: string): string;
  start(): void;
  /** `pg_ctl stop -m immediate`: the server goes away at once, like a crash. */
  stopImmediately(): void;
  destroy(): void;
}

/** Whether this machine can run a PostgreSQL cluster of the test's own. */
export function canRunOwnCluster(): boolean {
  return fs.existsSync(path.join(PG_BIN, 'initdb')) && fs.existsSync(path.join(PG_BIN, 'pg_ctl'));
}

/**
 * Creates and starts a PostgreSQL cluster in a temporary directory on a free port, trusting local
 * connections. initdb refuses to run as root, so as root the cluster runs as the `postgres` user.
 */
export async function createThrowawayCluster(): Promise<ThrowawayCluster> {
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'risk-pg-'));
  const run = (bin: string, args: string[]) => {
    const cmd = path.join(PG_BIN, bin);
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    return execFileSync(file, argv, { stdio: 'pipe', env: { ...process.env, LC_ALL: 'C.UTF-8' } }).toString();
  };
  if (asRoot) execFileSync('chown', ['postgres:', dataDir]);
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  // Sockets in the data directory: /var/run/postgresql may not be writable by this user.
  const options = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const cluster: ThrowawayCluster = {
    port,
    dataDir,
    url: (name = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${name}`,
    start: () => void run('pg_ctl', ['-D', dataDir, '-o', options, '-l', path.join(dataDir, 'server.log'), '-w', 'start']),
    stopImmediately: () => void run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']),
    destroy: () => {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* already stopped */
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
