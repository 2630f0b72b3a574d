// The query parameters of the OGC endpoints, read and checked in one place. OGC 17-069r4
// /req/core/query-param-unknown: a parameter the API definition does not name is a 400, and so is
// one with a value it cannot use (/req/core/query-param-invalid). Everything here throws AppError
// with the service's error shape; nothing is read from the request but the query string.

import { AppError, type ErrorCode } from '../errors';
import { isIsoDate, todayInShanghai, toDayNumber } from '../../../contract/dates';
import { parseCql2Json, parseCql2Text, type Cql2Expr, type QueryableType } from './cql2';

/** Stable codes of refused query parameters. */
export const OgcParamCode = {
  unknown: 'query_parameter_unknown',
  repeated: 'query_parameter_repeated',
  datetimeInvalid: 'datetime_invalid',
  datetimeTooLong: 'datetime_interval_too_long',
  propertiesInvalid: 'properties_invalid',
  sortbyInvalid: 'sortby_invalid',
  filterLangUnsupported: 'filter_lang_unsupported',
  crsUnsupported: 'crs_unsupported',
} as const satisfies Record<string, ErrorCode>;

/** The CRSs offered (OGC API – Features Part 2). EPSG:4490 (CGCS2000) coincides with WGS 84 within centimetres. */
export const CRS = {
  crs84: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84',
  epsg4326: 'http://www.opengis.net/def/crs/EPSG/0/4326',
  epsg4490: 'http://www.opengis.net/def/crs/EPSG/0/4490',
} as const;
export type CrsUri = (typeof CRS)[keyof typeof CRS];
export const CRS_LIST: readonly CrsUri[] = [CRS.crs84, CRS.epsg4326, CRS.epsg4490];
/** EPSG:4326 and EPSG:4490 are latitude first, as their EPSG definitions say. */
export const isLatLon = (crs: CrsUri) => crs !== CRS.crs84;

/** The most days a `datetime` interval on zones may span. */
export const MAX_DATETIME_DAYS = 366;

/** Parameters each endpoint accepts; every other one is a 400. */
export const ALLOWED = {
  meta: ['f'],
  items: ['f', 'bbox', 'bbox-crs', 'limit', 'offset', 'datetime', 'properties', 'sortby', 'filter', 'filter-lang', 'filter-crs', 'crs'],
  item: ['f', 'crs', 'properties'],
} as const;

type Query = Record<string, unknown>;

/** Refuses a parameter the endpoint does not define, and a parameter given twice. */
export function checkParams(query: Query, allowed: readonly string[]): void {
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.includes(name)) {
      throw new AppError(OgcParamCode.unknown, 400, `Unknown query parameter ${JSON.stringify(name)}.`, { parameter: name, allowed: [...allowed] });
    }
    if (typeof value !== 'string') {
      throw new AppError(OgcParamCode.repeated, 400, `The query parameter ${JSON.stringify(name)} may be given once.`, { parameter: name });
    }
  }
}

/** A CRS parameter (`crs`, `bbox-crs`, `filter-crs`): a URI of CRS_LIST; CRS84 when absent. */
export function parseCrs(value: unknown, parameter: string): CrsUri {
  if (value === undefined || value === '') return CRS.crs84;
  const v = String(value).replace(/^\[(.*)\]$/, '$1');
  const found = CRS_LIST.find((c) => c === v);
  if (!found) throw new AppError(OgcParamCode.crsUnsupported, 400, `${parameter}: not an offered CRS.`, { parameter, supported: [...CRS_LIST] });
  return found;
}

/** A bbox given in a lat,lon CRS, reordered to lon,lat for parseBbox (which checks the rest). */
export function bboxToLonLat(value: unknown, crs: CrsUri): unknown {
  if (typeof value !== 'string' || !isLatLon(crs)) return value;
  const p = value.split(',');
  if (p.length === 4) return [p[1], p[0], p[3], p[2]].join(',');
  if (p.length === 6) return [p[1], p[0], p[2], p[4], p[3], p[5]].join(',');
  return value;
}

