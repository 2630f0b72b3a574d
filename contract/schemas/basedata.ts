/** The service and its base data: health, settings, regions, roads, facilities, checkpoints. */
import { z } from 'zod';
import type * as GeoJSON from 'geojson';
import { FACILITY_KINDS } from '../vocabulary';
import { AreaGeometry, EditionId, LineStringGeometry, LonLat, PointGeometry, ZoneKind, feature, featureCollection, geometryInput } from './common';

// ---------------------------------------------------------------------------------------------
// Health and settings

/** GET /api/health */
export const Health = z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), postgis: z.string() });

export const Edition = z.object({ id: EditionId, nameZh: z.string(), nameEn: z.string(), kinds: z.array(ZoneKind) });
export const OnlineBasemap = z.object({ tiles: z.array(z.string()), attribution: z.string() });

/** GET /api/config: what the client needs to draw the map and the forms. */
export const ServiceConfig = z.object({
  serviceArea: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  center: LonLat,
  defaultEdition: EditionId,
  editions: z.array(Edition),
  basemap: z.object({ online: OnlineBasemap.nullable() }),
  /** The embedded store with the sample data: the client marks the map as a demonstration. */
  demo: z.boolean(),
});

// ---------------------------------------------------------------------------------------------
// Regions and roads

export const RegionProps = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  sourceName: z.string().nullable(),
  source: z.string(),
  /** The county seat, [lon, lat]. */
  seat: LonLat.nullable(),
});
/** GET /api/regions */
export const RegionCollection = featureCollection(feature(AreaGeometry, RegionProps));

/**
 * GET /api/regions/outlines: the counties as SVG path data for the phone's overview, so a phone
 * draws them without converting thousands of vertices itself. Coordinates are Web Mercator
 * (EPSG:3857) metres with y negated (SVG's y runs down), relative after the first move, rounded
 * to the metre and simplified to `toleranceMetres`: under a pixel at the city's opening zoom.
 */
export const RegionOutlines = z.object({
  toleranceMetres: z.number(),
  regions: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      nameEn: z.string(),
      /** The county seat, [lon, lat]: where the overview writes the name. */
      seat: LonLat.nullable(),
      path: z.string(),
    }),
  ),
});

export const RoadProps = z.object({ id: z.union([z.string(), z.number()]), name: z.string().nullable(), ref: z.string().nullable(), class: z.string(), sample: z.boolean() });
/** GET /api/roads */
export const RoadCollection = featureCollection(feature(LineStringGeometry, RoadProps));

// ---------------------------------------------------------------------------------------------
// Facilities

export const FacilityKind = z.enum(FACILITY_KINDS);

const facilityId = z.string().regex(/^[a-z0-9-]{2,60}$/, 'ids are 2–60 lowercase letters, digits or dashes');

/** The properties of a facility as written (POST; PUT takes the id from the path). */
export const FacilityInputProps = z.object({
  id: facilityId,
  kind: FacilityKind,
  name: z.string().trim().min(1).max(200),
  address: z.string().max(300).nullable().default(null),
  phone: z.string().max(100).nullable().default(null),
  beds: z.number().int().min(0).max(100000).nullable().default(null),
  rooms: z.number().int().min(0).max(100000).nullable().default(null),
  /** True when the point was placed from an address, not surveyed: drawn as a hollow ring. */
  approximate: z.boolean().default(false),
  placement: z.string().max(500).nullable().default(null),
  sample: z.boolean().default(false),
  note: z.string().max(1000).nullable().default(null),
  source: z.string().max(200).nullable().default(null),
});

/** POST /api/facilities, PUT /api/facilities/:id: a Feature whose Point the server's parser checks. */
export const FacilityBody = z.object({ type: z.literal('Feature'), geometry: geometryInput<GeoJSON.Point>(), properties: FacilityInputProps });

/** GET /api/facilities */
export const FacilityListQuery = z.object({ kind: FacilityKind.optional() });

export const FacilityProps = FacilityInputProps.extend({
  address: z.string().nullable(),
  phone: z.string().nullable(),
  beds: z.number().nullable(),
  rooms: z.number().nullable(),
  approximate: z.boolean(),
  placement: z.string().nullable(),
  sample: z.boolean(),
  note: z.string().nullable(),
  source: z.string().nullable(),
});
export const FacilityFeature = feature(PointGeometry, FacilityProps);
/** GET /api/facilities */
export const FacilityCollection = featureCollection(FacilityFeature);
/** POST and PUT answer the facility as stored, flat (its properties and its geometry). */
export const SavedFacility = FacilityProps.extend({ geometry: PointGeometry });

// ---------------------------------------------------------------------------------------------
// Checkpoints

/** The properties of a new checkpoint (入聊通道服务点). */
export const CheckpointInputProps = z.object({
  id: facilityId,
  name: z.string().trim().min(1).max(200),
  road: z.string().trim().min(1).max(100),
  direction: z.string().trim().min(1).max(200),
  pointLeader: z.string().trim().max(100).nullable().default(null),
  phone: z.string().trim().max(50).nullable().default(null),
  sample: z.boolean().default(false),
});
/** POST /api/checkpoints */
export const CheckpointBody = z.object({ type: z.literal('Feature'), geometry: geometryInput<GeoJSON.Point>(), properties: CheckpointInputProps });
/** What PATCH /api/checkpoints/:id may change (not the id). */
export const CheckpointPatchProps = CheckpointInputProps.omit({ id: true }).partial();
export const CheckpointPatchBody = z.object({
  type: z.literal('Feature').optional(),
  geometry: geometryInput<GeoJSON.Point>().optional(),
  properties: CheckpointPatchProps.nullish(),
});

export const CheckpointProps = z.object({
  id: z.string(),
  name: z.string(),
  road: z.string().nullable(),
  direction: z.string().nullable(),
  sample: z.boolean(),
});
/** GET /api/checkpoints: the public view, without leaders or phones. */
export const CheckpointCollection = featureCollection(feature(PointGeometry, CheckpointProps));

export const CoordinatorCheckpointProps = CheckpointProps.extend({ pointLeader: z.string().nullable(), phone: z.string().nullable() });
export const CoordinatorCheckpointFeature = feature(PointGeometry, CoordinatorCheckpointProps);
/** GET /api/coordinator/checkpoints */
export const CoordinatorCheckpointCollection = featureCollection(CoordinatorCheckpointFeature);
