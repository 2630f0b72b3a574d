/**
 * The base map under the overlays. The offline style (counties and roads from the project's own
 * data) is always there; an online raster base map is added underneath the county fill only when
 * GET /api/config names one (`basemap.online`), and can then be switched off by the user.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { ref, watch, type Ref } from 'vue';
import type { FeatureCollection } from 'geojson';
import { getRegions } from '../api/publicApi';
import type { OnlineBasemap, RegionCollection } from '../api/types';
import { seatOf } from './geometry';
import { LayerId, SourceId } from './ids';
import type { MapHandle } from './useMap';
import { useServiceConfig } from './useServiceConfig';

export interface BaseMapControls {
  /** The online base map the server allows, or null (offline only). */
  online: Ref<OnlineBasemap | null>;
  /** Whether the online base map is shown (only meaningful when `online` is set). */
  showOnline: Ref<boolean>;
}

function installOnline(map: MapLibreMap, online: OnlineBasemap, visible: boolean): void {
  if (!map.getSource(SourceId.onlineBase)) {
    map.addSource(SourceId.onlineBase, {
      type: 'raster',
      tiles: online.tiles,
      tileSize: 256,
      attribution: online.attribution,
    });
  }
  if (!map.getLayer(LayerId.onlineBase)) {
    map.addLayer(
      { id: LayerId.onlineBase, type: 'raster', source: SourceId.onlineBase },
      map.getLayer(LayerId.regionFill) ? LayerId.regionFill : undefined,
    );
  }
  map.setLayoutProperty(LayerId.onlineBase, 'visibility', visible ? 'visible' : 'none');
  // Over imagery the county fill would hide the picture; keep only its outline and names.
  if (map.getLayer(LayerId.regionFill)) {
    map.setPaintProperty(LayerId.regionFill, 'fill-opacity', visible ? 0 : 0.9);
  }
}

let regionLabels: Promise<FeatureCollection> | null = null;

/** County names at their seats (or inside the county when a seat is missing), loaded once. */
function loadRegionLabels(): Promise<FeatureCollection> {
  regionLabels ??= getRegions()
    .then((regions: RegionCollection) => ({
      type: 'FeatureCollection' as const,
      features: regions.features.flatMap((region) => {
        const point = seatOf(region.geometry, region.properties.seat);
        if (!point) return [];
        return [
          {
            type: 'Feature' as const,
            properties: { code: region.properties.code, name: region.properties.name, nameEn: region.properties.nameEn },
            geometry: { type: 'Point' as const, coordinates: point },
          },
        ];
      }),
    }))
    .catch((error: unknown) => {
      regionLabels = null;
      console.warn('County names unavailable', error);
      return { type: 'FeatureCollection' as const, features: [] };
    });
  return regionLabels;
}

/** Adds the online base map when the server configuration allows one. */
export function useBaseMap(handle: MapHandle): BaseMapControls {
  const config = useServiceConfig();
  const online = ref<OnlineBasemap | null>(null);
  const showOnline = ref(true);

  const apply = (map: MapLibreMap) => {
    if (online.value) installOnline(map, online.value, showOnline.value);
  };
  handle.onStyleLoad(apply);
  handle.onStyleLoad(() => {
    void loadRegionLabels().then((labels) => handle.setSourceData(SourceId.regionLabels, labels));
  });

  watch(
    () => config.value?.basemap?.online ?? null,
    (value) => {
      online.value = value;
      if (handle.map.value && handle.styleReady.value) apply(handle.map.value);
    },
    { immediate: true },
  );
  watch(showOnline, () => {
    if (handle.map.value && handle.styleReady.value) apply(handle.map.value);
  });

  return { online, showOnline };
}
