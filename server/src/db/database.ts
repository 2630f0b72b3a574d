import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

export type DatabaseKind = 'pglite' | 'postgres';

/** The payload every listener gets when the listening connection is (re)made: notices may have been missed. */
export const RECONNECTED = 'reconnected';

/** A connection to the system of record, whichever backend serves it. */
export interface Database {
  kind: DatabaseKind;
  knex: Knex;
  /** Reads that may be served by a replica (public map); the primary when none is configured. */
  reader: Knex;
  /** Publishes a change to every server process on this database (LISTEN/NOTIFY on PostgreSQL). */
  notify(channel: string, payload: string): Promise<void>;
  /** Subscribes to changes published by any process; returns an unsubscribe function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  replicaUrl?: string | null;
  dataDir: string;
  poolMax?: number;
  statementTimeoutMs?: number;
}

// Dates stay 'YYYY-MM-DD' strings: they are Asia/Shanghai calendar days in the domain, and a JS Date
// would shift them by the server's time zone. Counts (int8) and numerics come back as numbers.
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

pg.types.setTypeParser(DATE_OID, (v: string) => v);
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));
pg.types.setTypeParser(NUMERIC_OID, (v: string) => Number(v));

/** Opens the embedded PGlite+PostGIS store in `dataDir`, or a real PostgreSQL when `databaseUrl` is set. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts) : openPglite(opts);
}

async function openPostgres(opts: DatabaseOptions): Promise<Database> {
  const timeout = opts.statementTimeoutMs ?? 15000;
  const make = (url: string) =>
    knexFactory({
      client: 'pg',
      connection: { connectionString: url, application_name: 'risk-zones', statement_timeout: timeout } as Knex.PgConnectionConfig,
      pool: { min: 0, max: opts.poolMax ?? 10, acquireTimeoutMillis: 10000, idleTimeoutMillis: 30000 },
      acquireConnectionTimeout: 10000,
    });
  const knex = make(opts.databaseUrl!);
  const reader = opts.replicaUrl ? make(opts.replicaUrl) : knex;
  const listeners = new Map<string, Set<(p: string) => void>>();
  let listenClient: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;

  // One dedicated connection carries LISTEN for the whole process; it reconnects on its own when
  // PostgreSQL restarts, so caches keep being invalidated without a restart of the service.
  // Callers that ask at the same moment share one attempt: a second client would never be closed
  // and would keep the process (and a PostgreSQL backend) alive after close().
  const connectListener = (): Promise<void> =>
    (connecting ??= openListener().finally(() => {
      connecting = null;
    }));
  const openListener = async (): Promise<void> => {
    if (closed || listenClient || listeners.size === 0) return;
    const client = new pg.Client({ connectionString: opts.databaseUrl!, application_name: 'risk-zones-listen' });
    // Only the connection in use reconnects; a late event from a replaced one must not drop it.
    const lost = () => {
      if (listenClient === client) scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (msg) => {
      for (const cb of listeners.get(msg.channel) ?? []) cb(msg.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of listeners.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed) {
        client.removeAllListeners('end');
        // Closed while connecting: the connection is not wanted, however its end goes.
        await client.end().catch(() => undefined);
        return;
      }
      listenClient = client;
      // Anything may have changed while we were disconnected.
      for (const [, set] of listeners) for (const cb of set) cb(RECONNECTED);
    } catch (err) {
      // The database is away: said once per attempt, then tried again (health reports it too).
      console.error('[database] could not listen for notices, retrying:', err instanceof Error ? err.message : err);
      client.removeAllListeners('end');
      // Ending a connection that failed can fail too; that second failure says nothing new.
      await client.end().catch(() => undefined);
      scheduleReconnect();
    }
  };
  const scheduleReconnect = () => {
    if (closed || reconnectTimer) return;
    listenClient?.removeAllListeners('end');
    // The connection is already lost or being replaced: a failure to end it says nothing new.
    void listenClient?.end().catch(() => undefined);
    listenClient = null;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connectListener();
    }, 1000);
  };

  return {
    kind: 'postgres',
    knex,
    reader,
    async notify(channel, payload) {
      await knex.raw('select pg_notify(?, ?)', [channel, payload]);
      // This process learns of its own change at once; the others through LISTEN.
      for (const cb of listeners.get(channel) ?? []) cb(payload);
    },
    async listen(channel, onMessage) {
      const isNew = !listeners.has(channel);
      if (isNew) listeners.set(channel, new Set());
      listeners.get(channel)!.add(onMessage);
      if (!listenClient) await connectListener();
      else if (isNew) await listenClient.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        listeners.get(channel)?.delete(onMessage);
      };
    },
    async close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      await connecting;
      const c = listenClient;
      listenClient = null;
      if (c) {
        c.removeAllListeners('end');
        // Closing down: a listening connection that cannot end cleanly is dropped with the pool.
        await c.end().catch(() => undefined);
      }
      await knex.destroy();
      if (reader !== knex) await reader.destroy();
    },
  };
}

async function openPglite(opts: DatabaseOptions): Promise<Database> {
  const [{ PGlite }, { postgis }, { default: ClientPGLite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-postgis'),
    import('knex-pglite'),
  ]);
  fs.mkdirSync(path.dirname(path.resolve(opts.dataDir)), { recursive: true });
  const pglite = await PGlite.create({
    dataDir: path.resolve(opts.dataDir),
    extensions: { postgis },
    parsers: {
      [DATE_OID]: (v: string) => v,
      [INT8_OID]: (v: string) => Number(v),
      [NUMERIC_OID]: (v: string) => Number(v),
    },
  });
  const knex = knexFactory({ client: ClientPGLite as unknown as typeof knexFactory.Client, connection: { pglite } as never });
  // The embedded store serves one process only, so change notices stay in this process.
  const bus = new EventEmitter();
  bus.setMaxListeners(100);
  return {
    kind: 'pglite',
    knex,
    reader: knex,
    async notify(channel, payload) {
      bus.emit(channel, payload);
    },
    async listen(channel, onMessage) {
      bus.on(channel, onMessage);
      return async () => {
        bus.off(channel, onMessage);
      };
    },
    async close() {
      await knex.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
