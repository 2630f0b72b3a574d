// CQL2 (OGC 21-065r2) for the `filter` parameter of OGC API – Features Part 3: a hand-written
// recursive-descent parser for CQL2 text, a reader for CQL2 JSON, and an evaluator over one
// feature's properties and geometry. No npm package parses CQL2 (geostyler-cql-parser reads the
// older ECQL of GeoServer), and the collections are filtered in memory, so a filter is never
// turned into code or SQL: it is a tree of plain objects that `evaluate` walks.
//
// Classes covered: Basic CQL2 (comparisons, and/or/not, is null), Advanced Comparison Operators
// (like, between, in), Basic Spatial Functions with all spatial literals (S_INTERSECTS, and
// S_DISJOINT as its negation), Temporal Functions (every T_ function of the standard).

import type * as GeoJSON from 'geojson';
import { booleanIntersects } from '@turf/turf';
import { AppError, type ErrorCode } from '../errors';

/** Stable codes of a refused filter. */
export const Cql2ErrorCode = {
  invalid: 'filter_invalid',
  unknownProperty: 'filter_property_unknown',
  unsupported: 'filter_unsupported',
} as const satisfies Record<string, ErrorCode>;

/** The type of a queryable, as the evaluator needs it. */
export type QueryableType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'date-time' | 'geometry';

/** Bounds that keep a hostile filter cheap to parse and to evaluate. */
export const CQL2_LIMITS = { maxLength: 8_000, maxDepth: 40, maxNodes: 2_000, maxListItems: 500, maxPatternLength: 200 } as const;

/** A temporal value: an instant (start = end) or an interval, in ms since the epoch; open ends are ±Infinity. */
interface Period {
  start: number;
  end: number;
}

type Scalar =
  | { t: 'prop'; name: string; type: QueryableType }
  | { t: 'lit'; value: string | number | boolean }
  | { t: 'time'; period: Period }
  | { t: 'geom'; geometry: GeoJSON.Geometry };

/** A parsed filter: plain data, walked by `evaluate`. */
export type Cql2Expr =
  | { t: 'and' | 'or'; args: Cql2Expr[] }
  | { t: 'not'; arg: Cql2Expr }
  | { t: 'bool'; value: boolean }
  | { t: 'cmp'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; a: Scalar; b: Scalar }
  | { t: 'like'; a: Scalar; pattern: LikePattern }
  | { t: 'between'; a: Scalar; lo: Scalar; hi: Scalar }
  | { t: 'in'; a: Scalar; list: Scalar[] }
  | { t: 'isNull'; a: Scalar }
  | { t: 'spatial'; fn: 's_intersects' | 's_disjoint'; a: Scalar; b: Scalar }
  | { t: 'temporal'; fn: TemporalFn; a: Scalar; b: Scalar };

const TEMPORAL_FNS = [
  't_after', 't_before', 't_contains', 't_disjoint', 't_during', 't_equals', 't_finishedby', 't_finishes',
  't_intersects', 't_meets', 't_metby', 't_overlappedby', 't_overlaps', 't_startedby', 't_starts',
] as const;
type TemporalFn = (typeof TEMPORAL_FNS)[number];
const SPATIAL_FNS = ['s_intersects', 's_disjoint'] as const;
const OTHER_SPATIAL_FNS = ['s_equals', 's_touches', 's_within', 's_overlaps', 's_crosses', 's_contains'];

/** What the parser needs to know of a collection. */
export interface Cql2Context {
  queryables: Record<string, QueryableType>;
  /** Swaps the axes of geometry literals (filter-crs in lat,lon order) into lon,lat. */
  latLonLiterals?: boolean;
}

const fail = (message: string, position: number | string, code: ErrorCode = Cql2ErrorCode.invalid): never => {
  throw new AppError(code, 400, message, typeof position === 'number' ? { position } : { path: position });
};

// ---------------------------------------------------------------------------------------------
// Literals shared by both encodings

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function dateMs(text: string, where: number | string): number {
  const ms = DATE_RE.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text) fail(`Not a date (YYYY-MM-DD): ${JSON.stringify(text)}.`, where);
  return ms;
}

