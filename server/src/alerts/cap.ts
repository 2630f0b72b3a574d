/**
 * Every publication of the record as an OASIS CAP 1.2 alert (docs/public-record.md). Pure: the same
 * record up to publication N always gives the same bytes for alert N, so an alert can be served as
 * immutable, like the publication it speaks for.
 *
 * CAP thinks in messages, the record in zones. A CAP `Update` or `Cancel` replaces every message it
 * references as a whole, so an alert that references an earlier one must say again what that one
 * said and still holds: when a publication changes zone A and A was first published together with
 * B, the alert carries B too (unchanged) — otherwise a platform that drops the superseded alert would
 * drop B with it. The planner below keeps, for each zone in force, the one alert that currently
 * speaks for it, and so every zone in force is in exactly one unsuperseded alert.
 */
import { chineseDate, ISSUER } from '../bulletins/bulletin.text';
import { EDITIONS, type EditionId, type ZoneKind } from '../expiry/editions';
import { KIND_NAMES, kindName, MEASURES, type BilingualText } from '../expiry/measures';
import type { PublicationKind, PublishedZoneState, ZoneChange } from '../publications/record';
import { element, midnightInstant, shanghaiDateTime, shanghaiMidnight } from './xml';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

/**
 * Who sends the alerts (CAP `sender`: no spaces, commas, `<` or `&`). A placeholder until the issuing
 * office names its own address; it is part of every `references` entry, so once platforms have
 * received alerts it must not change.
 */
export const CAP_SENDER = 'risk-zones@liaocheng.example';

/** The stable CAP identifier of publication N. */
export function capIdentifier(number: number): string {
  return `liaocheng-risk-zones-${number}`;
}

/** The CAP `references` entry of an earlier alert: `sender,identifier,sent`. */
export function capReference(number: number, sent: Date): string {
  return `${CAP_SENDER},${capIdentifier(number)},${shanghaiDateTime(sent)}`;
}

export type MsgType = 'Alert' | 'Update' | 'Cancel';

/** One zone's entry in one publication, as much as the planner needs. */
export interface RecordRow {
  publication: number;
  zoneId: string;
  inForce: boolean;
}

/** What alert N is: its type, the earlier alerts it references, and the zones it speaks for. */
export interface AlertPlan {
  number: number;
  msgType: MsgType;
  /** Every earlier alert that spoke for any zone of this one, oldest first. */
  references: number[];
  /** The zones the publication itself changed (in its order). */
  zones: string[];
  /** Zones in force, unchanged by the publication, said again because a referenced alert held them. */
  carried: string[];
}

/**
 * Folds the record, publication by publication, into alert plans. Feed it rows in publication order
 * (each publication's rows together); it remembers where it stopped.
 */
export class AlertPlanner {
  /** The last publication folded in. */
  upTo = 0;
  private readonly plans = new Map<number, AlertPlan>();
  /** The alert that currently speaks for each zone in force. */
  private readonly holderOf = new Map<string, number>();
  /** The zones in force each unsuperseded alert speaks for. */
  private readonly heldBy = new Map<number, string[]>();
  /** Every alert that ever spoke for a zone. */
  private readonly historyOf = new Map<string, number[]>();

  /** Folds in the rows of publications after `upTo`, up to and including `through`. */
  advance(rows: readonly RecordRow[], through: number): void {
    let i = 0;
    while (i < rows.length) {
      const number = rows[i].publication;
      let j = i;
      while (j < rows.length && rows[j].publication === number) j++;
      if (number > this.upTo) this.fold(number, rows.slice(i, j));
      i = j;
    }
    this.upTo = Math.max(this.upTo, through);
  }

  plan(number: number): AlertPlan | undefined {
    return this.plans.get(number);
  }

