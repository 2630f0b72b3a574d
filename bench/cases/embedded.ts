/**
 * The embedded backend (PGlite + PostGIS in the service process), on a smaller dataset: the
 * public map against nginx with the same bytes, and "am I in a zone" (its goal is on latency; the
 * reference handler needs a PostgreSQL server, so its figure is the PostgreSQL row's).
 */
import type { BenchContext } from '../lib/context';
import { prepareEmbedded, serviceEnv } from '../lib/databases';
import { expectStatuses, runLoad } from '../lib/load';
import { startNodeProcess } from '../lib/processes';
import { below, fmt, type CaseResult } from '../lib/report';
import { measurePublicZones } from './public-zones';
import { randomPoints } from './lookup';

export async function embeddedCase(ctx: BenchContext): Promise<CaseResult> {
  const { options, log } = ctx;
  const dir = await prepareEmbedded(options.sizes, options.rebuild, log);
  const label = ` — embedded PGlite, ${options.sizes.embeddedZones.toLocaleString('en')} zones`;
  log('  starting the service on the embedded database …');
  const service = await startNodeProcess('service-process.ts', serviceEnv({ dataDir: dir }), 'embedded service');
  try {
    const result = await measurePublicZones(ctx, service, label);
    const points = randomPoints(10_000, 4242).map(([lon, lat]) => `/api/public/lookup?lon=${lon}&lat=${lat}`);
    log('  embedded service: /api/public/lookup …');
    const lookup = await runLoad({ url: service.url, paths: points, connections: options.connections, durationS: options.durationS });
    expectStatuses('embedded lookup', lookup, [200]);
    result.rows.push({
      case: `"am I in a zone"${label} (${options.connections} connections)`,
      project: `${fmt(lookup.requestsPerSec, 'req/s')} (p50 ${fmt(lookup.p50, 'ms')}, p99 ${fmt(lookup.p99, 'ms')})`,
      reference: 'no reference on PGlite (see the PostgreSQL row)',
      ratio: '—',
      goal: 'p99 < 10 ms',
      ...below(lookup.p99, 10, 'ms'),
      why: `The lookup itself is answered from memory, so what remains is the per-request cost described for the PostgreSQL row, with PGlite's ` +
        `WebAssembly PostgreSQL sharing the service's process and ${options.connections} requests in flight taking turns on its one event loop.`,
    });
    result.notes.push({
      case: 'embedded backend',
      text: `PGlite runs inside the service process; the dataset is smaller (${options.sizes.embeddedZones.toLocaleString('en')} zones, ${options.sizes.embeddedCases.toLocaleString('en')} cases).`,
    });
    return result;
  } finally {
    await service.stop();
  }
}
