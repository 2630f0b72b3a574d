/**
 * Hospitals, fever clinics and isolation sites. A surveyed point is a filled dot; a point placed
 * from an address only (`approximate: true`) is a hollow ring, so nobody mistakes it for an exact
 * location.
 */
import type { ExpressionSpecification } from 'maplibre-gl';
import { watch, type Ref } from 'vue';
import type { FacilityCollection } from '../api/types';
import { FACILITY_COLOR } from './colors';
import { LABEL_FONT, LayerId, SourceId } from './ids';
import type { MapHandle } from './useMap';

const kindColor = [
  'match',
  ['get', 'kind'],
  ...Object.entries(FACILITY_COLOR).flat(),
  '#57606a',
] as unknown as ExpressionSpecification;

const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
/** Radius by zoom, larger when hovered or selected; `extra` enlarges the approximate rings. */
function radius(extra = 0): ExpressionSpecification {
  return [
    'interpolate', ['linear'], ['zoom'],
    10, ['case', selected, 8 + extra, hovered, 6 + extra, 4.5 + extra],
    14, ['case', selected, 12 + extra, hovered, 10 + extra, 8 + extra],
  ];
}

/**
 * Facilities appear from this zoom on: at the city-wide view their rings would cover the zones
 * and the county names; the hospitals are listed beside the map and in every answer anyway.
 */
export const FACILITY_MIN_ZOOM = 10;

/** Draws facilities and keeps the selected one (by id) in feature-state. */
export function useFacilityLayers(
  handle: MapHandle,
  facilities: Ref<FacilityCollection | null>,
  selectedId: Ref<string | null>,
): void {
  const data = () => facilities.value ?? { type: 'FeatureCollection' as const, features: [] };

  handle.onStyleLoad(() => {
    handle.ensureSource(SourceId.facilities, { type: 'geojson', data: data(), promoteId: 'id' });
    handle.ensureLayer({
      id: LayerId.facilityCircle,
      type: 'circle',
      source: SourceId.facilities,
      minzoom: FACILITY_MIN_ZOOM,
      filter: ['!', ['boolean', ['get', 'approximate'], false]],
      paint: {
        'circle-color': kindColor,
        'circle-radius': radius(),
        'circle-stroke-color': ['case', selected, '#1f2328', '#ffffff'],
        'circle-stroke-width': ['case', selected, 3, 1.5],
      },
    });
    handle.ensureLayer({
      id: LayerId.facilityApproximate,
      type: 'circle',
      source: SourceId.facilities,
      minzoom: FACILITY_MIN_ZOOM,
      filter: ['boolean', ['get', 'approximate'], false],
      paint: {
        'circle-color': '#ffffff',
        'circle-opacity': 0.35,
        'circle-radius': radius(2),
        'circle-stroke-color': ['case', selected, '#1f2328', kindColor],
        'circle-stroke-width': ['case', selected, 3.5, 2.5],
      },
    });
    handle.ensureLayer({
      id: LayerId.facilityLabel,
      type: 'symbol',
      source: SourceId.facilities,
      minzoom: 11,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': 11,
        'text-offset': [0, 1.1],
        'text-anchor': 'top',
        'text-max-width': 9,
        'text-optional': true,
      },
      paint: { 'text-color': '#1a4d2e', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    });
  });
  handle.trackHover(LayerId.facilityCircle, SourceId.facilities);
  handle.trackHover(LayerId.facilityApproximate, SourceId.facilities);

  watch(facilities, () => handle.setSourceData(SourceId.facilities, data()));
  watch(selectedId, (id) => handle.select(SourceId.facilities, id), { immediate: true });
}
