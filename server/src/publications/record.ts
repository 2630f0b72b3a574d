/**
 * The public record's vocabulary and its pure parts: what a zone's public state is, when two
 * states differ for the public, and how a state is shown on the map of a given day. No database,
 * no clock: the same record and the same day always give the same bytes.
 */
import type { ZoneKind } from '../expiry/editions';
import type { ZoneStatusAsOf } from '../expiry/engine';
import { MEASURES } from '../expiry/measures';
import { diffDays } from '../../../contract/dates';

/**
 * Kinds of publication. `bulletin` and `correction` are a designator's; `rule_transition` (a zone
 * lifted or stepped down by its edition's rule), `reopening` (a late case report puts a lifted zone
 * back in force) and `update` (a zone's case dates or expected change moved) are the engine's;
 * `hand_lift` is a designator lifting a zone before its rule does.
 */
export { PUBLICATION_KINDS, type PublicationKind } from '../../../contract/vocabulary';
import type { ZoneChange } from '../../../contract/vocabulary';


/** What a publication did to one zone. */
export { ZONE_CHANGES, type ZoneChange } from '../../../contract/vocabulary';

/** A zone as the public was told it: everything on the map but the geometry and the day's count. */
export interface PublishedZoneState {
  id: string;
  /** The kind while in force; the last kind in force once lifted. */
  kind: ZoneKind;
  name: string;
  designatedOn: string;
  edition: string;
  sample: boolean;
  /** When the bulletin that designated or last changed the zone was published (ISO instant). */
  publishedAt: string | null;
  lastCaseOn: string | null;
  /** D: the count of case-free days runs from here, so the map of any day can show that day's count. */
  countFrom: string;
  nextChangeOn: string | null;
  nextKind: ZoneKind | null;
  liftsNext: boolean;
  waitingFor: 'screening' | 'county-zones' | null;
}

/** One zone's entry in the record: in force or not, its state, and the publication that left it. */
export interface ZoneEntry {
  publication: number;
  inForce: boolean;
  state: PublishedZoneState;
}

/** The properties of a zone on the public map of `day`. */
export interface PublicZoneProps {
  id: string;
  kind: ZoneKind;
  name: string;
  status: 'published';
  designatedOn: string;
  publishedAt: string | null;
  lastCaseOn: string | null;
  caseFreeDays: number;
  nextChangeOn: string | null;
  nextKind: ZoneKind | null;
  liftsNext: boolean;
  waitingFor: 'screening' | 'county-zones' | null;
  edition: string;
  sample: boolean;
  measures: { zh: string; en: string };
  /** The number of the publication that last changed what the public sees of this zone. */
  publication: number;
}

/** The working facts of a zone that its public state is made of. */
export interface ZoneFactsForRecord {
  id: string;
  name: string;
  designated_on: string;
  edition: string;
  sample: boolean;
}

/** The public state the engine's status gives a zone, or null when it is not in force. */
export function publicStateOf(zone: ZoneFactsForRecord, st: ZoneStatusAsOf, publishedAt: string | null, lastKind: ZoneKind): { inForce: boolean; state: PublishedZoneState } {
  const inForce = Boolean(st.inForce && st.kind);
  return {
    inForce,
    state: {
      id: zone.id,
      kind: (inForce ? st.kind : lastKind) as ZoneKind,
      name: zone.name,
      designatedOn: zone.designated_on,
      edition: zone.edition,
      sample: zone.sample,
      publishedAt,
      lastCaseOn: inForce ? st.lastCaseOn : null,
      countFrom: st.anchorOn,
      nextChangeOn: inForce ? st.nextChangeOn : null,
      nextKind: inForce ? st.nextKind : null,
      liftsNext: inForce ? st.liftsNext : false,
      waitingFor: inForce ? st.waitingFor : null,
    },
  };
}

const COMPARED: readonly (keyof PublishedZoneState)[] = [
  'kind', 'name', 'designatedOn', 'edition', 'sample', 'lastCaseOn', 'countFrom', 'nextChangeOn', 'nextKind', 'liftsNext', 'waitingFor',
];

/** True when the public would see no difference between two entries (a lifted zone shows nothing). */
export function samePublicState(a: { inForce: boolean; state: PublishedZoneState } | null, b: { inForce: boolean; state: PublishedZoneState }): boolean {
  if (!a) return !b.inForce;
  if (a.inForce !== b.inForce) return false;
  if (!a.inForce) return true;
  return COMPARED.every((k) => a.state[k] === b.state[k]);
}

/** What changed for a zone between its previous entry and a new one. */
export function changeOf(before: { inForce: boolean; state: PublishedZoneState } | null, after: { inForce: boolean; state: PublishedZoneState }): ZoneChange {
  if (!before) return 'designated';
  if (before.inForce && !after.inForce) return 'lifted';
  if (!before.inForce && after.inForce) return 'reopened';
  if (before.state.kind !== after.state.kind) return 'kind_changed';
  return 'dates';
}

/** The map properties of a zone in force on `day`. */
export function publicProperties(entry: ZoneEntry, day: string): PublicZoneProps {
  const s = entry.state;
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    status: 'published',
    designatedOn: s.designatedOn,
    publishedAt: s.publishedAt,
    lastCaseOn: s.lastCaseOn,
    caseFreeDays: Math.max(0, diffDays(day, s.countFrom)),
    nextChangeOn: s.nextChangeOn,
    nextKind: s.nextKind,
    liftsNext: s.liftsNext,
    waitingFor: s.waitingFor,
    edition: s.edition,
    sample: s.sample,
    measures: MEASURES[s.kind],
    publication: entry.publication,
  };
}

const STRICTNESS: Record<ZoneKind, number> = { sealed: 0, controlled: 1, precaution: 2 };

/** What a zone's place on the map depends on (a zone's public properties, or its state in the record). */
export type MapOrderKey = Pick<PublicZoneProps, 'kind' | 'name' | 'id'>;

/** Map order: strictest kind first, then by name, then by id (so equal names still order the same way every time). */
export function compareForMap(a: MapOrderKey, b: MapOrderKey): number {
  return STRICTNESS[a.kind] - STRICTNESS[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** One feature of the public map, written around the stored geometry text (never re-serialised). */
export function featureJson(props: PublicZoneProps, geometryText: string): string {
  return `{"type":"Feature","id":${JSON.stringify(props.id)},"geometry":${geometryText},"properties":${JSON.stringify(props)}}`;
}