  private fold(number: number, rows: readonly RecordRow[]): void {
    const direct = new Set(rows.map((r) => r.zoneId));
    const superseded = new Set<number>();
    for (const r of rows) {
      const holder = this.holderOf.get(r.zoneId);
      if (holder !== undefined) superseded.add(holder);
    }
    const carried: string[] = [];
    for (const s of [...superseded].sort((a, b) => a - b)) {
      for (const zoneId of this.heldBy.get(s) ?? []) if (!direct.has(zoneId)) carried.push(zoneId);
    }
    const involved = [...direct, ...carried];
    const references = [...new Set(involved.flatMap((z) => this.historyOf.get(z) ?? []))].sort((a, b) => a - b);
    const held = [...rows.filter((r) => r.inForce).map((r) => r.zoneId), ...carried];
    const msgType: MsgType = references.length === 0 ? 'Alert' : held.length === 0 ? 'Cancel' : 'Update';

    for (const s of superseded) this.heldBy.delete(s);
    for (const r of rows) if (!r.inForce) this.holderOf.delete(r.zoneId);
    for (const zoneId of held) this.holderOf.set(zoneId, number);
    if (held.length) this.heldBy.set(number, held);
    for (const zoneId of involved) {
      const history = this.historyOf.get(zoneId);
      if (history) history.push(number);
      else this.historyOf.set(zoneId, [number]);
    }
    this.plans.set(number, { number, msgType, references, zones: [...direct], carried });
  }
}

