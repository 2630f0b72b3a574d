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
