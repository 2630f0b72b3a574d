/**
 * Zones on the map: fill by kind (sealed red, controlled orange, precaution yellow), a darker
 * outline, a dashed outline for drafts and unpublished edits, and names at street zoom.
 */
import type { ExpressionSpecification, GeoJSONSource, SourceSpecification, VectorTileSource } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { watch, type Ref } from 'vue';
import type { ZoneGeometry, ZoneKind } from '../api/types';
import { ZONE_FILL, ZONE_OUTLINE, ZONE_RANK } from './colors';
import { labelPoint } from './geometry';
import { LABEL_FONT, LayerId, SourceId } from './ids';
import { markerPoints, ZONE_CLUSTER_RADIUS, ZONE_MARKER_MAX_ZOOM } from './zoneMarkers';
import type { MapHandle } from './useMap';

/** The zone properties the layers read; public and designer zones both have them. */
export interface MappableZoneProps {
  id: string;
  kind: ZoneKind;
  name: string;
  status?: string;
  pending?: unknown;
}

export type MappableZones = FeatureCollection<ZoneGeometry, MappableZoneProps>;

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

function byKind(values: Record<ZoneKind, string | number>, fallback: string | number): ExpressionSpecification {
  return [
    'match',
    ['get', 'kind'],
    'sealed',
    values.sealed,
    'controlled',
    values.controlled,
    'precaution',
    values.precaution,
    fallback,
  ] as ExpressionSpecification;
}

const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];

/** Marks drafts and zones with unpublished edits so one layer can dash their outline. */
function withEditFlags(zones: MappableZones): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: zones.features.map((feature) => ({
      ...feature,
      properties: {
        id: feature.properties.id,
        kind: feature.properties.kind,
        name: feature.properties.name,
        status: feature.properties.status ?? 'published',
        unpublished: feature.properties.status === 'draft' || Boolean(feature.properties.pending),
      },
    })),
  };
}

