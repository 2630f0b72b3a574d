import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { migrateLatest } from './db/migrate';
import { createContext, type AppContext } from './context';
import { createApp } from './app';

export interface RunningServer {
  url: string;
  ctx: AppContext;
  db: Database;
  demoAccounts: { username: string; password: string }[];
  close(): Promise<void>;
}

/**
 * Opens the database, brings the schema up to date, loads the reference geodata on first start,
 * creates the first accounts, and starts listening.
 */
export async function startServer(config: Config, log: (line: string) => void = () => undefined): Promise<RunningServer> {
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    replicaUrl: config.replicaUrl,
    dataDir: config.dataDir,
    poolMax: config.poolMax,
    statementTimeoutMs: config.limits.statementTimeoutMs,
  });
  try {
    const applied = await migrateLatest(db.knex);
    if (applied.length) log(`migrations applied: ${applied.length}`);
    const ctx = createContext(config, db);
    if (config.loadDemoData && (await ctx.services.geodata.ensureLoaded())) log('Liaocheng geodata loaded');
    if (await ctx.services.accounts.ensureAdmin(config.adminPassword)) log('admin account created from ADMIN_PASSWORD');
    const demoAccounts = db.kind === 'pglite' && config.loadDemoData ? await ctx.services.accounts.resetDemoAccounts() : [];

    const app = createApp(ctx);
    const server = http.createServer(app);
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      ctx,
      db,
      demoAccounts,
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await db.close();
      },
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