function timestampMs(text: string, where: number | string): number {
  const ms = TIMESTAMP_RE.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) fail(`Not a timestamp (RFC 3339, e.g. 2022-11-01T10:00:00+08:00): ${JSON.stringify(text)}.`, where);
  return ms;
}

function instantMs(text: string, where: number | string): number {
  return DATE_RE.test(text) ? dateMs(text, where) : timestampMs(text, where);
}

function intervalOf(startText: string, endText: string, where: number | string): Period {
  const start = startText === '..' ? -Infinity : instantMs(startText, where);
  const end = endText === '..' ? Infinity : instantMs(endText, where);
  if (start > end) fail('An interval must not end before it starts.', where);
  return { start, end };
}

/** A LIKE pattern: `%` any run, `_` one character, `\\` escapes the next one; the rest literal. */
type LikePattern = ({ k: 'any' } | { k: 'one' } | { k: 'char'; c: string })[];

function likePattern(pattern: string, where: number | string): LikePattern {
  if (pattern.length > CQL2_LIMITS.maxPatternLength) fail(`A LIKE pattern may have at most ${CQL2_LIMITS.maxPatternLength} characters.`, where);
  const chars = Array.from(pattern);
  const out: LikePattern = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\' && i + 1 < chars.length) out.push({ k: 'char', c: chars[++i] });
    else if (c === '%') out.push({ k: 'any' });
    else if (c === '_') out.push({ k: 'one' });
    else out.push({ k: 'char', c });
  }
  return out;
}

/**
 * Wildcard matching that backtracks only to the last `%`: at most pattern × text steps, where a
 * RegExp built from `%a%a%a…` could take exponential time on a long text.
 */
function likeMatches(p: LikePattern, text: string): boolean {
  const s = Array.from(text);
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    const t = p[j];
    if (t && (t.k === 'one' || (t.k === 'char' && t.c === s[i]))) {
      i++;
      j++;
    } else if (t && t.k === 'any') {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (j < p.length && p[j].k === 'any') j++;
  return j === p.length;
}

const swapAxes = (g: GeoJSON.Geometry): GeoJSON.Geometry => {
  const sw = (c: unknown): unknown => (typeof (c as number[])[0] === 'number' ? [(c as number[])[1], (c as number[])[0], ...(c as number[]).slice(2)] : (c as unknown[]).map(sw));
  if (g.type === 'GeometryCollection') return { ...g, geometries: g.geometries.map(swapAxes) };
  return { ...g, coordinates: sw(g.coordinates) } as GeoJSON.Geometry;
};

function bboxGeometry(v: number[], where: number | string, latLon: boolean): GeoJSON.Geometry {
  if (v.length !== 4 && v.length !== 6) fail('BBOX takes 4 or 6 numbers.', where);
  let [x0, y0, x1, y1] = v.length === 4 ? v : [v[0], v[1], v[3], v[4]];
  if (latLon) [x0, y0, x1, y1] = [y0, x0, y1, x1];
  if (x0 > x1 || y0 > y1) fail('BBOX corners must be south-west then north-east.', where);
  return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
}

function checkGeometry(g: GeoJSON.Geometry, where: number | string): GeoJSON.Geometry {
  let count = 0;
  const walk = (c: unknown, depth: number): void => {
    if (!Array.isArray(c) || depth > 4) fail('A geometry literal has malformed coordinates.', where);
    const arr = c as unknown[];
    if (typeof arr[0] === 'number' || arr.length === 0) {
      if (arr.length < 2 || arr.length > 3 || !arr.every((n) => typeof n === 'number' && Number.isFinite(n))) fail('A position has two or three numbers.', where);
      if (++count > 10_000) fail('A geometry literal may have at most 10000 positions.', where);
      return;
    }
    for (const x of arr) walk(x, depth + 1);
  };
  const types = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];
  if (!g || typeof g !== 'object' || !types.includes((g as { type: string }).type)) fail(`A geometry literal must be one of ${types.join(', ')}.`, where);
  walk((g as { coordinates: unknown }).coordinates, 0);
  return g;
}

// ---------------------------------------------------------------------------------------------
// CQL2 text

