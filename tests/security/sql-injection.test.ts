/**
 * No SQL assembled from strings. Statically: no template literal that reads as SQL interpolates
 * anything but a known-safe placeholder generator or an escaped identifier, and no raw SQL call
 * takes a concatenated or interpolated string. Dynamically: quote-heavy names and SQL fragments
 * sent through every text field and query parameter are stored and returned verbatim, or refused
 * with a 4xx, and every table still exists afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, TEST_PASSWORD } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { inParallel } from './in-parallel';

// ---------------------------------------------------------------------------------------------
// Static scan

const SOURCE_ROOT = 'server/src';

/** SQL as this code base writes it: statement shapes in any case, clause keywords in capitals. */
const SQL_CLAUSE_CAPITALS = /\b(SELECT|WHERE|FROM|JOIN|ORDER BY|GROUP BY|VALUES|RETURNING|ON CONFLICT|INSERT INTO|DELETE FROM|LISTEN|NOTIFY)\b/;
// All capitals or all lower case: "Select a zone from the map" is a sentence, not a statement.
const SQL_STATEMENT =
  /\b(?:SELECT\b[\s\S]*\bFROM|select\b[\s\S]*\bfrom|INSERT INTO|insert into|UPDATE \w+ SET|update \w+ set|DELETE FROM|delete from|(?:CREATE|DROP|ALTER) (?:TABLE|INDEX|FUNCTION|TRIGGER)|(?:create|drop|alter) (?:table|index|function|trigger))\b/;

/**
 * The only expressions allowed inside SQL template literals: placeholder lists made of `?`/`??`
 * (the values and identifiers still travel as bindings) and identifiers escaped by the driver.
 */
const SAFE_INTERPOLATIONS: RegExp[] = [
  /^[\w.]+\.map\(\(\) => '\?{1,2}'\)\.join\(', ?'\)$/,
  /^pg\.escapeIdentifier\([\w.]+\)$/,
];

/** Calls that hand their first argument to the database as SQL text. */
const RAW_SQL_CALLS = /^(raw|whereRaw|andWhereRaw|orWhereRaw|havingRaw|orderByRaw|joinRaw|fromRaw|groupByRaw|query)$/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

interface Finding {
  file: string;
  line: number;
  text: string;
}

/** Every SQL-looking template literal with an unsafe interpolation, and every raw SQL call built from pieces. */
export function findSqlAssembledFromStrings(files: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const report = (node: ts.Node) =>
      findings.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: node.getText(sf).slice(0, 160) });
    const visit = (node: ts.Node) => {
      if (ts.isTemplateExpression(node)) {
        const literal = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
        // Anything handed to a raw SQL call is SQL, whatever it looks like.
        if (SQL_STATEMENT.test(literal) || SQL_CLAUSE_CAPITALS.test(literal) || isRawSqlArgument(node)) {
          for (const span of node.templateSpans) {
            const expr = span.expression.getText(sf).replace(/\s+/g, ' ');
            if (!SAFE_INTERPOLATIONS.some((re) => re.test(expr))) report(span.expression);
          }
        }
      }
      if (ts.isCallExpression(node) && node.arguments.length > 0) {
        const callee = node.expression;
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
        const first = node.arguments[0];
        if (RAW_SQL_CALLS.test(name) && ts.isBinaryExpression(first) && first.operatorToken.kind === ts.SyntaxKind.PlusToken) report(first);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return findings;
}

/** Whether a node is the first argument of a raw SQL call (knex.raw, whereRaw, client.query, …). */
function isRawSqlArgument(node: ts.Node): boolean {
  const call = node.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== node) return false;
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  return RAW_SQL_CALLS.test(name);
}

