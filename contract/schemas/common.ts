/**
 * Pieces every feature's schemas share: calendar days, localized text, GeoJSON shapes.
 *
 * The contract imports nothing from the server or the client: both import it. The client uses
 * its schemas for types only (`z.infer`), so zod adds nothing to the client's bundle.
 */
import { z } from 'zod';
import type * as GeoJSON from 'geojson';
import { isIsoDate, todayInShanghai } from '../dates';
import { EDITION_IDS, ZONE_KINDS } from '../vocabulary';

/** A calendar day 'YYYY-MM-DD' (Asia/Shanghai days throughout the API). */
export const Day = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');

/** A calendar day that is not after today in Asia/Shanghai. */
export const PastOrToday = Day.refine((d) => d <= todayInShanghai(), 'must not be in the future (Asia/Shanghai)');

/** An instant as the API writes it: ISO 8601 in UTC ('2022-11-20T02:00:00.000Z'). */
export const Instant = z.string().min(1);

/** Text in both languages of the service. */
export const LocalizedText = z.object({ zh: z.string(), en: z.string() });

export const ZoneKind = z.enum(ZONE_KINDS);
export const EditionId = z.enum(EDITION_IDS);

/** A store id: bigserial ids come back as strings from PostgreSQL and as numbers from PGlite. */
export const RowId = z.union([z.string(), z.number()]);

/**
 * A page size. A larger one is served at the maximum (MAX_FEATURES_PER_PAGE), not refused: the
 * server caps it, since the maximum is a setting.
 */
export const Limit = z.coerce.number().int().min(1);

// ---------------------------------------------------------------------------------------------
// GeoJSON

/** A position [lon, lat] (WGS84), altitude allowed. */
export const Position = z.array(z.number()).min(2).max(3);
/** A position the server computed, exactly [lon, lat]. */
export const LonLat = z.tuple([z.number(), z.number()]);

export const PointGeometry = z.object({ type: z.literal('Point'), coordinates: Position });
export const LineStringGeometry = z.object({ type: z.literal('LineString'), coordinates: z.array(Position) });
export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) });
export const MultiPolygonGeometry = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) });
/** A zone's geometry as read back: the server stores and answers MultiPolygons. */
export const AreaGeometry = z.union([PolygonGeometry, MultiPolygonGeometry]);

/** A GeoJSON Feature with the given geometry and properties schemas. */
export function feature<G extends z.ZodType, P extends z.ZodType>(geometry: G, properties: P) {
  return z.object({ type: z.literal('Feature'), id: z.union([z.string(), z.number()]).optional(), geometry, properties });
}

/** A GeoJSON FeatureCollection of one kind of feature. */
export function featureCollection<F extends z.ZodType>(f: F) {
  return z.object({ type: z.literal('FeatureCollection'), features: z.array(f) });
}

/**
 * A geometry in a request body. The schema lets any value through and only types it: the server
 * validates geometry with its own parser (server/src/geo/geojson.ts), which answers a stable code
 * per fault (`geometry_ring_not_closed`, …) where zod could only say "invalid".
 */
export function geometryInput<T extends GeoJSON.Geometry>() {
  return z.custom<T>();
}

/** The error body every refusal has: `{ error: { code, message, details? } }`. */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});
