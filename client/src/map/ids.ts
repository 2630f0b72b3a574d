/**
 * Source and layer ids of every map the client draws. Components and tests refer to these
 * constants, never to string literals, so a rename cannot silently break a click handler.
 */
export const SourceId = {
  regions: 'regions',
  regionLabels: 'region-labels',
  roads: 'roads',
  onlineBase: 'online-base',
  zones: 'zones',
  zoneLabels: 'zone-labels',
  /** One point per zone, clustered: zones stay visible when they are a few pixels wide. */
  zoneMarkers: 'zone-markers',
  facilities: 'facilities',
  checkpoints: 'checkpoints',
  route: 'route',
  cases: 'cases',
  pickedPoint: 'picked-point',
} as const;

export type SourceId = (typeof SourceId)[keyof typeof SourceId];

export const LayerId = {
  background: 'background',
  onlineBase: 'online-base',
  regionFill: 'region-fill',
  roadMinor: 'road-minor',
  roadMajorCasing: 'road-major-casing',
  roadMajor: 'road-major',
  roadLabel: 'road-label',
  regionOutline: 'region-outline',
  regionLabel: 'region-label',
  zoneFill: 'zone-fill',
  zoneOutline: 'zone-outline',
  zoneOutlineDraft: 'zone-outline-draft',
  zoneLabel: 'zone-label',
  zoneCluster: 'zone-cluster',
  zoneClusterCount: 'zone-cluster-count',
  zoneMarker: 'zone-marker',
  routeCasing: 'route-casing',
  routeLine: 'route-line',
  caseCircle: 'case-circle',
  facilityCircle: 'facility-circle',
  facilityApproximate: 'facility-approximate',
  facilityLabel: 'facility-label',
  checkpointCircle: 'checkpoint-circle',
  checkpointLabel: 'checkpoint-label',
  pickedPoint: 'picked-point',
} as const;

export type LayerId = (typeof LayerId)[keyof typeof LayerId];

/**
 * Overlay layers are stacked in this order (bottom first) whatever order the composables add
 * them in; each is inserted below the first already-present layer that comes after it.
 */
export const OVERLAY_ORDER: readonly LayerId[] = [
  LayerId.zoneFill,
  LayerId.zoneOutline,
  LayerId.zoneOutlineDraft,
  LayerId.routeCasing,
  LayerId.routeLine,
  LayerId.zoneLabel,
  LayerId.caseCircle,
  LayerId.facilityApproximate,
  LayerId.facilityCircle,
  LayerId.checkpointCircle,
  // Zone markers above facility rings: a ring must never hide a zone.
  LayerId.zoneMarker,
  LayerId.zoneCluster,
  LayerId.zoneClusterCount,
  LayerId.facilityLabel,
  LayerId.checkpointLabel,
  // The base style's county names are lifted above every overlay: no ring or zone covers them.
  LayerId.regionLabel,
  LayerId.pickedPoint,
];

/** Font stack for every label; drawn locally by the browser (the style has no glyphs URL). */
export const LABEL_FONT = ['Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC'];

/** CSS font family MapLibre uses for CJK characters when drawing glyphs locally. */
export const LOCAL_IDEOGRAPH_FONT_FAMILY =
  "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";