type TokKind = 'id' | 'qid' | 'str' | 'num' | 'op' | '(' | ')' | ',' | 'eof';
interface Tok {
  kind: TokKind;
  text: string;
  pos: number;
}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      toks.push({ kind: c, text: c, pos: i++ });
    } else if (c === "'") {
      const start = i++;
      let s = '';
      for (;;) {
        if (i >= src.length) fail('A string literal is not closed.', start);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      toks.push({ kind: 'str', text: s, pos: start });
    } else if (c === '"') {
      const start = i++;
      const end = src.indexOf('"', i);
      if (end < 0) fail('A quoted property name is not closed.', start);
      toks.push({ kind: 'qid', text: src.slice(i, end), pos: start });
      i = end + 1;
    } else if (/[0-9.]/.test(c) || ((c === '-' || c === '+') && /[0-9.]/.test(src[i + 1] ?? ''))) {
      const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
      if (!m) fail('A number is malformed.', i);
      toks.push({ kind: 'num', text: m![0], pos: i });
      i += m![0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.:]*/.exec(src.slice(i))!;
      toks.push({ kind: 'id', text: m[0], pos: i });
      i += m[0].length;
    } else {
      const m = /^(<>|<=|>=|=|<|>)/.exec(src.slice(i));
      if (!m) fail(`Unexpected character ${JSON.stringify(c)}.`, i);
      toks.push({ kind: 'op', text: m![0], pos: i });
      i += m![0].length;
    }
  }
  toks.push({ kind: 'eof', text: '', pos: src.length });
  return toks;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'between', 'in', 'is', 'null', 'true', 'false']);

