/**
 * Every error code the API can answer, with the HTTP status it is answered with. This table is the
 * single source of the codes: the server's code lists are views of it (a typo fails the type check),
 * and the client's message catalogues must have a label for every code (`errors.<code>`), so a
 * reader sees the error in their own language, never a raw code or the server's English.
 * Codes are stable: tests and clients match on them, so a code is never renamed once published.
 * tests/contract/error-codes.test.ts fails when the server constructs a code missing from here.
 */
export const ERRORS = {
  // The API as a whole (server/src/errors.ts, server/src/http.ts)
  validation_failed: 400,
  bad_request: 400,
  malformed_json: 400,
  not_found: 404,
  route_unknown: 404,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  cross_site_request: 403,
  conflict: 409,
  version_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unsupported_encoding: 415,
  if_match_required: 428,
  rate_limited: 429,
  internal_error: 500,
  database_unavailable: 503,
  query_timeout: 503,
  /** The work queue of the worker threads is full: answered at once with Retry-After (server/src/workers/). */
  server_busy: 503,
  /** "Am I in a zone?" while no county outlines are loaded: where a place lies cannot be told (server/src/public/). */
  county_outlines_missing: 503,

  // Zones, bulletins and publications
  geometry_invalid: 400,
  geometry_too_small: 400,
  kind_not_in_edition: 400,
  lift_date_past: 400,
  lift_date_future: 400,
  zone_not_draft: 409,
  zone_not_published: 409,
  zone_lifted: 409,
  zone_not_publishable: 409,
  zone_rule_already_met: 409,
  corrected_publication_unknown: 400,

  // Refused geometry input (server/src/geo/geojson-codes.ts)
  geojson_not_object: 400,
  geojson_type_invalid: 400,
  geometry_type_not_allowed: 400,
  geojson_crs_not_allowed: 400,
  geojson_nesting_too_deep: 400,
  geometry_coordinates_missing: 400,
  geometry_empty: 400,
  geometry_position_invalid: 400,
  geometry_position_out_of_range: 400,
  geometry_outside_service_area: 400,
  geometry_too_many_vertices: 400,
  geometry_crosses_antimeridian: 400,
  geometry_ring_too_short: 400,
  geometry_ring_not_closed: 400,
  geometry_ring_degenerate: 400,
  geometry_ring_self_intersection: 400,
  geometry_polygon_self_intersection: 400,
  geometry_hole_outside_shell: 400,
  geometry_hole_inside_hole: 400,
  geometry_polygons_overlap: 400,
  geometry_line_too_short: 400,
  geometry_line_degenerate: 400,
  feature_geometry_null: 400,
  feature_properties_invalid: 400,
  feature_id_invalid: 400,
  feature_collection_features_missing: 400,
  feature_collection_too_large: 400,
  feature_collection_invalid: 400,
  bbox_malformed: 400,
  bbox_out_of_range: 400,
  bbox_inverted: 400,
  bbox_too_large: 400,
  coordinate_missing: 400,
  coordinate_malformed: 400,

  // OGC API Features (server/src/ogc/)
  query_parameter_unknown: 400,
  query_parameter_repeated: 400,
  datetime_invalid: 400,
  datetime_interval_too_long: 400,
  properties_invalid: 400,
  sortby_invalid: 400,
  filter_lang_unsupported: 400,
  crs_unsupported: 400,
  format_unsupported: 400,
  limit_invalid: 400,
  offset_invalid: 400,
  filter_invalid: 400,
  filter_property_unknown: 400,
  filter_unsupported: 400,
  collection_not_found: 404,
  feature_not_found: 404,

  // Vector tiles
  tile_zoom_out_of_range: 400,
  tile_coordinate_out_of_range: 400,

  // Routing and trucks
  route_not_found: 422,
  route_budget_exceeded: 422,
  truck_handed_over: 409,
  truck_state_invalid: 409,

  // Accounts
  username_invalid: 400,
  role_invalid: 400,
  password_too_short: 400,
  username_taken: 409,
  account_not_found: 404,

  // Webhooks
  webhook_url_invalid: 400,
  webhook_https_required: 400,
  webhook_host_not_allowed: 400,
  webhook_area_invalid: 400,
  webhook_county_unknown: 400,
} as const;

/** A stable code of an error answer `{ error: { code, message, details } }`. */
export type ErrorCode = keyof typeof ERRORS;

/** Every error code, for callers that need to recognise one (`isErrorCode(code)`). */
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** Whether a code received from the API is one this contract knows (an older client may not). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, code);
}

/** Codes of warnings a successful answer may carry (`warnings: [{ code, message }]`); not errors. */
export const WARNING_CODES = ['sealed_not_nested'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];
