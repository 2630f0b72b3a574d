/**
 * The offline base map, built in code from the project's own data: county boundaries from
 * GET /api/regions and roads from GET /api/roads. It needs nothing from the internet.
 *
 * Labels: the style has no `glyphs` URL on purpose. Since MapLibre GL JS 5.11 a style without one
 * draws every label locally with the browser's fonts (the `text-font` stack becomes a CSS font
 * family list), so no glyph server is needed and none is ever requested.
 */
import type {
  ExpressionSpecification,
  LayerSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import { LABEL_FONT, LayerId, SourceId } from './ids';

/** Road classes drawn as major roads: OSM highway values and Chinese administrative grades. */
const MAJOR_ROAD_CLASSES = ['motorway', 'trunk', 'primary', 'expressway', 'national', 'provincial'];

const roadClass: ExpressionSpecification = ['coalesce', ['get', 'class'], ''];

const roadColor: ExpressionSpecification = [
  'match',
  roadClass,
  ['motorway', 'expressway'],
  '#e8a33d',
  ['trunk', 'national'],
  '#f2c56b',
  ['primary', 'provincial'],
  '#f7dc9b',
  '#ffffff',
];

/** Line width by zoom and class; `extra` widens it for the casing drawn underneath. */
function roadWidth(extra = 0): ExpressionSpecification {
  return [
    'interpolate',
    ['linear'],
    ['zoom'],
    8,
    ['match', roadClass, ['motorway', 'expressway'], 1.6 + extra, ['trunk', 'national'], 1.2 + extra, 0.8 + extra],
    14,
    ['match', roadClass, ['motorway', 'expressway'], 7 + extra, ['trunk', 'national'], 6 + extra, 4 + extra],
  ];
}

/** Absolute URL of an API resource: GeoJSON sources are fetched by the map's web worker. */
export function absoluteApiUrl(path: string): string {
  return new URL(path, window.location.origin).href;
}

/** The county names in the page's language (the data have `name` and `nameEn`). */
export function regionLabelField(locale: string): ExpressionSpecification {
  return locale === 'en' ? ['coalesce', ['get', 'nameEn'], ['get', 'name']] : ['get', 'name'];
}

/** The layers of the offline base map, bottom first; county names in `locale`. @defaultValue 'zh' */
export function baseLayers(locale = 'zh'): LayerSpecification[] {
  return [
    { id: LayerId.background, type: 'background', paint: { 'background-color': '#eef1ec' } },
    {
      id: LayerId.regionFill,
      type: 'fill',
      source: SourceId.regions,
      paint: { 'fill-color': '#fbfbf8', 'fill-opacity': 0.9 },
    },
    {
      id: LayerId.roadMinor,
      type: 'line',
      source: SourceId.roads,
      minzoom: 10,
      filter: ['!', ['in', roadClass, ['literal', MAJOR_ROAD_CLASSES]]],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#d8d8d0', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.5, 15, 3] },
    },
    {
      id: LayerId.roadMajorCasing,
      type: 'line',
      source: SourceId.roads,
      filter: ['in', roadClass, ['literal', MAJOR_ROAD_CLASSES]],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#b9a77c', 'line-width': roadWidth(1.5), 'line-opacity': 0.8 },
    },
    {
      id: LayerId.roadMajor,
      type: 'line',
      source: SourceId.roads,
      filter: ['in', roadClass, ['literal', MAJOR_ROAD_CLASSES]],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': roadColor, 'line-width': roadWidth() },
    },
    {
      id: LayerId.regionOutline,
      type: 'line',
      source: SourceId.regions,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': '#7a6a8a',
        'line-width': ['interpolate', ['linear'], ['zoom'], 7, 1, 12, 2.5],
        'line-dasharray': [4, 2],
      },
    },
    {
      id: LayerId.roadLabel,
      type: 'symbol',
      source: SourceId.roads,
      minzoom: 12,
      layout: {
        'symbol-placement': 'line',
        'text-field': ['coalesce', ['get', 'name'], ['get', 'ref'], ''],
        'text-font': LABEL_FONT,
        'text-size': 11,
        'text-max-angle': 30,
      },
      paint: { 'text-color': '#5a5140', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
    {
      id: LayerId.regionLabel,
      type: 'symbol',
      // One point per county (its seat): labels on the polygons would repeat in every tile.
      source: SourceId.regionLabels,
      layout: {
        // One language at a time: the county names follow the page's.
        'text-field': regionLabelField(locale),
        'text-font': LABEL_FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 7, 12, 12, 16],
        'text-padding': 4,
      },
      paint: { 'text-color': '#4a3f5c', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
  ];
}

/**
 * The base style: background, counties (fill, outline, names) and roads by class. `attribution`
 * is the boundaries' credit in the page's language. @defaultValue '行政区划：聊城市'
 */
export function buildBaseStyle(attribution = '行政区划：聊城市', locale = 'zh'): StyleSpecification {
  return {
    version: 8,
    name: 'liaocheng-offline',
    sources: {
      [SourceId.regions]: {
        type: 'geojson',
        data: absoluteApiUrl('/api/regions'),
        attribution,
      },
      [SourceId.regionLabels]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      [SourceId.roads]: {
        type: 'geojson',
        data: absoluteApiUrl('/api/roads'),
        // Roads are only base-map decoration: a coarser tolerance keeps the worker fast.
        tolerance: 0.6,
        buffer: 32,
      },
    },
    layers: baseLayers(locale),
  };
}