function labelPoints(zones: MappableZones | null): FeatureCollection {
  const features: FeatureCollection['features'] = [];
  for (const zone of zones?.features ?? []) {
    const point = labelPoint(zone.geometry);
    if (point) {
      features.push({
        type: 'Feature',
        properties: { id: zone.properties.id, name: zone.properties.name, kind: zone.properties.kind },
        geometry: { type: 'Point', coordinates: point },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

const countOf = (kind: ZoneKind): ExpressionSpecification => ['+', ['case', ['==', ['get', 'kind'], kind], 1, 0]];
/** A cluster takes the colour of the strictest kind it holds. */
const clusterColor: ExpressionSpecification = [
  'case',
  ['>', ['get', 'sealed'], 0],
  ZONE_FILL.sealed,
  ['>', ['get', 'controlled'], 0],
  ZONE_FILL.controlled,
  ZONE_FILL.precaution,
];

/**
 * The TileJSON of the zones tiles. Its tile URLs name the publication they show (`?v=N`), so
 * loading it again after a publication is what makes the map fetch the new tiles, and tiles of one
 * publication come from the browser's cache for good.
 */
export const ZONES_TILEJSON_PATH = '/tiles/zones.json';

/**
 * Above this many zones the shapes come as vector tiles of the zones in force
 * (`/tiles/zones/{z}/{x}/{y}.mvt`, cut on the server) instead of one GeoJSON document: the browser
 * then holds only the tiles in view. The list still reads the GeoJSON.
 */
export const TILED_ZONES_THRESHOLD = 2000;

const ZONE_SHAPE_LAYERS = [LayerId.zoneFill, LayerId.zoneOutline, LayerId.zoneOutlineDraft];

/** Draws `zones` and keeps the selected one (by id) in feature-state. */
export function useZoneLayers(
  handle: MapHandle,
  zones: Ref<MappableZones | null>,
  selectedId: Ref<string | null>,
  /** Whether `zones` are today's zones in force, which the tile endpoint also serves. */
  inForceToday: () => boolean = () => false,
  /** Also draw each zone as a clustered marker below ZONE_MARKER_MAX_ZOOM (the public map). @defaultValue false */
  withMarkers = false,
): void {
  const data = () => (zones.value ? withEditFlags(zones.value) : EMPTY);
  const useTiles = () => inForceToday() && (zones.value?.features.length ?? 0) > TILED_ZONES_THRESHOLD;
  let tiled = useTiles();
  const tileSource = (): SourceSpecification => ({
    type: 'vector',
    url: `${window.location.origin}${ZONES_TILEJSON_PATH}`,
    promoteId: { zones: 'id' },
    // Overzoomed past 16 (a source option wins over the TileJSON's maxzoom): finer tiles add nothing a zone needs.
    maxzoom: 16,
  });
  const fromSource = () => (tiled ? { source: SourceId.zones, 'source-layer': 'zones' } : { source: SourceId.zones });

  const install = () => {
    handle.ensureSource(SourceId.zones, tiled ? tileSource() : { type: 'geojson', data: data(), promoteId: 'id' });
    handle.ensureSource(SourceId.zoneLabels, { type: 'geojson', data: labelPoints(zones.value) });
    handle.ensureLayer({
      id: LayerId.zoneFill,
      type: 'fill',
      ...fromSource(),
      layout: { 'fill-sort-key': byKind(ZONE_RANK, 0) },
      paint: {
        'fill-color': byKind(ZONE_FILL, '#888888'),
        'fill-opacity': ['case', selected, 0.7, hovered, 0.55, 0.4],
      },
    });
    handle.ensureLayer({
      id: LayerId.zoneOutline,
      type: 'line',
      ...fromSource(),
      filter: ['!', ['get', 'unpublished']],
      layout: { 'line-join': 'round', 'line-sort-key': byKind(ZONE_RANK, 0) },
      paint: {
        'line-color': ['case', selected, '#1f2328', byKind(ZONE_OUTLINE, '#555555')],
        'line-width': ['case', selected, 3.5, hovered, 2.5, 1.5],
      },
    });
    handle.ensureLayer({
      id: LayerId.zoneOutlineDraft,
      type: 'line',
      ...fromSource(),
      filter: ['get', 'unpublished'],
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', selected, '#1f2328', byKind(ZONE_OUTLINE, '#555555')],
        'line-width': ['case', selected, 3.5, 2],
        'line-dasharray': [3, 2],
      },
    });
    if (withMarkers) installMarkers();
    handle.ensureLayer({
      id: LayerId.zoneLabel,
      type: 'symbol',
      source: SourceId.zoneLabels,
      minzoom: 12,
      layout: {
        // Sealed names win collisions: they matter most and their zones are the smallest.
        'symbol-sort-key': byKind({ sealed: 0, controlled: 1, precaution: 2 }, 3),
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': 12,
        'text-max-width': 8,
      },
      paint: { 'text-color': '#1f2328', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    });
  };
  const installMarkers = () => {
    handle.ensureSource(SourceId.zoneMarkers, {
      type: 'geojson',
      data: markerPoints(zones.value),
      promoteId: 'id',
      cluster: true,
      clusterRadius: ZONE_CLUSTER_RADIUS,
      clusterMaxZoom: ZONE_MARKER_MAX_ZOOM - 1,
      clusterProperties: { sealed: countOf('sealed'), controlled: countOf('controlled'), precaution: countOf('precaution') },
    });
    handle.ensureLayer({
      id: LayerId.zoneMarker,
      type: 'circle',
      source: SourceId.zoneMarkers,
      maxzoom: ZONE_MARKER_MAX_ZOOM,
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': byKind(ZONE_FILL, '#888888'),
        'circle-radius': 7,
        'circle-stroke-color': byKind(ZONE_OUTLINE, '#555555'),
        'circle-stroke-width': 2,
      },
    });
    handle.ensureLayer({
      id: LayerId.zoneCluster,
      type: 'circle',
      source: SourceId.zoneMarkers,
      maxzoom: ZONE_MARKER_MAX_ZOOM,
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': clusterColor,
        'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 12, 50, 20],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
    handle.ensureLayer({
      id: LayerId.zoneClusterCount,
      type: 'symbol',
      source: SourceId.zoneMarkers,
      maxzoom: ZONE_MARKER_MAX_ZOOM,
      filter: ['has', 'point_count'],
      layout: { 'text-field': ['to-string', ['get', 'point_count']], 'text-font': LABEL_FONT, 'text-size': 12, 'text-allow-overlap': true },
      paint: { 'text-color': '#1f2328', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
    });
  };
  handle.onStyleLoad(install);
  handle.trackHover(LayerId.zoneFill, SourceId.zones);
  if (withMarkers) {
    // A cluster opens onto the extent of the zones it holds, not onto a fixed zoom.
    handle.onCreated((map) => {
      map.on('click', LayerId.zoneCluster, (event) => {
        const cluster = event.features?.[0];
        const source = map.getSource(SourceId.zoneMarkers) as GeoJSONSource | undefined;
        const clusterId = cluster?.properties?.cluster_id;
        if (!source || typeof clusterId !== 'number') return;
        void source.getClusterLeaves(clusterId, Infinity, 0).then((leaves) => {
          const props = leaves.map((leaf) => leaf.properties ?? {});
          if (!props.length) return;
          const west = Math.min(...props.map((p) => Number(p.west)));
          const south = Math.min(...props.map((p) => Number(p.south)));
          const east = Math.max(...props.map((p) => Number(p.east)));
          const north = Math.max(...props.map((p) => Number(p.north)));
          const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
          map.fitBounds([[west, south], [east, north]], { padding: 48, maxZoom: 16, duration: reduceMotion ? 0 : 600 });
        });
      });
      map.on('mouseenter', LayerId.zoneCluster, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', LayerId.zoneCluster, () => (map.getCanvas().style.cursor = ''));
    });
  }

  watch(zones, () => {
    const wantTiles = useTiles();
    if (wantTiles !== tiled) {
      // GeoJSON and vector tiles are different source types: swap the source and its layers.
      handle.removeSource(SourceId.zones, ZONE_SHAPE_LAYERS);
      tiled = wantTiles;
      if (handle.styleReady.value) install();
    }
    if (!tiled) handle.setSourceData(SourceId.zones, data());
    else {
      // New zones mean a new publication: the TileJSON now names it, and its tiles replace the old.
      const source = handle.map.value?.getSource(SourceId.zones);
      if (source?.type === 'vector') (source as VectorTileSource).setUrl(`${window.location.origin}${ZONES_TILEJSON_PATH}`);
    }
    handle.setSourceData(SourceId.zoneLabels, labelPoints(zones.value));
    if (withMarkers) handle.setSourceData(SourceId.zoneMarkers, markerPoints(zones.value));
  });
  watch(selectedId, (id) => handle.select(SourceId.zones, id), { immediate: true });
}
