/**
 * OGC API – Features: a page of 1,000 zones and a small bbox query (about 10 zones), against
 * MapServer 8 (Debian cgi-mapserver, FastCGI via spawn-fcgi, behind nginx) serving OGC API
 * Features from the same PostGIS table. When MapServer's OGC API is missing or fails, its WFS
 * is measured instead and the row says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REFERENCE_PACKAGES, type BenchContext } from '../lib/context';
import { expectStatuses, runLoad, type LoadResult } from '../lib/load';
import { bodyText, getJson, rawGet } from '../lib/http';
import { startMapServerFcgi, startNginx, workDir } from '../lib/processes';
import { BENCH_AREA } from '../lib/dataset';
import { atLeastTimes, fmt, referenceMissing, type CaseResult, type ResultRow } from '../lib/report';
import { FROM_MEMORY_CEILING } from '../lib/explain';

/** A MapServer 8 mapfile: one PostGIS layer over the zones table (the published zones), OGC API and WFS on. */
function mapfile(databaseUrl: string, dir: string): string {
  const u = new URL(databaseUrl);
  const connection = `host=${u.hostname} port=${u.port || 5432} dbname=${u.pathname.slice(1)} user=${decodeURIComponent(u.username)} password=${decodeURIComponent(u.password)}`;
  return `MAP
  NAME "zones"
  EXTENT ${BENCH_AREA.join(' ')}
  PROJECTION "init=epsg:4326" END
  WEB
    METADATA
      "ows_enable_request" "*"
      "ows_title" "Risk zones (bench reference)"
      "ows_srs" "EPSG:4326"
      "wfs_getfeature_formatlist" "geojson"
      "oga_html_template_directory" "/usr/share/mapserver/ogcapi/templates/html-plain/"
    END
  END
  OUTPUTFORMAT
    NAME "geojson"
    DRIVER "OGR/GEOJSON"
    MIMETYPE "application/json; subtype=geojson"
    FORMATOPTION "FORM=SIMPLE"
    FORMATOPTION "STORAGE=memory"
  END
  LAYER
    NAME "zones"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "${connection}"
    # Keeps the database connection open between requests of a FastCGI process (MapServer's advice).
    PROCESSING "CLOSE_CONNECTION=DEFER"
    DATA "geom FROM (SELECT id::text AS id, kind, name, designated_on::text AS designated_on, edition, geom FROM zones WHERE status = 'published') AS t USING UNIQUE id USING SRID=4326"
    PROJECTION "init=epsg:4326" END
    METADATA
      "ows_title" "zones"
      "gml_include_items" "all"
      "gml_featureid" "id"
      "gml_types" "auto"
      "oga_max_limit" "10000"
      "wfs_maxfeatures" "10000"
    END
    TEMPLATE "${dir}/unused.html"
  END
END
`;
}

/** Finds a bbox around the area's centre holding about `target` zones, by asking our endpoint. */
async function bboxWithAbout(serviceUrl: string, target: number): Promise<{ bbox: number[]; matched: number }> {
  const [minLon, minLat, maxLon, maxLat] = BENCH_AREA;
  const cx = (minLon + maxLon) / 2;
  const cy = (minLat + maxLat) / 2;
  let half = 0.002;
  for (;;) {
    const bbox = [cx - half, cy - half * 0.8, cx + half, cy + half * 0.8].map((v) => Math.round(v * 1e6) / 1e6);
    const page = await getJson(`${serviceUrl}/ogc/collections/zones/items?bbox=${bbox.join(',')}&limit=1`);
    if (page.numberMatched >= target || half > 0.25) return { bbox, matched: page.numberMatched };
    half *= 1.15;
  }
}

