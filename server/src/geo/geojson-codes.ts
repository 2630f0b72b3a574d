// Stable machine codes for refused geometry input. Clients and tests match on these codes, never
// on the English reasons, so a code is never renamed once published; new cases get new codes.
// Each code is one of the contract's error codes (contract/errors.ts).

import type { ErrorCode } from '../../../contract/errors';

/** The input is not a JSON object (a string, number, null or an array). */
export const GEOJSON_NOT_OBJECT = 'geojson_not_object';
/** `type` is missing, not a string, or not a GeoJSON type. */
export const GEOJSON_TYPE_INVALID = 'geojson_type_invalid';
/** A GeoJSON type this write path does not take (a Point where a Polygon is required). */
export const GEOMETRY_TYPE_NOT_ALLOWED = 'geometry_type_not_allowed';
/** A `crs` member: RFC 7946 §4 removed it, coordinates are always WGS84. */
export const GEOJSON_CRS_NOT_ALLOWED = 'geojson_crs_not_allowed';
/** The value nests deeper than `GeometryLimits.maxDepth`. */
export const GEOJSON_NESTING_TOO_DEEP = 'geojson_nesting_too_deep';
/** `coordinates` is missing or not an array. */
export const GEOMETRY_COORDINATES_MISSING = 'geometry_coordinates_missing';
/** No positions at all: empty coordinates, an empty ring, line or polygon. */
export const GEOMETRY_EMPTY = 'geometry_empty';
/** A position that is not 2 or 3 finite numbers, or coordinates nested unlike the type requires. */
export const POSITION_INVALID = 'geometry_position_invalid';
/** Longitude outside [-180, 180] or latitude outside [-90, 90]. */
export const POSITION_OUT_OF_RANGE = 'geometry_position_out_of_range';
/** A position outside the deployment's service area. */
export const OUTSIDE_SERVICE_AREA = 'geometry_outside_service_area';
/** More positions than `GeometryLimits.maxVertices`. */
export const TOO_MANY_VERTICES = 'geometry_too_many_vertices';
/** A segment spans more than 180° of longitude, i.e. the geometry crosses the antimeridian. */
export const CROSSES_ANTIMERIDIAN = 'geometry_crosses_antimeridian';
/** A polygon ring with fewer than 4 positions. */
export const RING_TOO_SHORT = 'geometry_ring_too_short';
/** A polygon ring whose last position differs from its first. */
export const GEOMETRY_NOT_CLOSED = 'geometry_ring_not_closed';
/** A polygon ring with fewer than 3 distinct positions (after consecutive duplicates are removed). */
export const RING_DEGENERATE = 'geometry_ring_degenerate';
/** A ring that crosses, touches or doubles back on itself (bowtie, figure eight, spike). */
export const RING_SELF_INTERSECTION = 'geometry_ring_self_intersection';
/** Two rings of one polygon cross or share an edge (a hole crossing the shell or another hole). */
export const POLYGON_SELF_INTERSECTION = 'geometry_polygon_self_intersection';
/** A hole that lies outside its polygon's shell. */
export const HOLE_OUTSIDE_SHELL = 'geometry_hole_outside_shell';
/** A hole that lies inside another hole of the same polygon. */
export const HOLE_INSIDE_HOLE = 'geometry_hole_inside_hole';
/** Polygons of a MultiPolygon that cross, share an edge, or lie one inside the other. */
export const POLYGONS_OVERLAP = 'geometry_polygons_overlap';
/** A LineString with fewer than 2 positions. */
export const LINE_TOO_SHORT = 'geometry_line_too_short';
/** A LineString whose positions are all the same point. */
export const LINE_DEGENERATE = 'geometry_line_degenerate';
/** A Feature whose `geometry` is null or missing. */
export const FEATURE_GEOMETRY_NULL = 'feature_geometry_null';
/** A Feature whose `properties` is neither an object nor null. */
export const FEATURE_PROPERTIES_INVALID = 'feature_properties_invalid';
/** A Feature whose `id` is neither a string nor a number. */
export const FEATURE_ID_INVALID = 'feature_id_invalid';
/** A FeatureCollection without a `features` array. */
export const FEATURE_COLLECTION_FEATURES_MISSING = 'feature_collection_features_missing';
/** A FeatureCollection with more features than allowed. */
export const FEATURE_COLLECTION_TOO_LARGE = 'feature_collection_too_large';
/** One or more features of a FeatureCollection were refused; `details.errors` lists them by index. */
export const FEATURE_COLLECTION_INVALID = 'feature_collection_invalid';
/** A `bbox` parameter that is not 4 (or 6) comma-separated numbers. */
export const BBOX_MALFORMED = 'bbox_malformed';
/** A `bbox` parameter with a longitude outside [-180, 180] or a latitude outside [-90, 90]. */
export const BBOX_OUT_OF_RANGE = 'bbox_out_of_range';
/** A `bbox` parameter whose minimum exceeds its maximum (including boxes across the antimeridian). */
export const BBOX_INVERTED = 'bbox_inverted';
/** A `bbox` parameter covering more square degrees than the endpoint serves at once. */
export const BBOX_TOO_LARGE = 'bbox_too_large';
/** A longitude or latitude query parameter is missing. */
export const COORDINATE_MISSING = 'coordinate_missing';
/** A longitude or latitude query parameter is not a plain decimal number. */
export const COORDINATE_MALFORMED = 'coordinate_malformed';