class TextParser {
  private i = 0;
  private depth = 0;
  private nodes = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly ctx: Cql2Context,
  ) {}

  private peek(): Tok {
    return this.toks[this.i];
  }
  private next(): Tok {
    return this.toks[this.i++];
  }
  private isWord(word: string, tok = this.peek()): boolean {
    return tok.kind === 'id' && tok.text.toLowerCase() === word;
  }
  private expect(kind: TokKind, what: string): Tok {
    const t = this.next();
    if (t.kind !== kind) fail(`Expected ${what} but found ${t.kind === 'eof' ? 'the end of the filter' : JSON.stringify(t.text)}.`, t.pos);
    return t;
  }
  private expectWord(word: string): void {
    const t = this.next();
    if (!this.isWord(word, t)) fail(`Expected ${word.toUpperCase()} but found ${t.kind === 'eof' ? 'the end of the filter' : JSON.stringify(t.text)}.`, t.pos);
  }
  private count(pos: number): void {
    if (++this.nodes > CQL2_LIMITS.maxNodes) fail(`A filter may have at most ${CQL2_LIMITS.maxNodes} terms.`, pos);
  }

  parse(): Cql2Expr {
    const e = this.or();
    const t = this.peek();
    if (t.kind !== 'eof') fail(`Unexpected ${JSON.stringify(t.text)} after a complete expression.`, t.pos);
    return e;
  }

  private or(): Cql2Expr {
    const args = [this.and()];
    while (this.isWord('or')) {
      this.next();
      args.push(this.and());
    }
    return args.length === 1 ? args[0] : { t: 'or', args };
  }
  private and(): Cql2Expr {
    const args = [this.not()];
    while (this.isWord('and')) {
      this.next();
      args.push(this.not());
    }
    return args.length === 1 ? args[0] : { t: 'and', args };
  }
  private not(): Cql2Expr {
    const t = this.peek();
    this.count(t.pos);
    if (++this.depth > CQL2_LIMITS.maxDepth) fail(`A filter may nest at most ${CQL2_LIMITS.maxDepth} deep.`, t.pos);
    try {
      if (this.isWord('not')) {
        this.next();
        return { t: 'not', arg: this.not() };
      }
      return this.primary();
    } finally {
      this.depth--;
    }
  }
  private primary(): Cql2Expr {
    const t = this.peek();
    if (t.kind === '(') {
      this.next();
      const e = this.or();
      this.expect(')', '")"');
      return e;
    }
    if (t.kind === 'id') {
      const word = t.text.toLowerCase();
      if ((SPATIAL_FNS as readonly string[]).includes(word) || (TEMPORAL_FNS as readonly string[]).includes(word)) {
        this.next();
        this.expect('(', '"("');
        const a = this.scalar();
        this.expect(',', '","');
        const b = this.scalar();
        this.expect(')', '")"');
        return word.startsWith('s_') ? spatial(word as 's_intersects', a, b, t.pos) : temporal(word as TemporalFn, a, b, t.pos);
      }
      if (OTHER_SPATIAL_FNS.includes(word)) fail(`${t.text.toUpperCase()} is not offered; S_INTERSECTS and S_DISJOINT are.`, t.pos, Cql2ErrorCode.unsupported);
      if ((word === 'true' || word === 'false') && !this.startsPredicateTail(this.toks[this.i + 1])) {
        this.next();
        return { t: 'bool', value: word === 'true' };
      }
    }
    const a = this.scalar();
    return this.predicateTail(a);
  }
  private startsPredicateTail(tok: Tok): boolean {
    return tok.kind === 'op' || ['like', 'between', 'in', 'is', 'not'].some((w) => this.isWord(w, tok));
  }
  private predicateTail(a: Scalar): Cql2Expr {
    const t = this.peek();
    if (t.kind === 'op') {
      this.next();
      const b = this.scalar();
      return comparison(t.text as '=', a, b, t.pos);
    }
    if (this.isWord('is')) {
      this.next();
      const negated = this.isWord('not') && (this.next(), true);
      this.expectWord('null');
      const e: Cql2Expr = { t: 'isNull', a };
      return negated ? { t: 'not', arg: e } : e;
    }
    const negated = this.isWord('not') && (this.next(), true);
    const op = this.next();
    let e: Cql2Expr;
    if (this.isWord('like', op)) {
      const p = this.expect('str', 'a pattern in single quotes');
      e = { t: 'like', a: textOperand(a, op.pos), pattern: likePattern(p.text, p.pos) };
    } else if (this.isWord('between', op)) {
      const lo = this.scalar();
      this.expectWord('and');
      const hi = this.scalar();
      e = { t: 'between', a: ordered(a, op.pos), lo: ordered(lo, op.pos), hi: ordered(hi, op.pos) };
    } else if (this.isWord('in', op)) {
      this.expect('(', '"("');
      const list = [this.scalar()];
      while (this.peek().kind === ',') {
        this.next();
        list.push(this.scalar());
        if (list.length > CQL2_LIMITS.maxListItems) fail(`IN takes at most ${CQL2_LIMITS.maxListItems} values.`, this.peek().pos);
      }
      this.expect(')', '")"');
      e = { t: 'in', a, list };
    } else {
      return fail(`Expected a comparison, LIKE, BETWEEN, IN or IS NULL but found ${op.kind === 'eof' ? 'the end of the filter' : JSON.stringify(op.text)}.`, op.pos);
    }
    return negated ? { t: 'not', arg: e } : e;
  }

  private scalar(): Scalar {
    const t = this.next();
    this.count(t.pos);
    switch (t.kind) {
      case 'str':
        return { t: 'lit', value: t.text };
      case 'num':
        return { t: 'lit', value: Number(t.text) };
      case 'qid':
        return this.property(t.text, t.pos);
      case 'id': {
        const word = t.text.toLowerCase();
        if (word === 'true' || word === 'false') return { t: 'lit', value: word === 'true' };
        if (this.peek().kind === '(') return this.functionLiteral(word, t);
        if (KEYWORDS.has(word)) fail(`Expected a property or a value but found ${t.text.toUpperCase()}.`, t.pos);
        return this.property(t.text, t.pos);
      }
      default:
        return fail(`Expected a property or a value but found ${t.kind === 'eof' ? 'the end of the filter' : JSON.stringify(t.text)}.`, t.pos);
    }
  }
  private property(name: string, pos: number): Scalar {
    const type = this.ctx.queryables[name];
    if (!type) fail(`${JSON.stringify(name)} is not a queryable of this collection (see its /queryables).`, pos, Cql2ErrorCode.unknownProperty);
    return { t: 'prop', name, type };
  }
  private functionLiteral(word: string, t: Tok): Scalar {
    this.next(); // (
    if (word === 'date' || word === 'timestamp') {
      const s = this.expect('str', 'a quoted date');
      this.expect(')', '")"');
      const ms = word === 'date' ? dateMs(s.text, s.pos) : timestampMs(s.text, s.pos);
      return { t: 'time', period: { start: ms, end: ms } };
    }
    if (word === 'interval') {
      const a = this.intervalEnd();
      this.expect(',', '","');
      const b = this.intervalEnd();
      this.expect(')', '")"');
      return { t: 'time', period: intervalOf(a.text, b.text, a.pos) };
    }
    if (word === 'bbox') {
      const nums = [this.number()];
      while (this.peek().kind === ',') {
        this.next();
        nums.push(this.number());
      }
      this.expect(')', '")"');
      return { t: 'geom', geometry: bboxGeometry(nums, t.pos, Boolean(this.ctx.latLonLiterals)) };
    }
    const geometry = this.wkt(word, t.pos);
    return { t: 'geom', geometry: this.ctx.latLonLiterals ? swapAxes(geometry) : geometry };
  }
  private intervalEnd(): Tok {
    const t = this.next();
    if (t.kind === 'str') return t;
    if (t.kind === 'id' && (t.text.toLowerCase() === 'date' || t.text.toLowerCase() === 'timestamp') && this.peek().kind === '(') {
      this.next();
      const s = this.expect('str', 'a quoted date');
      this.expect(')', '")"');
      return s;
    }
    return fail('An INTERVAL end is a quoted date, timestamp or \'..\'.', t.pos);
  }
  private number(): number {
    const t = this.expect('num', 'a number');
    return Number(t.text);
  }
  /** WKT after its keyword and "(": the keyword's "(" is already read. */
  private wkt(word: string, pos: number): GeoJSON.Geometry {
    const position = () => {
      const p = [this.number(), this.number()];
      if (this.peek().kind === 'num') p.push(this.number());
      return p;
    };
    const list = <T>(item: () => T, opened = false): T[] => {
      if (!opened) this.expect('(', '"("');
      const out = [item()];
      while (this.peek().kind === ',') {
        this.next();
        out.push(item());
      }
      this.expect(')', '")"');
      return out;
    };
    // MULTIPOINT accepts both (1 2, 3 4) and ((1 2), (3 4)).
    const multiPoint = () => {
      if (this.peek().kind !== '(') return position();
      this.next();
      const p = position();
      this.expect(')', '")"');
      return p;
    };
    let g: GeoJSON.Geometry;
    switch (word) {
      case 'point':
        g = { type: 'Point', coordinates: list(position, true)[0] };
        break;
      case 'linestring':
        g = { type: 'LineString', coordinates: list(position, true) };
        break;
      case 'polygon':
        g = { type: 'Polygon', coordinates: list(() => list(position), true) };
        break;
      case 'multipoint':
        g = { type: 'MultiPoint', coordinates: list(multiPoint, true) };
        break;
      case 'multilinestring':
        g = { type: 'MultiLineString', coordinates: list(() => list(position), true) };
        break;
      case 'multipolygon':
        g = { type: 'MultiPolygon', coordinates: list(() => list(() => list(position)), true) };
        break;
      default:
        return fail(`Unknown function ${JSON.stringify(word.toUpperCase())}.`, pos, Cql2ErrorCode.unsupported);
    }
    return checkGeometry(g, pos);
  }
}

