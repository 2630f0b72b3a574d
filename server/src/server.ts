import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { migrateLatest } from './db/migrate';
import { createContext, ogcRouteDeps, type AppContext } from './context';
import { createApp } from './app';
import { discardingUnreadBodies, inTurns, withFastPaths } from './http';
import { publicFastPaths } from './public/public.routes';
import { ogcFastPaths } from './ogc/ogc.routes';
import { tilesFastPaths } from './tiles/tiles.routes';
import { loadDemoOutbreak } from './geodata/demo-outbreak';

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
    const demo = db.kind === 'pglite' && config.loadDemoData;
    // Demo accounts have well-known names and passwords printed to the log: never in production.
    if (demo && config.production) log('demo accounts not created: NODE_ENV=production (create accounts with `npm run user -- add NAME --role ROLE`)');
    const demoAccounts = demo && !config.production ? await ctx.services.accounts.resetDemoAccounts() : [];
    if (demo && config.loadDemoOutbreak && (await loadDemoOutbreak(ctx))) log('sample outbreak (demo data) loaded');
    const stopSchedule = config.expirySchedule ? ctx.services.expiry.schedule((err) => console.error('[expiry]', err)) : () => undefined;

    const app = createApp(ctx);
    // The tile threads start with the first map's index; the heavy thread is started now too, so
    // the first past day or OGC page does not wait for a thread to load.
    ctx.workers.heavy.start();
    void ctx.services.public.warmUp();
    const security = app.locals.securityHeaders as Record<string, string>;
    // The public reads a whole city makes at once are answered before Express (http.ts, withFastPaths).
    // (Not with LOG_REQUESTS, which logs in Express.)
    const listener = config.logRequests ? app : withFastPaths(app, { ...publicFastPaths({ public: ctx.services.public, corsOrigins: config.allowedOrigins.length > 0 }, security), ...ogcFastPaths(ogcRouteDeps(ctx), security), ...tilesFastPaths({ tiles: ctx.services.tiles, corsOrigins: config.allowedOrigins.length > 0 }, security) }, { corsOrigins: config.allowedOrigins.length > 0 });
    // Handlers in turns, and refused bodies read off a budget per turn: a burst of requests read at
    // once does not hold the event loop (http.ts, inTurns and discardingUnreadBodies).
    const server = http.createServer(discardingUnreadBodies(inTurns(listener)));
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
        stopSchedule();
        server.closeAllConnections();
        ctx.close();
        await ctx.workers.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await db.close();
      },
    };
  } catch (err) {
    // The start failed: that error is the one thrown; a failure to close after it would hide it.
    await db.close().catch(() => undefined);
    throw err;
  }
}
