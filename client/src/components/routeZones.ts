/** The zones a route answer names, whether the server sent objects or bare ids. */
import type { RouteProps, ZoneKind } from '../api/types';

export interface NamedZone {
  id: string;
  kind: ZoneKind | null;
  name: string;
}

/** Resolves `avoidedZones` / `enteredZones` entries to names, looking ids up in `known`. */
export function namedZones(
  entries: RouteProps['avoidedZones'] | undefined,
  known: Map<string, { kind: ZoneKind; name: string }>,
): NamedZone[] {
  return (entries ?? []).map((entry) => {
    if (typeof entry === 'string') {
      const zone = known.get(entry);
      return { id: entry, kind: zone?.kind ?? null, name: zone?.name ?? entry };
    }
    return { id: entry.id, kind: entry.kind, name: entry.name };
  });
}

/** Which end of a route a zone holds. */
export type RouteEnd = 'destination' | 'origin';

/**
 * The zones the route's ends lie in (the strictest at each end, as the server names them),
 * destination first: that is the zone the driver has to be told about.
 */
export function endZones(props: RouteProps | undefined): { end: RouteEnd; zone: NamedZone }[] {
  const ends: { end: RouteEnd; zone: NamedZone }[] = [];
  if (props?.destinationZone) ends.push({ end: 'destination', zone: props.destinationZone });
  if (props?.originZone) ends.push({ end: 'origin', zone: props.originZone });
  return ends;
}