describe('no SQL assembled from strings in server/src', () => {
  it('finds no SQL template literal with an unsafe interpolation and no concatenated raw SQL', () => {
    const files = sourceFiles(SOURCE_ROOT);
    expect(files.length).toBeGreaterThan(30);
    expect(findSqlAssembledFromStrings(files)).toEqual([]);
  });

  it('would catch the patterns it forbids (the scanner itself can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sql-scan-'));
    try {
      const bad = path.join(dir, 'bad.repo.ts');
      fs.writeFileSync(
        bad,
        [
          'export const a = (knex: any, name: string) => knex.raw(`SELECT * FROM zones WHERE name = \'${name}\'`);',
          'export const b = (knex: any, col: string) => knex("zones").orderByRaw("lower(" + col + ")");',
          'export const c = (trx: any, where: string) => trx.raw(`select id from cases ${where}`);',
          "export const ok = (knex: any, cols: string[]) => knex.raw(`INSERT INTO t (${cols.map(() => '??').join(', ')}) VALUES (?)`, [...cols, 1]);",
          'export const msg = (n: number) => `Select a zone from the ${n} shown`;',
        ].join('\n'),
      );
      expect(findSqlAssembledFromStrings([bad]).map((f) => f.line)).toEqual([1, 2, 3]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile text through HTTP

/**
 * Quote-heavy names and SQL fragments. None starts or ends with whitespace (text fields are
 * trimmed) and all are well-formed UTF-16 (a lone surrogate cannot survive UTF-8 unchanged).
 */
const PAYLOADS = [
  "'; DROP TABLE zones; --",
  '" OR 1=1 --',
  "' OR '1'='1",
  '$$; DROP TABLE cases; $$',
  '\\',
  "\\'; SELECT pg_sleep(5); --",
  '?? ? :name ::text $1',
  '%_* LIKE',
  "O'Brien \"the\" `quoted`",
  '); DELETE FROM audit_log; --',
  '<script>alert(1)</script>',
  '封控区 🙂 é ج \u202eRTL\u202c x\u2028y',
  'a\u200db\u00a0c 𠜎𠜱',
];

/** Every table of the schema: all must still exist after the attack. */
const TABLES = [
  'zones', 'zone_history', 'zone_cases', 'cases', 'screenings', 'bulletins', 'bulletin_zones', 'accounts', 'sessions', 'audit_log',
  'regions', 'facilities', 'hotlines', 'checkpoints', 'roads', 'trucks', 'truck_events', 'app_state',
];

const square = (lon: number, lat: number, d = 0.002) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

describe.each(backends())('hostile text is stored verbatim or refused, never executed, on %s', (backend) => {
  let server: TestServer;
  let designer: Client;
  let coordinator: Client;
  let admin: Client;
  let anon: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    designer = await loginAs(server.url, 'designer1');
    coordinator = await loginAs(server.url, 'coord1');
    admin = await loginAs(server.url, 'admin');
    anon = new Client(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  const tablesExist = async () => {
    const rows = await server.db.knex.raw(`SELECT ${TABLES.map(() => 'to_regclass(?) IS NOT NULL').join(' AND ')} AS ok`, TABLES);
    return rows.rows[0].ok as boolean;
  };

  it('keeps zone names, reasons, pending edits, lift reasons and bulletin titles verbatim', async () => {
    await inParallel(PAYLOADS, 4, async (p, i) => {
      const lon = 115.6 + i * 0.01;
      const created = await designer.post('/api/zones', { type: 'Feature', geometry: square(lon, 36.2), properties: { kind: 'precaution', name: p, reason: `${p} reason` } });
      expect(created.status, `${p}: ${created.text}`).toBe(201);
      expect(created.body.properties).toMatchObject({ name: p, reason: `${p} reason` });
      const id = created.body.id;
      const b = await designer.post('/api/bulletins', { zoneIds: [id], title: p });
      expect(b.status, b.text).toBe(201);
      expect((await anon.get(`/api/bulletins/${b.body.id}`)).body).toMatchObject({ title: p, zones: [{ id, name: p }] });
      expect((await anon.get(`/api/bulletins/${b.body.id}`)).body.text).toContain(p);
      const version = (await designer.get(`/api/zones/${id}`)).body.properties.version;
      const edit = await designer.patch(`/api/zones/${id}`, { properties: { name: `${p} v2` } }, { 'if-match': String(version) });
      expect(edit.status, edit.text).toBe(200);
      expect(edit.body.properties.pending.name).toBe(`${p} v2`);
      const lifted = await designer.post(`/api/zones/${id}/lift`, { reason: p });
      expect(lifted.status, lifted.text).toBe(200);
      expect(lifted.body.properties.liftReason).toBe(p);
      const stored = await server.db.knex('zones').where({ id }).first('name', 'reason', 'lift_reason');
      expect(stored).toEqual({ name: p, reason: `${p} reason`, lift_reason: p });
    });
    expect(await tablesExist()).toBe(true);
  });

  it('keeps case notes, checkpoint and facility texts, and truck details verbatim', async () => {
    const checkpoint = (await coordinator.get('/api/coordinator/checkpoints')).body.features[0].id;
    await inParallel(PAYLOADS, 4, async (p, i) => {
      const c = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [115.5, 36.1 + i * 0.001] }, note: p, reportedOn: '2022-11-01' });
      expect(c.status, c.text).toBe(201);
      expect(c.body.case.note).toBe(p);

      const cp = await coordinator.post('/api/checkpoints', {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [115.7, 36.1 + i * 0.001] },
        properties: { id: `cp-sql-${i}`, name: p, road: p.slice(0, 100), direction: p, pointLeader: p.slice(0, 100), phone: p.slice(0, 50) },
      });
      expect(cp.status, cp.text).toBe(201);

      const f = await admin.post('/api/facilities', {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [115.8, 36.1 + i * 0.001] },
        properties: { id: `f-sql-${i}`, kind: 'fever_clinic', name: p, address: p, phone: p, placement: p, note: p, source: p },
      });
      expect(f.status, f.text).toBe(201);
      expect((await anon.get(`/api/facilities/f-sql-${i}`)).body.properties).toMatchObject({ name: p, address: p, phone: p, placement: p, note: p, source: p });

      const plate = [...p].slice(0, 20).join('').trim().padEnd(2, 'x');
      const t = await coordinator.post('/api/trucks', {
        plate,
        driverName: p.slice(0, 50),
        driverPhone: '13800000000',
        originCity: p,
        destination: { type: 'Point', coordinates: [115.98, 36.45] },
        destinationAddress: p,
        expectedArrival: '2022-11-20T08:00:00+08:00',
        checkpointId: checkpoint,
      });
      expect(t.status, t.text).toBe(201);
      const ev = await coordinator.post(`/api/trucks/${t.body.truck.id}/events`, { state: 'arrived', note: p });
      expect(ev.status, ev.text).toBe(201);
      const truck = (await coordinator.get(`/api/trucks/${t.body.truck.id}`)).body;
      expect(truck).toMatchObject({ plate, originCity: p, destinationAddress: p, driverName: p.slice(0, 50) });
      expect(truck.events.map((e: { note: string }) => e.note)).toContain(p);
    });
    const notes = (await designer.get('/api/cases')).body.features.map((f: { properties: { note: string } }) => f.properties.note);
    expect(notes).toEqual(expect.arrayContaining(PAYLOADS));
    const checkpoints = (await coordinator.get('/api/coordinator/checkpoints')).body.features.filter((f: { id: string }) => f.id.startsWith('cp-sql-'));
    expect(checkpoints.map((f: { properties: { name: string } }) => f.properties.name).sort()).toEqual([...PAYLOADS].sort());
    expect(await tablesExist()).toBe(true);
  });

  it('records hostile text verbatim in the audit log', async () => {
    const p = PAYLOADS[0];
    const z = await designer.post('/api/zones', { type: 'Feature', geometry: square(116.5, 36.9), properties: { kind: 'precaution', name: p } });
    const entries = (await admin.get(`/api/admin/audit?entity=zone&entityId=${z.body.id}`)).body;
    expect(entries[0].after.name).toBe(p);
  });

  it('answers SQL fragments in every query and path parameter with a 4xx or an empty result, never a 5xx', async () => {
    const enc = encodeURIComponent;
    const answers: string[] = [];
    await inParallel(PAYLOADS, 4, async (p) => {
      const e = enc(p);
      const requests: [Client, string][] = [
        [designer, `/api/zones?status=${e}`],
        [designer, `/api/zones/${e}`],
        [designer, `/api/zones/${e}/history`],
        [anon, `/api/public/zones?asOf=${e}`],
        [anon, `/api/public/lookup?lon=${e}&lat=36.45`],
        [anon, `/api/public/lookup?lon=115.98&lat=36.45&crs=${e}`],
        [anon, `/api/facilities?kind=${e}`],
        [anon, `/api/facilities/${e}`],
        [anon, `/api/bulletins/${e}`],
        [admin, `/api/admin/audit?entity=${enc(p.slice(0, 40))}&entityId=${e}`],
        [designer, `/api/cases?limit=${e}`],
        [coordinator, `/api/trucks?state=${e}`],
        [coordinator, `/api/trucks/${e}`],
        [anon, `/ogc/collections/${e}`],
        [anon, `/ogc/collections/${e}/items`],
        [anon, `/ogc/collections/facilities/items/${e}`],
        [anon, `/ogc/collections/zones/items/${e}`],
        [anon, `/ogc/collections/facilities/items?bbox=${e}`],
        [anon, `/ogc/collections/facilities/items?limit=${e}&offset=${e}`],
        [anon, `/tiles/zones/${e}/1/1.mvt`],
      ];
      for (const [client, url] of requests) {
        const r = await client.get(url);
        if (r.status >= 500) answers.push(`${r.status} GET ${url}: ${r.text.slice(0, 120)}`);
        // A fragment never matches anything: a 200 may only be an empty answer.
        if (r.status === 200 && url.startsWith('/api/admin/audit')) expect(r.body).toEqual([]);
      }
      const writes: [Client, string, string, unknown][] = [
        [coordinator, 'PATCH', `/api/checkpoints/${e}`, { properties: { name: 'x' } }],
        [admin, 'PUT', `/api/facilities/${e}`, { type: 'Feature', geometry: { type: 'Point', coordinates: [115.9, 36.4] }, properties: { kind: 'fever_clinic', name: 'x' } }],
        [admin, 'POST', '/api/facilities', { type: 'Feature', geometry: { type: 'Point', coordinates: [115.9, 36.4] }, properties: { id: p, kind: 'fever_clinic', name: 'x' } }],
        [designer, 'POST', '/api/bulletins', { zoneIds: [p], title: 'x' }],
        [designer, 'DELETE', `/api/zones/${e}`, undefined],
        [admin, 'POST', `/api/admin/expiry/run?asOf=${e}`, {}],
        [anon, 'POST', '/api/auth/login', { username: p, password: p }],
        [anon, 'POST', '/api/auth/login', { username: `admin' --`, password: TEST_PASSWORD }],
      ];
      for (const [client, method, url, body] of writes) {
        const r = await client.request(method, url, body);
        if (r.status >= 500 || r.status < 400) answers.push(`${r.status} ${method} ${url}: ${r.text.slice(0, 120)}`);
      }
    });
    expect(answers).toEqual([]);
    expect(await tablesExist()).toBe(true);
    expect((await anon.get('/api/public/zones')).status).toBe(200);
  });
});
