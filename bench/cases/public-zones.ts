/**
 * The public risk map, GET /api/public/zones (gzip, 50 connections), against nginx serving the
 * very same bytes as a pre-gzipped static file (gzip_static): the fastest way people serve a
 * file that changes only on publication. Also the 304 path (If-None-Match), which is what every
 * returning visitor's browser asks for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REFERENCE_PACKAGES, type BenchContext } from '../lib/context';
import { expectStatuses, runLoad } from '../lib/load';
import { rawGet } from '../lib/http';
import { startNginx, workDir, type StartedProcess } from '../lib/processes';
import { atLeast, atLeastTimes, fmt, referenceMissing, type CaseResult, type ResultRow } from '../lib/report';
import { FAST_PATH, REVALIDATION, SHARED_CORES } from '../lib/explain';

/** Measures one service's public map against nginx with the same bytes; `label` names the backend. */
export async function measurePublicZones(
  ctx: Pick<BenchContext, 'options' | 'log' | 'references'>,
  service: StartedProcess,
  label: string,
): Promise<CaseResult> {
  const { options, log } = ctx;
  const rows: ResultRow[] = [];
  const notes: CaseResult['notes'] = [];
  const caseName = `public zones map${label} (GET /api/public/zones, gzip, ${options.connections} connections)`;
  const notModifiedName = `public zones map${label}: the 304 path (If-None-Match)`;

  const gz = await rawGet(`${service.url}/api/public/zones`, { 'accept-encoding': 'gzip' });
  if (gz.status !== 200 || gz.headers['content-encoding'] !== 'gzip') throw new Error(`GET /api/public/zones answered ${gz.status} without gzip`);
  const plain = await rawGet(`${service.url}/api/public/zones`, { 'accept-encoding': 'identity' });
  const etag = String(gz.headers.etag);
  const zonesInForce = (JSON.parse(plain.body.toString()).features as unknown[]).length;
  notes.push({
    case: caseName,
    text: `${zonesInForce.toLocaleString('en')} zones in force; ${fmt(plain.body.length / 1e6)} MB of GeoJSON, ${fmt(gz.body.length / 1e6)} MB gzipped (the same bytes for both servers).`,
  });

  log(`  service${label}: gzip map …`);
  const ours = await runLoad({ url: service.url, path: '/api/public/zones', headers: { 'accept-encoding': 'gzip' }, connections: options.connections, durationS: options.durationS });
  expectStatuses('public zones', ours, [200]);
  log(`  service${label}: 304 path …`);
  const ours304 = await runLoad({ url: service.url, path: '/api/public/zones', headers: { 'accept-encoding': 'gzip', 'if-none-match': etag }, connections: options.connections, durationS: options.durationS });
  expectStatuses('public zones 304', ours304, [304]);

  const project = `${fmt(ours.requestsPerSec, 'req/s')} (p99 ${fmt(ours.p99, 'ms')}, ${fmt(ours.bytesPerSec / 1e6, 'MB/s')})`;
  const project304 = `${fmt(ours304.requestsPerSec, 'req/s')} (p99 ${fmt(ours304.p99, 'ms')})`;
  if (!ctx.references.nginx) {
    log(`  nginx is not installed: ${REFERENCE_PACKAGES}`);
    rows.push(referenceMissing({ case: caseName, project, goal: '≥ 0.5× nginx req/s' }, `install nginx: ${REFERENCE_PACKAGES}`));
    rows.push({ case: notModifiedName, project: project304, reference: '—', ratio: '—', goal: '≥ 10,000 req/s', ...atLeast(ours304.requestsPerSec, 10_000, 'req/s'), why: `${REVALIDATION}.` });
    return { rows, notes };
  }

  const dir = workDir('nginx-static');
  const nginx = await startNginx(dir, () => `
    location = /zones.json {
      gzip_static on;
      default_type application/geo+json;
      add_header Cache-Control "public, max-age=0, must-revalidate";
      add_header Vary Accept-Encoding;
    }`);
  try {
    fs.writeFileSync(path.join(dir, 'www', 'zones.json'), plain.body);
    fs.writeFileSync(path.join(dir, 'www', 'zones.json.gz'), gz.body);
    const check = await rawGet(`${nginx.url}/zones.json`, { 'accept-encoding': 'gzip' });
    if (check.status !== 200 || !check.body.equals(gz.body)) throw new Error('nginx did not serve the pre-gzipped bytes');
    const nginxEtag = String(check.headers.etag);
    log('  nginx gzip_static …');
    const ref = await runLoad({ url: nginx.url, path: '/zones.json', headers: { 'accept-encoding': 'gzip' }, connections: options.connections, durationS: options.durationS });
    expectStatuses('nginx static', ref, [200]);
    log('  nginx 304 …');
    const ref304 = await runLoad({ url: nginx.url, path: '/zones.json', headers: { 'accept-encoding': 'gzip', 'if-none-match': nginxEtag }, connections: options.connections, durationS: options.durationS });
    expectStatuses('nginx 304', ref304, [304]);
    rows.push({
      case: caseName,
      project,
      reference: `nginx gzip_static: ${fmt(ref.requestsPerSec, 'req/s')} (p99 ${fmt(ref.p99, 'ms')}, ${fmt(ref.bytesPerSec / 1e6, 'MB/s')})`,
      goal: '≥ 0.5× nginx req/s',
      ...atLeastTimes(ours.requestsPerSec, ref.requestsPerSec, 0.5),
      why: `The map's bytes are built and gzipped once per publication; per request what remains is ${FAST_PATH} writing ` +
        `${fmt(gz.body.length / 1e6)} MB, in ${SHARED_CORES}, where nginx sends the file with sendfile from two worker processes.`,
    });
    rows.push({
      case: notModifiedName,
      project: project304,
      reference: `nginx 304: ${fmt(ref304.requestsPerSec, 'req/s')}`,
      ratio: `${fmt(ours304.requestsPerSec / ref304.requestsPerSec)}×`,
      goal: '≥ 10,000 req/s',
      ...atLeast(ours304.requestsPerSec, 10_000, 'req/s'),
      why: `${REVALIDATION}.`,
    });
  } finally {
    await nginx.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rows, notes };
}

/** The PostgreSQL service's public map. */
export async function publicZonesCase(ctx: BenchContext): Promise<CaseResult> {
  return measurePublicZones(ctx, ctx.service, '');
}