/** Every code this module can produce, with the reason shown when no more specific message applies. */
export const GEOMETRY_ERROR_REASONS = {
  [GEOJSON_NOT_OBJECT]: 'The geometry must be a GeoJSON object.',
  [GEOJSON_TYPE_INVALID]: 'The GeoJSON object has no valid "type".',
  [GEOMETRY_TYPE_NOT_ALLOWED]: 'This geometry type is not accepted here.',
  [GEOJSON_CRS_NOT_ALLOWED]:
    'The "crs" member is not part of GeoJSON any more (RFC 7946 §4); send WGS84 longitude/latitude without it.',
  [GEOJSON_NESTING_TOO_DEEP]: 'The GeoJSON is nested deeper than allowed.',
  [GEOMETRY_COORDINATES_MISSING]: 'The geometry has no "coordinates" array.',
  [GEOMETRY_EMPTY]: 'The geometry is empty.',
  [POSITION_INVALID]:
    'Coordinates must be nested as the geometry type requires, each position being 2 or 3 finite numbers [longitude, latitude].',
  [POSITION_OUT_OF_RANGE]: 'Longitude must lie in [-180, 180] and latitude in [-90, 90].',
  [OUTSIDE_SERVICE_AREA]: 'The geometry lies outside the service area.',
  [TOO_MANY_VERTICES]: 'The geometry has more vertices than allowed.',
  [CROSSES_ANTIMERIDIAN]: 'The geometry crosses the antimeridian (a segment spans more than 180° of longitude).',
  [RING_TOO_SHORT]: 'A polygon ring needs at least 4 positions.',
  [GEOMETRY_NOT_CLOSED]: 'A polygon ring must end at the position it starts from.',
  [RING_DEGENERATE]: 'A polygon ring needs at least 3 distinct positions.',
  [RING_SELF_INTERSECTION]: 'A polygon ring crosses or touches itself.',
  [POLYGON_SELF_INTERSECTION]: 'Two rings of a polygon cross each other.',
  [HOLE_OUTSIDE_SHELL]: 'A hole lies outside the outer ring of its polygon.',
  [HOLE_INSIDE_HOLE]: 'A hole lies inside another hole of the same polygon.',
  [POLYGONS_OVERLAP]: 'The polygons of a MultiPolygon overlap.',
  [LINE_TOO_SHORT]: 'A line needs at least 2 positions.',
  [LINE_DEGENERATE]: 'A line needs at least 2 distinct positions.',
  [FEATURE_GEOMETRY_NULL]: 'The feature has no geometry.',
  [FEATURE_PROPERTIES_INVALID]: 'Feature "properties" must be an object or null.',
  [FEATURE_ID_INVALID]: 'Feature "id" must be a string or a number.',
  [FEATURE_COLLECTION_FEATURES_MISSING]: 'The FeatureCollection has no "features" array.',
  [FEATURE_COLLECTION_TOO_LARGE]: 'The FeatureCollection has more features than allowed.',
  [FEATURE_COLLECTION_INVALID]: 'Some features of the FeatureCollection were refused.',
  [BBOX_MALFORMED]: 'bbox must be minLon,minLat,maxLon,maxLat as decimal numbers.',
  [BBOX_OUT_OF_RANGE]: 'bbox longitudes must lie in [-180, 180] and latitudes in [-90, 90].',
  [BBOX_INVERTED]: 'bbox minimum must not exceed its maximum (boxes across the antimeridian are not supported).',
  [BBOX_TOO_LARGE]: 'bbox covers a larger area than this endpoint serves at once.',
  [COORDINATE_MISSING]: 'Both lon and lat are required.',
  [COORDINATE_MALFORMED]: 'lon and lat must be decimal numbers.',
} as const satisfies Partial<Record<ErrorCode, string>>;

/** A stable code of a refused geometry input. */
export type GeometryErrorCode = keyof typeof GEOMETRY_ERROR_REASONS;

/** All codes, for callers that need to recognise one (`GEOMETRY_ERROR_CODES.has(code)`). */
export const GEOMETRY_ERROR_CODES: ReadonlySet<string> = new Set(Object.keys(GEOMETRY_ERROR_REASONS));
