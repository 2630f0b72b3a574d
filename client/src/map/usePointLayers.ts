/**
 * Small single-purpose overlays: the point the public asked about, the cases a designator
 * recorded, and a planned truck route (flagged red when it enters a zone).
 */
import type { ExpressionSpecification } from 'maplibre-gl';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { watch, type Ref } from 'vue';
import type { RouteProps } from '../api/types';
import { CASE_COLOR, ROUTE_COLOR, ROUTE_FLAGGED_COLOR } from './colors';
import { LayerId, SourceId } from './ids';
import type { MapHandle } from './useMap';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Shows a marker ring at `point` ([lon, lat]); null hides it. */
export function usePickedPointLayer(handle: MapHandle, point: Ref<[number, number] | null>): void {
  const data = (): FeatureCollection =>
    point.value
      ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: point.value } }] }
      : EMPTY;
  handle.onStyleLoad(() => {
    handle.ensureSource(SourceId.pickedPoint, { type: 'geojson', data: data() });
    handle.ensureLayer({
      id: LayerId.pickedPoint,
      type: 'circle',
      source: SourceId.pickedPoint,
      paint: {
        'circle-radius': 9,
        'circle-color': '#0969da',
        'circle-opacity': 0.25,
        'circle-stroke-color': '#0969da',
        'circle-stroke-width': 3,
      },
    });
  });
  watch(point, () => handle.setSourceData(SourceId.pickedPoint, data()));
}

const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

/** Shows recorded cases as small dark-red dots; the selected one (by id) is ringed. */
export function useCaseLayer(
  handle: MapHandle,
  cases: Ref<FeatureCollection<Point> | null>,
  selectedId: Ref<string | null>,
): void {
  const data = () => cases.value ?? EMPTY;
  handle.onStyleLoad(() => {
    handle.ensureSource(SourceId.cases, { type: 'geojson', data: data(), promoteId: 'id' });
    handle.ensureLayer({
      id: LayerId.caseCircle,
      type: 'circle',
      source: SourceId.cases,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, ['case', selected, 6, 3.5], 15, ['case', selected, 10, 7]],
        'circle-color': CASE_COLOR,
        'circle-stroke-color': ['case', selected, '#ffd33d', '#ffffff'],
        'circle-stroke-width': ['case', selected, 3, 1.5],
      },
    });
  });
  handle.trackHover(LayerId.caseCircle, SourceId.cases);
  watch(cases, () => handle.setSourceData(SourceId.cases, data()));
  watch(selectedId, (id) => handle.select(SourceId.cases, id), { immediate: true });
}

/** Shows a planned route; `flagged` routes (entering a zone) are drawn red and dashed. */
export function useRouteLayer(
  handle: MapHandle,
  route: Ref<Feature<LineString, RouteProps & { flagged?: boolean }> | null>,
): void {
  const data = (): FeatureCollection => (route.value ? { type: 'FeatureCollection', features: [route.value] } : EMPTY);
  handle.onStyleLoad(() => {
    handle.ensureSource(SourceId.route, { type: 'geojson', data: data() });
    handle.ensureLayer({
      id: LayerId.routeCasing,
      type: 'line',
      source: SourceId.route,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 8 },
    });
    handle.ensureLayer({
      id: LayerId.routeLine,
      type: 'line',
      source: SourceId.route,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': ['case', ['boolean', ['get', 'flagged'], false], ROUTE_FLAGGED_COLOR, ROUTE_COLOR],
        'line-width': 4.5,
      },
    });
  });
  watch(route, () => handle.setSourceData(SourceId.route, data()));
}