/** An exterior ring as CAP wants it, or null when too little is left of it at 6 decimals. */
export function capPolygon(ring: readonly (readonly number[])[]): string | null {
  // 6 decimals is about 0.1 m, what the record stores; CAP asks for WGS 84 decimal degrees.
  const points: [lon: number, lat: number][] = [];
  for (const position of ring) {
    const p: [number, number] = [round6(position[0]), round6(position[1])];
    const last = points.at(-1);
    if (!last || last[0] !== p[0] || last[1] !== p[1]) points.push(p);
  }
  if (points.length > 1 && points[0][0] === points.at(-1)![0] && points[0][1] === points.at(-1)![1]) points.pop();
  if (points.length < 3) return null;
  // CAP gives no winding; counter-clockwise exterior (RFC 7946 §3.1.6) is what every consumer reads.
  // Reversed from its first vertex, so that the ring still starts where the record's does.
  if (twiceSignedArea(points) < 0) points.push(...points.splice(1).reverse());
  if (twiceSignedArea(points) === 0) return null;
  points.push(points[0]);
  return points.map(([lon, lat]) => `${decimal(lat)},${decimal(lon)}`).join(' ');
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Plain decimal, at most 6 places, never exponent notation, never `-0`. */
function decimal(x: number): string {
  const s = x.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

function twiceSignedArea(points: readonly [number, number][]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i];
    const [x2, y2] = points[(i + 1) % points.length];
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/** The polygons of a stored geometry (GeoJSON text) for CAP, and how many holes CAP had to leave out. */
export function capArea(geometryText: string | null): { polygons: string[]; holes: number } {
  if (!geometryText) return { polygons: [], holes: 0 };
  const geometry = JSON.parse(geometryText) as { type: string; coordinates: number[][][] | number[][][][] };
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : []) as number[][][][];
  const out: string[] = [];
  let holes = 0;
  for (const [exterior, ...interior] of polygons) {
    const polygon = exterior ? capPolygon(exterior) : null;
    if (polygon) out.push(polygon);
    holes += interior.length;
  }
  return { polygons: out, holes };
}

/** One zone of an alert, read from the record as of the alert's publication. */
export interface AlertZone {
  zoneId: string;
  /** `direct`: the publication changed it; `carried`: in force and unchanged, said again. */
  role: 'direct' | 'carried';
  inForce: boolean;
  change: ZoneChange;
  effectiveOn: string;
  state: PublishedZoneState;
  /** The zone's public state before this publication (direct zones only). */
  before: PublishedZoneState | null;
  /** The geometry as stored in the record (GeoJSON text). */
  geometry: string | null;
}

/** A publication and what the alert for it needs besides its zones. */
export interface AlertInput {
  number: number;
  kind: PublicationKind;
  publishedAt: Date;
  publishedOn: string;
  title: string;
  corrects: number | null;
  plan: AlertPlan;
  /** When each referenced publication was sent. */
  sentOf: ReadonlyMap<number, Date>;
  zones: AlertZone[];
  /** Absolute base of the service's public URLs, without a trailing slash. */
  baseUrl: string;
}

type Occasion = ZoneChange | 'unchanged';

/** CAP `event` of each thing a publication can do to a zone. */
const EVENTS: Readonly<Record<Occasion, BilingualText>> = {
  designated: { zh: '风险区域划定', en: 'Risk area designated' },
  changed: { zh: '风险区域调整', en: 'Risk area adjusted' },
  kind_changed: { zh: '风险区域调整', en: 'Risk area adjusted' },
  reopened: { zh: '风险区域恢复管控', en: 'Risk area reinstated' },
  dates: { zh: '风险区域预计解除日期变更', en: 'Risk area expected dates changed' },
  lifted: { zh: '风险区域解除', en: 'Risk area lifted' },
  unchanged: { zh: '风险区域持续管控', en: 'Risk area remains in force' },
};

interface Response {
  urgency: 'Immediate' | 'Past';
  severity: 'Severe' | 'Moderate' | 'Minor';
  certainty: 'Observed' | 'Likely' | 'Possible';
  responseType: 'Shelter' | 'Avoid' | 'AllClear';
}

/**
 * How CAP grades each kind while in force. The measures apply from publication (Immediate). A
 * sealed zone has cases in it (Observed) and its people stay home (Shelter, Severe); a controlled
 * zone holds their close contacts (Likely) and nobody leaves it (Shelter, Moderate); a precaution
 * zone is the ring around them (Possible), where gatherings are to be avoided (Avoid, Minor).
 */
const RESPONSE_OF: Readonly<Record<ZoneKind, Response>> = {
  sealed: { urgency: 'Immediate', severity: 'Severe', certainty: 'Observed', responseType: 'Shelter' },
  controlled: { urgency: 'Immediate', severity: 'Moderate', certainty: 'Likely', responseType: 'Shelter' },
  precaution: { urgency: 'Immediate', severity: 'Minor', certainty: 'Possible', responseType: 'Avoid' },
};
const LIFTED_RESPONSE: Response = { urgency: 'Past', severity: 'Minor', certainty: 'Observed', responseType: 'AllClear' };

const SENDER_NAME: BilingualText = {
  zh: ISSUER,
  en: 'Office of the Liaocheng Leading Group (Headquarters) for Coordinating Epidemic Prevention and Economic Operation',
};
const SAMPLE_NOTE: BilingualText = { zh: '示例数据，非真实疫情', en: 'sample data, not a real outbreak' };

const STRICTNESS: Readonly<Record<ZoneKind, number>> = { sealed: 0, controlled: 1, precaution: 2 };

function nameOfKind(edition: string, kind: ZoneKind): BilingualText {
  // The record outlives the code: an edition no longer known still gets the plain kind names.
  return edition in EDITIONS ? kindName(edition as EditionId, kind) : KIND_NAMES[kind];
}

/** The alert of one publication, as a CAP 1.2 document. */
export function capAlertXml(input: AlertInput): string {
  const { plan } = input;
  const web = `${input.baseUrl}/api/public/publications/${input.number}`;
  const zones = [...input.zones].sort(
    (a, b) =>
      (a.role === b.role ? 0 : a.role === 'direct' ? -1 : 1) ||
      Number(b.inForce) - Number(a.inForce) ||
      STRICTNESS[a.state.kind] - STRICTNESS[b.state.kind] ||
      (a.state.name < b.state.name ? -1 : a.state.name > b.state.name ? 1 : 0) ||
      (a.zoneId < b.zoneId ? -1 : 1),
  );
  const allSample = zones.length > 0 && zones.every((z) => z.state.sample);
  const notes: string[] = [];
  if (input.corrects !== null) notes.push(`更正第${input.corrects}号通告 / corrects notice No. ${input.corrects}`);
  if (zones.some((z) => z.state.sample)) notes.push(`${SAMPLE_NOTE.zh} / ${SAMPLE_NOTE.en}`);
  const references = plan.references.map((n) => {
    const sent = input.sentOf.get(n);
    if (!sent) throw new Error(`alert ${input.number} references publication ${n}, which has no time`);
    return capReference(n, sent);
  });

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<alert xmlns="${CAP_NAMESPACE}">`,
    element('identifier', capIdentifier(input.number)),
    element('sender', CAP_SENDER),
    element('sent', shanghaiDateTime(input.publishedAt)),
    // Sample zones (the demo outbreak) are an exercise for every platform that reads the alert.
    element('status', allSample ? 'Exercise' : 'Actual'),
    element('msgType', plan.msgType),
    element('scope', 'Public'),
    ...(notes.length ? [element('note', notes.join('; '))] : []),
    ...(references.length ? [element('references', references.join(' '))] : []),
  ];
  for (const zone of zones) {
    for (const language of ['zh', 'en'] as const) lines.push(infoXml(input, zone, language, web));
  }
  lines.push('</alert>', '');
  return lines.join('\n');
}

function infoXml(input: AlertInput, zone: AlertZone, language: 'zh' | 'en', web: string): string {
  const { state } = zone;
  const occasion: Occasion = !zone.inForce ? 'lifted' : zone.role === 'carried' ? 'unchanged' : zone.change;
  const response = zone.inForce ? RESPONSE_OF[state.kind] : LIFTED_RESPONSE;
  const kind = nameOfKind(state.edition, state.kind)[language];
  const event = EVENTS[occasion][language];
  const sent = input.publishedAt;
  const effectiveAt = zone.role === 'direct' ? midnightInstant(zone.effectiveOn) : null;
  const area = capArea(zone.geometry);
  const instruction = zone.inForce
    ? MEASURES[state.kind][language]
    : language === 'zh' ? `${kind}管控措施已解除。` : `The measures of the ${kind} no longer apply.`;

  const out = [
    '<info>',
    element('language', language === 'zh' ? 'zh-CN' : 'en-US'),
    element('category', 'Health'),
    element('event', event),
    element('responseType', response.responseType),
    element('urgency', response.urgency),
    element('severity', response.severity),
    element('certainty', response.certainty),
    // A change that takes effect on a later day says so; otherwise it is in effect when sent.
    ...(effectiveAt && effectiveAt > sent ? [element('effective', shanghaiMidnight(zone.effectiveOn))] : []),
    ...(zone.inForce && state.nextChangeOn ? [element('expires', shanghaiMidnight(state.nextChangeOn))] : []),
    element('senderName', SENDER_NAME[language]),
    element('headline', language === 'zh' ? `${event}：${state.name}（${kind}）` : `${event}: ${state.name} (${kind})`),
    element('description', zoneDescription(input, zone, occasion, language)),
    element('instruction', instruction),
    element('web', web),
    parameter('zoneId', zone.zoneId),
    parameter('zoneKind', state.kind),
    parameter('inForce', String(zone.inForce)),
    '<area>',
    element('areaDesc', areaDesc(state, kind, area.holes, language)),
    ...area.polygons.map((p) => element('polygon', p)),
    '</area>',
    '</info>',
  ];
  return out.join('\n');
}

function parameter(name: string, value: string): string {
  return `<parameter>${element('valueName', name)}${element('value', value)}</parameter>`;
}

function areaDesc(state: PublishedZoneState, kind: string, holes: number, language: 'zh' | 'en'): string {
  if (language === 'zh') {
    const sample = state.sample ? '【示例】' : '';
    // CAP polygons have no holes: the area given is the outer boundary, and the text says what it leaves out.
    const hole = holes ? `，不含其中${holes}处内部范围（CAP 多边形无法表示，以公布的地图为准）` : '';
    return `${sample}${state.name}（${kind}）${hole}`;
  }
  const sample = state.sample ? '[sample] ' : '';
  const hole = holes
    ? `, excluding ${holes} enclosed area${holes > 1 ? 's' : ''} inside it (CAP polygons cannot express holes: the published map is authoritative)`
    : '';
  return `${sample}${state.name} (${kind})${hole}`;
}

function zoneDescription(input: AlertInput, zone: AlertZone, occasion: Occasion, language: 'zh' | 'en'): string {
  const { state } = zone;
  const names = nameOfKind(state.edition, state.kind);
  const before = zone.before && zone.before.kind !== state.kind ? nameOfKind(zone.before.edition, zone.before.kind) : null;
  const zh = language === 'zh';
  const date = (d: string) => (zh ? chineseDate(d) : d);
  const on = date(zone.effectiveOn);
  const parts: string[] = [];
  if (state.sample) parts.push(zh ? `【${SAMPLE_NOTE.zh}】` : `[${SAMPLE_NOTE.en}]`);
  switch (occasion) {
    case 'designated':
      parts.push(zh ? `${state.name}划定为${names.zh}，自${on}起执行${names.zh}管控措施。` : `${state.name} is designated a ${names.en} from ${on}.`);
      break;
    case 'changed':
    case 'kind_changed':
      parts.push(
        before
          ? zh ? `${state.name}由${before.zh}调整为${names.zh}，自${on}起执行。` : `${state.name} changes from a ${before.en} to a ${names.en} from ${on}.`
          : zh ? `${state.name}调整后仍为${names.zh}，自${on}起按本通告执行。` : `${state.name} remains a ${names.en}, as adjusted by this notice from ${on}.`,
      );
      break;
    case 'reopened':
      parts.push(zh ? `因补报病例，${state.name}自${on}起恢复为${names.zh}。` : `After a late-reported case, ${state.name} is a ${names.en} again from ${on}.`);
      break;
    case 'dates':
      parts.push(zh ? `${state.name}仍为${names.zh}，预计解除（调整）日期有变化。` : `${state.name} remains a ${names.en}; its expected dates have changed.`);
      break;
    case 'lifted':
      parts.push(zh ? `${state.name}（${names.zh}）自${on}起解除。` : `${state.name} (${names.en}) is lifted from ${on}.`);
      break;
    case 'unchanged':
      parts.push(zh ? `${state.name}仍为${names.zh}，本通告未改变该区域。` : `${state.name} remains a ${names.en}; this notice does not change it.`);
      break;
  }
  if (zone.inForce) {
    if (state.lastCaseOn) parts.push(zh ? `最近病例报告日期：${date(state.lastCaseOn)}。` : `Last case reported on ${state.lastCaseOn}.`);
    if (state.nextChangeOn) {
      const next = state.nextKind && !state.liftsNext ? nameOfKind(state.edition, state.nextKind) : null;
      parts.push(
        next
          ? zh ? `预计${date(state.nextChangeOn)}起调整为${next.zh}。` : `Expected to become a ${next.en} on ${state.nextChangeOn}.`
          : zh ? `预计${date(state.nextChangeOn)}起解除。` : `Expected to be lifted on ${state.nextChangeOn}.`,
      );
    }
    if (state.waitingFor === 'screening') parts.push(zh ? '解除尚待区域内全员核酸筛查均为阴性。' : 'Lifting waits for a negative screening round of everyone in it.');
    if (state.waitingFor === 'county-zones') parts.push(zh ? '解除尚待本县（市、区）其他风险区域解除。' : 'Lifting waits for the other risk areas of its county.');
  }
  parts.push(zh ? `详见第${input.number}号通告。` : `See notice No. ${input.number} (in Chinese).`);
  return parts.join(zh ? '' : ' ');
}

