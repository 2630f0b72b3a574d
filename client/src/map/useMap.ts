/**
 * The one owner of a MapLibre map. The map is not reactive state: it lives `markRaw` in a
 * `shallowRef`, is created on mount and removed on unmount. Layer composables register installers
 * that run on every `style.load`, so sources and layers come back whenever the style is replaced.
 * Hover and selection are feature-state, never data rewrites.
 */
import * as maplibregl from 'maplibre-gl';
// MapLibre's stylesheet (72 KB, mostly its control icons) comes with the map's chunk, not with the
// first page load, which blocks rendering on every stylesheet it names.
import 'maplibre-gl/dist/maplibre-gl.css';
import type {
  LayerSpecification,
  LngLatLike,
  Map as MapLibreMap,
  MapGeoJSONFeature,
  MapLayerMouseEvent,
  MapMouseEvent,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { markRaw, onBeforeUnmount, onMounted, readonly, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { LOCAL_IDEOGRAPH_FONT_FAMILY, OVERLAY_ORDER, type LayerId } from './ids';
import { LIAOCHENG_BOUNDS, LIAOCHENG_CENTER, LIAOCHENG_ZOOM, OPENING_PADDING } from './view';

// MapLibre 6 looks for its worker next to its own module file; once bundled that file is gone,
// so point it at the copy Vite emits as an asset.
maplibregl.setWorkerUrl(workerUrl);

export type StyleInstaller = (map: MapLibreMap) => void;

declare global {
  interface Window {
    /**
     * Read-only debug handle on the page's map, for the browser tests (tests/browser/) and for
     * people inspecting the map from the devtools console: they ask MapLibre what it actually
     * drew (`queryRenderedFeatures`) and where a place is on screen (`project`). The app itself
     * never reads it; it is set while a map is mounted and cleared when that map goes.
     */
    riskZoneMap?: MapLibreMap;
  }
}

export interface UseMapOptions {
  style: () => StyleSpecification;
  center?: LngLatLike;
  zoom?: number;
  /** The first view; overrides center/zoom. @defaultValue LIAOCHENG_BOUNDS */
  bounds?: [[number, number], [number, number]] | null;
  /** Accessible name of the map region. */
  ariaLabel?: () => string;
}

export interface MapHandle {
  /** The map, null before mount and after unmount. */
  map: ShallowRef<MapLibreMap | null>;
  /** True once the first style has loaded. */
  styleReady: Readonly<Ref<boolean>>;
  /** Runs `install` on every style load (and at once when a style is already loaded). */
  onStyleLoad(install: StyleInstaller): void;
  /** Runs `attach` once, when the map is created (event listeners that survive style swaps). */
  onCreated(attach: (map: MapLibreMap) => void): void;
  /** Adds a source when it is missing. */
  ensureSource(id: string, source: SourceSpecification): void;
  /** Adds an overlay layer at its place in OVERLAY_ORDER when it is missing. */
  ensureLayer(layer: LayerSpecification & { id: LayerId }): void;
  /** Sets GeoJSON data on a source once it exists. */
  setSourceData(id: string, data: GeoJSON.GeoJSON): void;
  /** Removes layers and then their source (to re-add the source as another type). */
  removeSource(id: string, layerIds: LayerId[]): void;
  /** Marks `feature` hovered on pointer move over `layerId` (feature-state `hover`). */
  trackHover(layerId: LayerId, source: string): void;
  /** Makes `feature` the selected one of its source (feature-state `selected`); null clears. */
  select(source: string, id: string | number | null): void;
  /** Calls `handler` with the top feature when one of `layerIds` is clicked. */
  onFeatureClick(layerIds: LayerId[], handler: (feature: MapGeoJSONFeature, event: MapLayerMouseEvent) => void): void;
  /** Calls `handler` on a click that hit none of the `ignoring` layers (read at click time). */
  onBackgroundClick(
    handler: (lngLat: { lng: number; lat: number }, event: MapMouseEvent) => void,
    ignoring?: () => LayerId[],
  ): void;
}

/**
 * Creates the map in `container` on mount. Every layer composable takes the returned handle.
 */
export function useMap(container: Ref<HTMLElement | null>, options: UseMapOptions): MapHandle {
  const map = shallowRef<MapLibreMap | null>(null);
  const styleReady = ref(false);
  const installers: StyleInstaller[] = [];
  const creators: ((map: MapLibreMap) => void)[] = [];
  const selected = new Map<string, string | number>();
  const hovered = new Map<string, string | number>();

  function runInstaller(install: StyleInstaller): void {
    const current = map.value;
    if (!current) return;
    try {
      install(current);
    } catch (error) {
      console.error('Map layer install failed', error);
    }
  }

  function restoreFeatureStates(current: MapLibreMap): void {
    for (const [source, id] of selected) {
      if (current.getSource(source)) current.setFeatureState({ source, id }, { selected: true });
    }
  }

  onMounted(() => {
    if (!container.value) return;
    const created = new maplibregl.Map({
      container: container.value,
      style: options.style(),
      center: options.center ?? LIAOCHENG_CENTER,
      zoom: options.zoom ?? LIAOCHENG_ZOOM,
      ...(options.bounds === null ? {} : { bounds: options.bounds ?? LIAOCHENG_BOUNDS, fitBoundsOptions: { padding: OPENING_PADDING } }),
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
      attributionControl: { compact: true },
      // Keep the canvas out of the tab order trap: keyboard users pan with arrow keys once focused.
      keyboard: true,
    });
    map.value = markRaw(created);
    window.riskZoneMap = created;
    created.getCanvas().setAttribute('aria-label', options.ariaLabel?.() ?? 'map');
    created.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    created.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    created.on('style.load', () => {
      styleReady.value = true;
      for (const install of installers) runInstaller(install);
      restoreFeatureStates(created);
    });
    for (const attach of creators) attach(created);
  });

  onBeforeUnmount(() => {
    if (window.riskZoneMap === map.value) delete window.riskZoneMap;
    map.value?.remove();
    map.value = null;
    styleReady.value = false;
  });

  function ensureLayer(layer: LayerSpecification & { id: LayerId }): void {
    const current = map.value;
    if (!current || current.getLayer(layer.id)) return;
    const order = OVERLAY_ORDER.indexOf(layer.id);
    const beforeId = OVERLAY_ORDER.slice(order + 1).find((id) => current.getLayer(id));
    current.addLayer(layer, beforeId);
  }

  const handle: MapHandle = {
    map,
    styleReady: readonly(styleReady),
    onStyleLoad(install) {
      installers.push(install);
      if (map.value?.isStyleLoaded() || styleReady.value) runInstaller(install);
    },
    onCreated(attach) {
      creators.push(attach);
      if (map.value) attach(map.value);
    },
    ensureSource(id, source) {
      const current = map.value;
      if (current && !current.getSource(id)) current.addSource(id, source);
    },
    ensureLayer,
    removeSource(id, layerIds) {
      const current = map.value;
      if (!current) return;
      for (const layerId of layerIds) if (current.getLayer(layerId)) current.removeLayer(layerId);
      if (current.getSource(id)) current.removeSource(id);
    },
    setSourceData(id, data) {
      const source = map.value?.getSource(id);
      if (source && source.type === 'geojson') (source as maplibregl.GeoJSONSource).setData(data);
    },
    trackHover(layerId, source) {
      handle.onCreated((current) => {
        const clear = () => {
          const previous = hovered.get(source);
          if (previous !== undefined && current.getSource(source)) {
            current.setFeatureState({ source, id: previous }, { hover: false });
          }
          hovered.delete(source);
        };
        current.on('mousemove', layerId, (event) => {
          const id = event.features?.[0]?.id;
          if (id === undefined) return;
          if (hovered.get(source) !== id) {
            clear();
            hovered.set(source, id);
            current.setFeatureState({ source, id }, { hover: true });
          }
          current.getCanvas().style.cursor = 'pointer';
        });
        current.on('mouseleave', layerId, () => {
          clear();
          current.getCanvas().style.cursor = '';
        });
      });
    },
    select(source, id) {
      const current = map.value;
      const previous = selected.get(source);
      if (previous !== undefined && current?.getSource(source)) {
        current.setFeatureState({ source, id: previous }, { selected: false });
      }
      if (id === null) {
        selected.delete(source);
        return;
      }
      selected.set(source, id);
      if (current?.getSource(source)) current.setFeatureState({ source, id }, { selected: true });
    },
    onFeatureClick(layerIds, handler) {
      handle.onCreated((current) => {
        current.on('click', layerIds, (event) => {
          const feature = event.features?.[0];
          if (feature) handler(feature, event);
        });
      });
    },
    onBackgroundClick(handler, ignoring = () => []) {
      handle.onCreated((current) => {
        current.on('click', (event) => {
          const present = ignoring().filter((id) => current.getLayer(id));
          if (present.length && current.queryRenderedFeatures(event.point, { layers: present }).length) return;
          handler({ lng: event.lngLat.lng, lat: event.lngLat.lat }, event);
        });
      });
    },
  };
  return handle;
}
