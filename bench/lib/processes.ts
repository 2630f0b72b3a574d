/**
 * Processes the bench starts: service processes, the lookup reference, nginx, MapServer under
 * spawn-fcgi. Every one is tracked by its process id and stopped by that id when its case ends
 * (or when the bench exits), never by name.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR } from './options';

/** A process the bench started and must stop. */
export interface StartedProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const running = new Set<() => void>();

/** Stops whatever is still running (on exit or an interrupt): each by its own process id. */
export function stopAllNow(): void {
  for (const kill of running) kill();
  running.clear();
}

function track(child: ChildProcess, label: string): { stop(): Promise<void> } {
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  running.add(killNow);
  return {
    async stop() {
      running.delete(killNow);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        process.stderr.write(`[bench] ${label} (pid ${child.pid}) did not stop on SIGTERM; killing it\n`);
        child.kill('SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Runs a bench-side TypeScript entry point (bench/lib/*-process.ts) in its own Node process and
 * waits for the `{"url": …}` line it prints once it listens.
 */
export async function startNodeProcess(script: string, env: Record<string, string>, label: string, timeoutMs = 600_000): Promise<StartedProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'lib', script)], {
    cwd: path.resolve(BENCH_DIR, '..'),
    // Only what the child is given: an inherited DATABASE_URL (the bench's admin database) must
    // never reach a service meant for another database.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tracked = track(child, label);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${label} did not start within ${timeoutMs / 1000} s\n${stderr}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with code ${code} before it listened\n${stderr}`));
    });
  });
  return { url, pid: child.pid!, stop: tracked.stop };
}

/** Whether an executable is on PATH (or at an absolute path). */
export function commandAvailable(command: string): boolean {
  if (path.isAbsolute(command)) return fs.existsSync(command);
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** A TCP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not open port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A private temporary directory the nginx workers (another user) can read. */
export function workDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `risk-bench-${name}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/**
 * nginx (the Debian package) with its stock settings (`worker_processes auto`), serving `server`
 * (the body of one server block) on a free port. Only the paths are the bench's own.
 */
export async function startNginx(dir: string, server: (port: number) => string): Promise<StartedProcess> {
  const port = await freePort();
  const conf = `
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  sendfile on;
  tcp_nopush on;
  access_log off;
  # The load generator keeps its connections open, as Node's server lets it.
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
${server(port)}
  }
}
`;
  fs.mkdirSync(path.join(dir, 'www'), { recursive: true });
  fs.chmodSync(path.join(dir, 'www'), 0o755);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const tracked = track(child, 'nginx');
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    await waitForPort(port, 10_000, 'nginx');
  } catch (err) {
    await tracked.stop();
    throw new Error(`${(err as Error).message}: ${stderr}`);
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: tracked.stop };
}

/**
 * MapServer's mapserv as FastCGI processes started by spawn-fcgi (one per core), reading the
 * MapServer 8 config file `configFile`. Returns the FastCGI port; stop() ends each process by
 * the id spawn-fcgi recorded.
 */
export async function startMapServerFcgi(dir: string, configFile: string): Promise<{ port: number; processes: number; stop(): Promise<void> }> {
  const port = await freePort();
  const processes = os.cpus().length;
  const pidFile = path.join(dir, 'mapserv.pids');
  const result = spawnSync(
    'spawn-fcgi',
    ['-a', '127.0.0.1', '-p', String(port), '-F', String(processes), '-P', pidFile, '-u', 'www-data', '-g', 'www-data', '--', '/usr/bin/mapserv'],
    { env: { ...process.env, MAPSERVER_CONFIG_FILE: configFile }, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`spawn-fcgi failed: ${result.stderr}`);
  const pids = fs.readFileSync(pidFile, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  const kill = (signal: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        /* already gone */
      }
    }
  };
  const killNow = () => kill('SIGKILL');
  running.add(killNow);
  return {
    port,
    processes,
    async stop() {
      running.delete(killNow);
      kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      kill('SIGKILL');
    },
  };
}