function comparison(op: '=' | '<>' | '<' | '<=' | '>' | '>=', a: Scalar, b: Scalar, where: number | string): Cql2Expr {
  if (a.t === 'geom' || b.t === 'geom') fail('Geometries are compared with S_INTERSECTS, not with comparison operators.', where);
  return { t: 'cmp', op, a, b };
}
function ordered(s: Scalar, where: number | string): Scalar {
  if (s.t === 'geom' || (s.t === 'prop' && s.type === 'geometry')) fail('BETWEEN compares numbers, dates or text, not geometries.', where);
  return s;
}
function textOperand(s: Scalar, where: number | string): Scalar {
  if (s.t === 'geom' || s.t === 'time' || (s.t === 'prop' && s.type === 'geometry')) fail('LIKE compares text.', where);
  return s;
}
function spatial(fn: 's_intersects' | 's_disjoint', a: Scalar, b: Scalar, where: number | string): Cql2Expr {
  const isGeom = (s: Scalar) => s.t === 'geom' || (s.t === 'prop' && s.type === 'geometry');
  if (!isGeom(a) || !isGeom(b)) fail(`${fn.toUpperCase()} takes two geometries (the geometry property, a WKT or GeoJSON literal, or BBOX).`, where);
  return { t: 'spatial', fn, a, b };
}
function temporal(fn: TemporalFn, a: Scalar, b: Scalar, where: number | string): Cql2Expr {
  const isTime = (s: Scalar) => s.t === 'time' || (s.t === 'prop' && (s.type === 'date' || s.type === 'date-time'));
  if (!isTime(a) || !isTime(b)) fail(`${fn.toUpperCase()} takes two temporal values (a date property, DATE, TIMESTAMP or INTERVAL).`, where);
  return { t: 'temporal', fn, a, b };
}