/** The days of a `datetime`, Asia/Shanghai; `from` or `to` null for an open end. */
export interface DayRange {
  from: string | null;
  to: string | null;
  /** The parameter as given, repeated in the paging links. */
  text: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function dayOf(part: string, text: string): string {
  if (isIsoDate(part)) return part;
  const ms = TIMESTAMP.test(part) ? Date.parse(part) : NaN;
  if (!Number.isFinite(ms)) {
    throw new AppError(OgcParamCode.datetimeInvalid, 400, 'datetime: an RFC 3339 date-time (2022-11-01T10:00:00+08:00), a date, or an interval a/b with ".." or nothing for an open end.', { datetime: text });
  }
  return todayInShanghai(new Date(ms));
}

/** Parses `datetime` (/req/core/fc-time-definition): an instant, or an interval with open ends. */
export function parseDatetime(value: unknown): DayRange | null {
  if (value === undefined || value === '') return null;
  const text = String(value);
  const parts = text.split('/');
  if (parts.length > 2) dayOf('', text);
  if (parts.length === 1) {
    const day = dayOf(parts[0], text);
    return { from: day, to: day, text };
  }
  const open = (p: string) => p === '..' || p === '';
  if (open(parts[0]) && open(parts[1])) return { from: null, to: null, text };
  const from = open(parts[0]) ? null : dayOf(parts[0], text);
  const to = open(parts[1]) ? null : dayOf(parts[1], text);
  if (from && to && from > to) throw new AppError(OgcParamCode.datetimeInvalid, 400, 'datetime: the interval ends before it starts.', { datetime: text });
  return { from, to, text };
}

/** The days from..to (inclusive) once open ends are closed; 400 past MAX_DATETIME_DAYS. */
export function boundedDays(range: DayRange, firstDay: string | null, today: string): { from: string; to: string } | null {
  const to = range.to && range.to < today ? range.to : today;
  const from = range.from ?? firstDay;
  if (!from || from > to) return null;
  const span = toDayNumber(to) - toDayNumber(from) + 1;
  if (span > MAX_DATETIME_DAYS) {
    throw new AppError(OgcParamCode.datetimeTooLong, 400, `datetime: an interval may cover at most ${MAX_DATETIME_DAYS} days of the record; this one covers ${span}.`, {
      datetime: range.text,
      maximumDays: MAX_DATETIME_DAYS,
      from,
      to,
    });
  }
  return { from, to };
}

/** `properties=a,b`: the properties to return, each a known one; null when absent. */
export function parseProperties(value: unknown, known: readonly string[]): string[] | null {
  if (value === undefined) return null;
  const names = String(value).split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!known.includes(name)) throw new AppError(OgcParamCode.propertiesInvalid, 400, `properties: ${JSON.stringify(name)} is not a property of this collection.`, { property: name, known: [...known] });
  }
  return [...new Set(names)];
}

/** One key of `sortby`. */
export interface SortKey {
  name: string;
  descending: boolean;
}

/** `sortby=+name,-kind` on sortable properties (the queryables but the geometry). */
export function parseSortby(value: unknown, sortable: readonly string[]): SortKey[] {
  if (value === undefined || value === '') return [];
  const keys = String(value).split(',').map((raw) => {
    const m = /^\s*([+-]?)\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(raw);
    if (!m || !sortable.includes(m[2])) {
      throw new AppError(OgcParamCode.sortbyInvalid, 400, `sortby: ${JSON.stringify(raw)} is not [+|-] and a sortable property.`, { sortable: [...sortable] });
    }
    return { name: m[2], descending: m[1] === '-' };
  });
  if (keys.length > 8) throw new AppError(OgcParamCode.sortbyInvalid, 400, 'sortby: at most 8 keys.');
  return keys;
}

/** `filter` with `filter-lang` (cql2-text, the default, or cql2-json) and `filter-crs`. */
export function parseFilter(query: Query, queryables: Record<string, QueryableType>): Cql2Expr | null {
  const lang = query['filter-lang'] === undefined ? 'cql2-text' : String(query['filter-lang']);
  if (lang !== 'cql2-text' && lang !== 'cql2-json') {
    throw new AppError(OgcParamCode.filterLangUnsupported, 400, 'filter-lang: cql2-text or cql2-json.', { supported: ['cql2-text', 'cql2-json'] });
  }
  const crs = parseCrs(query['filter-crs'], 'filter-crs');
  if (query.filter === undefined || query.filter === '') return null;
  const ctx = { queryables, latLonLiterals: isLatLon(crs) };
  return lang === 'cql2-json' ? parseCql2Json(String(query.filter), ctx) : parseCql2Text(String(query.filter), ctx);
}