export async function ogcCase(ctx: BenchContext): Promise<CaseResult> {
  const { options, log, service } = ctx;
  const rows: ResultRow[] = [];
  const notes: CaseResult['notes'] = [];
  const { bbox, matched } = await bboxWithAbout(service.url, 10);
  const pageName = `OGC API Features: a page of 1,000 zones (${options.connections} connections)`;
  const bboxName = `OGC API Features: bbox query (${matched} zones, ${options.connections} connections)`;
  const queries = [
    { name: pageName, ours: '/ogc/collections/zones/items?limit=1000', params: 'limit=1000' },
    { name: bboxName, ours: `/ogc/collections/zones/items?bbox=${bbox.join(',')}&limit=1000`, params: `bbox=${bbox.join(',')}&limit=1000` },
  ];
  // Clients such as QGIS accept gzip; both servers are asked the same way.
  const headers = { 'accept-encoding': 'gzip' };
  const ours: LoadResult[] = [];
  const returned: number[] = [];
  for (const q of queries) {
    returned.push((await getJson(service.url + q.ours)).numberReturned);
    log(`  service: ${q.ours} …`);
    const r = await runLoad({ url: service.url, path: q.ours, headers, connections: options.connections, durationS: options.durationS });
    expectStatuses(q.ours, r, [200]);
    ours.push(r);
  }
  const projectText = (r: LoadResult) => `${fmt(r.requestsPerSec, 'req/s')} (p99 ${fmt(r.p99, 'ms')})`;

  if (!ctx.references.nginx || !ctx.references.mapserver || !ctx.references.spawnFcgi) {
    log(`  MapServer reference missing: ${REFERENCE_PACKAGES}`);
    queries.forEach((q, i) => rows.push(referenceMissing({ case: q.name, project: projectText(ours[i]), goal: '≥ 20× MapServer req/s' }, `install ${REFERENCE_PACKAGES}`)));
    return { rows, notes };
  }

  const dir = workDir('mapserver');
  fs.writeFileSync(path.join(dir, 'unused.html'), '<!-- MapServer template: makes the layer queryable -->\n');
  fs.writeFileSync(path.join(dir, 'zones.map'), mapfile(ctx.databaseUrl, dir));
  fs.writeFileSync(
    path.join(dir, 'mapserver.conf'),
    `CONFIG\n  ENV\n    MS_MAP_PATTERN "^${dir}"\n  END\n  MAPS\n    ZONES "${dir}/zones.map"\n  END\nEND\n`,
  );
  for (const f of ['unused.html', 'zones.map', 'mapserver.conf']) fs.chmodSync(path.join(dir, f), 0o644);
  const fcgi = await startMapServerFcgi(dir, path.join(dir, 'mapserver.conf'));
  const nginx = await startNginx(dir, () => `
    location /mapserv/ {
      fastcgi_split_path_info ^(/mapserv)(/.*)$;
      include /etc/nginx/fastcgi_params;
      fastcgi_param PATH_INFO $fastcgi_path_info;
      fastcgi_param HTTP_HOST $http_host;
      fastcgi_pass 127.0.0.1:${fcgi.port};
    }`);
  try {
    // OGC API when it answers properly, else WFS 2.0 GetFeature with the same filter.
    let api: 'OGC API Features' | 'WFS' = 'OGC API Features';
    const ogcPath = (params: string) => `/mapserv/zones/ogcapi/collections/zones/items?f=json&${params}`;
    const probe = await rawGet(nginx.url + ogcPath('limit=1000'), headers);
    let mapserverReturned: number[] = [];
    if (probe.status === 200) {
      mapserverReturned = [JSON.parse(bodyText(probe)).features.length, JSON.parse(bodyText(await rawGet(nginx.url + ogcPath(queries[1].params), headers))).features.length];
    } else {
      api = 'WFS';
      notes.push({ case: pageName, text: `MapServer's OGC API answered ${probe.status} (${bodyText(probe).slice(0, 200)}); its WFS was measured instead.` });
    }
    const wfsPath = (params: string) => {
      const p = new URLSearchParams(params);
      const bboxParam = p.get('bbox');
      return `/mapserv/zones?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=zones&OUTPUTFORMAT=geojson&COUNT=${p.get('limit')}` +
        (bboxParam ? `&BBOX=${bboxParam.split(',').map(Number).join(',')},urn:ogc:def:crs:OGC:1.3:CRS84` : '');
    };
    if (api === 'WFS') {
      mapserverReturned = [];
      for (const q of queries) mapserverReturned.push(JSON.parse(bodyText(await rawGet(nginx.url + wfsPath(q.params), headers))).features.length);
    }
    for (const [i, q] of queries.entries()) {
      const refPath = api === 'WFS' ? wfsPath(q.params) : ogcPath(q.params);
      log(`  MapServer ${api}: ${refPath} …`);
      const ref = await runLoad({ url: nginx.url, path: refPath, headers, connections: options.connections, durationS: options.durationS });
      expectStatuses(`MapServer ${refPath}`, ref, [200]);
      // nginx hands MapServer the requests still queued when the load stops; let them finish so
      // the next run does not start behind them.
      await Promise.all(Array.from({ length: fcgi.processes }, () => rawGet(nginx.url + refPath, headers)));
      rows.push({
        case: q.name,
        project: projectText(ours[i]),
        reference: `MapServer 8 ${api} (FastCGI ×${fcgi.processes} behind nginx): ${fmt(ref.requestsPerSec, 'req/s')} (p99 ${fmt(ref.p99, 'ms')})`,
        goal: '≥ 20× MapServer req/s',
        ...atLeastTimes(ours[i].requestsPerSec, ref.requestsPerSec, 20),
        why: `The service answers from a page cached per published snapshot, so ${FROM_MEMORY_CEILING}. ` +
          `MapServer answers this query from PostGIS in ${fmt(1000 / ref.requestsPerSec * Math.min(options.connections, fcgi.processes), 'ms')} per request and process; ` +
          `20× its rate would be ${fmt(20 * ref.requestsPerSec, 'req/s')}, above what the stack serves on this machine.`,
      });
      notes.push({ case: q.name, text: `features returned: project ${returned[i]}, MapServer ${mapserverReturned[i]}.` });
    }
  } finally {
    await nginx.stop();
    await fcgi.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rows, notes };
}
