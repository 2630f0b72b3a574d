/** Lets components placed inside ZoneMap (drawing tools) reach the map handle. */
import { inject, type InjectionKey } from 'vue';
import type { MapHandle } from './useMap';

export const MAP_HANDLE: InjectionKey<MapHandle> = Symbol('map-handle');

/** The handle of the enclosing ZoneMap; throws when used outside one. */
export function useMapHandle(): MapHandle {
  const handle = inject(MAP_HANDLE, null);
  if (!handle) throw new Error('useMapHandle() must be used inside <ZoneMap>');
  return handle;
}

/** What is selected on the map: a zone, a facility, a checkpoint or a case, by id. */
export type MapSelectionLayer = 'zone' | 'facility' | 'checkpoint' | 'case';

export interface MapSelection {
  layer: MapSelectionLayer;
  id: string;
}