/** Parses CQL2 text; a malformed filter is a 400 whose details give the character position. */
export function parseCql2Text(src: string, ctx: Cql2Context): Cql2Expr {
  if (src.length > CQL2_LIMITS.maxLength) fail(`A filter may have at most ${CQL2_LIMITS.maxLength} characters.`, 0);
  return new TextParser(lex(src), ctx).parse();
}

// ---------------------------------------------------------------------------------------------
// CQL2 JSON

/** Parses CQL2 JSON (text of a JSON document); errors name the JSON pointer of the bad member. */
export function parseCql2Json(src: string, ctx: Cql2Context): Cql2Expr {
  if (src.length > CQL2_LIMITS.maxLength) fail(`A filter may have at most ${CQL2_LIMITS.maxLength} characters.`, 0);
  let doc: unknown;
  try {
    doc = JSON.parse(src);
  } catch (err) {
    const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
    return fail('The filter is not valid JSON.', m ? Number(m[1]) : 0);
  }
  let nodes = 0;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const scalar = (v: unknown, path: string, _depth: number): Scalar => {
    if (++nodes > CQL2_LIMITS.maxNodes) fail(`A filter may have at most ${CQL2_LIMITS.maxNodes} terms.`, path);
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return { t: 'lit', value: v };
    if (!isObj(v)) return fail('Expected a property, a literal or a geometry.', path);
    if (typeof v.property === 'string') {
      const type = ctx.queryables[v.property];
      if (!type) fail(`${JSON.stringify(v.property)} is not a queryable of this collection (see its /queryables).`, `${path}/property`, Cql2ErrorCode.unknownProperty);
      return { t: 'prop', name: v.property as string, type };
    }
    if (typeof v.date === 'string') {
      const ms = dateMs(v.date, `${path}/date`);
      return { t: 'time', period: { start: ms, end: ms } };
    }
    if (typeof v.timestamp === 'string') {
      const ms = timestampMs(v.timestamp, `${path}/timestamp`);
      return { t: 'time', period: { start: ms, end: ms } };
    }
    if (Array.isArray(v.interval)) {
      const ends = v.interval.map((e, i) => (typeof e === 'string' ? e : isObj(e) && typeof (e.date ?? e.timestamp) === 'string' ? ((e.date ?? e.timestamp) as string) : fail('An interval end is a date, a timestamp or "..".', `${path}/interval/${i}`)));
      if (ends.length !== 2) fail('An interval has two ends.', `${path}/interval`);
      return { t: 'time', period: intervalOf(ends[0], ends[1], `${path}/interval`) };
    }
    if (Array.isArray(v.bbox)) {
      if (!v.bbox.every((n) => typeof n === 'number' && Number.isFinite(n))) fail('A bbox has 4 or 6 numbers.', `${path}/bbox`);
      return { t: 'geom', geometry: bboxGeometry(v.bbox as number[], `${path}/bbox`, Boolean(ctx.latLonLiterals)) };
    }
    if (typeof v.type === 'string' && 'coordinates' in v) {
      const g = checkGeometry(v as unknown as GeoJSON.Geometry, path);
      return { t: 'geom', geometry: ctx.latLonLiterals ? swapAxes(g) : g };
    }
    if ('op' in v) fail('A predicate stands where a value is expected.', path);
    return fail('Expected a property, a literal or a geometry.', path);
  };
  const expr = (v: unknown, path: string, depth: number): Cql2Expr => {
    if (++nodes > CQL2_LIMITS.maxNodes) fail(`A filter may have at most ${CQL2_LIMITS.maxNodes} terms.`, path);
    if (depth > CQL2_LIMITS.maxDepth) fail(`A filter may nest at most ${CQL2_LIMITS.maxDepth} deep.`, path);
    if (typeof v === 'boolean') return { t: 'bool', value: v };
    if (!isObj(v) || typeof v.op !== 'string' || !Array.isArray(v.args)) return fail('Expected {"op": …, "args": […]}.', path);
    const op = v.op.toLowerCase();
    const args = v.args as unknown[];
    const n = (count: number) => {
      if (args.length !== count) fail(`${v.op} takes ${count} argument${count === 1 ? '' : 's'}.`, `${path}/args`);
    };
    const s = (i: number) => scalar(args[i], `${path}/args/${i}`, depth + 1);
    switch (op) {
      case 'and':
      case 'or':
        if (args.length < 2) fail(`${v.op} takes at least two arguments.`, `${path}/args`);
        return { t: op, args: args.map((a, i) => expr(a, `${path}/args/${i}`, depth + 1)) };
      case 'not':
        n(1);
        return { t: 'not', arg: expr(args[0], `${path}/args/0`, depth + 1) };
      case '=':
      case '<>':
      case '<':
      case '<=':
      case '>':
      case '>=':
        n(2);
        return comparison(op, s(0), s(1), path);
      case 'like': {
        n(2);
        if (typeof args[1] !== 'string') fail('A LIKE pattern is a string.', `${path}/args/1`);
        return { t: 'like', a: textOperand(s(0), path), pattern: likePattern(args[1] as string, `${path}/args/1`) };
      }
      case 'between':
        n(3);
        return { t: 'between', a: ordered(s(0), path), lo: ordered(s(1), path), hi: ordered(s(2), path) };
      case 'in': {
        n(2);
        const list = args[1];
        if (!Array.isArray(list) || list.length === 0 || list.length > CQL2_LIMITS.maxListItems) fail(`IN takes a list of 1 to ${CQL2_LIMITS.maxListItems} values.`, `${path}/args/1`);
        return { t: 'in', a: s(0), list: (list as unknown[]).map((x, i) => scalar(x, `${path}/args/1/${i}`, depth + 1)) };
      }
      case 'isnull':
        n(1);
        return { t: 'isNull', a: s(0) };
      default:
        if ((SPATIAL_FNS as readonly string[]).includes(op)) {
          n(2);
          return spatial(op as 's_intersects', s(0), s(1), path);
        }
        if ((TEMPORAL_FNS as readonly string[]).includes(op)) {
          n(2);
          return temporal(op as TemporalFn, s(0), s(1), path);
        }
        return fail(`Operator ${JSON.stringify(v.op)} is not offered.`, `${path}/op`, Cql2ErrorCode.unsupported);
    }
  };
  return expr(doc, '', 0);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** What a filter is evaluated against. */
export interface Cql2Feature {
  properties: Record<string, unknown>;
  geometry: GeoJSON.Geometry;
}

type Value = string | number | boolean | null;

function valueOf(s: Scalar, f: Cql2Feature): Value | Period | GeoJSON.Geometry {
  switch (s.t) {
    case 'lit':
      return s.value;
    case 'time':
      return s.period;
    case 'geom':
      return s.geometry;
    case 'prop': {
      if (s.type === 'geometry') return f.geometry;
      const v = s.name === 'id' && !(s.name in f.properties) ? null : f.properties[s.name];
      if (v === null || v === undefined) return null;
      if (s.type === 'date' || s.type === 'date-time') {
        const ms = typeof v === 'string' ? Date.parse(s.type === 'date' && DATE_RE.test(v) ? `${v}T00:00:00Z` : v) : v instanceof Date ? v.getTime() : NaN;
        return Number.isFinite(ms) ? { start: ms, end: ms } : null;
      }
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
    }
  }
}

const isPeriod = (v: unknown): v is Period => typeof v === 'object' && v !== null && 'start' in v;

/** Comparable form: instants compare by time; otherwise like with like (string with string, …). */
function compare(a: unknown, b: unknown): number | null {
  if (a === null || b === null) return null;
  if (isPeriod(a) && isPeriod(b)) {
    if (a.start !== a.end || b.start !== b.end) return null;
    return a.start - b.start;
  }
  if (typeof a !== typeof b || typeof a === 'object') return null;
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (typeof a !== 'string') return null;
  return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
}

function temporalHolds(fn: TemporalFn, a: Period, b: Period): boolean {
  switch (fn) {
    case 't_after':
      return a.start > b.end;
    case 't_before':
      return a.end < b.start;
    case 't_contains':
      return a.start < b.start && a.end > b.end;
    case 't_disjoint':
      return a.end < b.start || a.start > b.end;
    case 't_during':
      return a.start > b.start && a.end < b.end;
    case 't_equals':
      return a.start === b.start && a.end === b.end;
    case 't_finishedby':
      return a.start < b.start && a.end === b.end;
    case 't_finishes':
      return a.start > b.start && a.end === b.end;
    case 't_intersects':
      return a.start <= b.end && a.end >= b.start;
    case 't_meets':
      return a.end === b.start;
    case 't_metby':
      return a.start === b.end;
    case 't_overlappedby':
      return a.start > b.start && a.start < b.end && a.end > b.end;
    case 't_overlaps':
      return a.start < b.start && a.end > b.start && a.end < b.end;
    case 't_startedby':
      return a.start === b.start && a.end > b.end;
    case 't_starts':
      return a.start === b.start && a.end < b.end;
  }
}

/** Three-valued (true, false, null for unknown) evaluation of a parsed filter on one feature. */
export function evaluate(e: Cql2Expr, f: Cql2Feature): boolean | null {
  switch (e.t) {
    case 'bool':
      return e.value;
    case 'and': {
      let unknown = false;
      for (const a of e.args) {
        const v = evaluate(a, f);
        if (v === false) return false;
        if (v === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case 'or': {
      let unknown = false;
      for (const a of e.args) {
        const v = evaluate(a, f);
        if (v === true) return true;
        if (v === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case 'not': {
      const v = evaluate(e.arg, f);
      return v === null ? null : !v;
    }
    case 'isNull':
      return valueOf(e.a, f) === null;
    case 'cmp': {
      const c = compare(valueOf(e.a, f), valueOf(e.b, f));
      if (c === null) return null;
      switch (e.op) {
        case '=':
          return c === 0;
        case '<>':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
      return null;
    }
    case 'like': {
      const v = valueOf(e.a, f);
      if (v === null) return null;
      return likeMatches(e.pattern, String(v));
    }
    case 'between': {
      const v = valueOf(e.a, f);
      const lo = compare(v, valueOf(e.lo, f));
      const hi = compare(v, valueOf(e.hi, f));
      if (lo === null || hi === null) return null;
      return lo >= 0 && hi <= 0;
    }
    case 'in': {
      const v = valueOf(e.a, f);
      if (v === null) return null;
      let unknown = false;
      for (const item of e.list) {
        const c = compare(v, valueOf(item, f));
        if (c === 0) return true;
        if (c === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case 'spatial': {
      const a = valueOf(e.a, f) as GeoJSON.Geometry | null;
      const b = valueOf(e.b, f) as GeoJSON.Geometry | null;
      if (!a || !b) return null;
      const hit = booleanIntersects(a, b);
      return e.fn === 's_intersects' ? hit : !hit;
    }
    case 'temporal': {
      const a = valueOf(e.a, f);
      const b = valueOf(e.b, f);
      if (!isPeriod(a) || !isPeriod(b)) return null;
      return temporalHolds(e.fn, a, b);
    }
  }
}
