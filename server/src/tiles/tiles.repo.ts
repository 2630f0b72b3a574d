import type { Knex } from 'knex';
import { TILE_BUFFER, TILE_EXTENT, ZONES_LAYER } from './tile-grid';

/** What the public snapshot says of a zone that the table does not: its kind today and next change. */
export interface TileZone {
  id: string;
  kind: string;
  nextChangeOn: string | null;
}

/** SQL for the zones vector tiles (PostgreSQL only: PGlite's PostGIS is built without protobuf). */
export function tilesRepo(knex: Knex) {
  return {
    /**
     * One Mapbox Vector Tile of the given zones (the zones in force, as the public snapshot has
     * them) cut by PostGIS. Kind and next change come from the snapshot, which evaluates the rules
     * as of now; geometry and name from the table, whose `name` is the published one (unpublished
     * edits wait in `pending`). Empty bytes when no zone reaches the tile.
     */
    async zonesTile(z: number, x: number, y: number, zones: TileZone[]): Promise<Buffer> {
      if (zones.length === 0) return Buffer.alloc(0);
      const res = await knex.raw(
        `SELECT ST_AsMVT(t, ?, ?, 'geom') AS tile
         FROM (
           SELECT s.id::text AS id, s.kind, zones.name, s."nextChangeOn",
                  ST_AsMVTGeom(ST_Transform(zones.geom, 3857), ST_TileEnvelope(?, ?, ?), ?, ?, true) AS geom
           FROM zones
           -- The snapshot's zones come as one JSON text: node-postgres writes a bound array
           -- element by element in JavaScript, which for the thousands of zones of a low-zoom
           -- tile held the event loop for up to 150 ms; JSON.stringify is native.
           JOIN jsonb_to_recordset(?::jsonb) AS s (id uuid, kind text, "nextChangeOn" text) ON zones.id = s.id
           -- The tile (with its buffer) goes back to the table's SRID instead of every zone going
           -- to 3857: '&&' on the stored geometry is what the GiST index answers, and zones whose
           -- box misses the tile are dropped before the costly transform and clip.
           WHERE zones.geom && ST_Transform(ST_TileEnvelope(?, ?, ?, margin => ?), 4326)
         ) t
         WHERE t.geom IS NOT NULL`,
        [
          ZONES_LAYER,
          TILE_EXTENT,
          z, x, y,
          TILE_EXTENT,
          TILE_BUFFER,
          // A null nextChangeOn ("no change foreseen") stays null: ST_AsMVT leaves a null property
          // out, as the in-process tiler does.
          JSON.stringify(zones.map(({ id, kind, nextChangeOn }) => ({ id, kind, nextChangeOn }))),
          z, x, y,
          TILE_BUFFER / TILE_EXTENT,
        ],
      );
      const tile = res.rows[0]?.tile as Buffer | null | undefined;
      return tile ?? Buffer.alloc(0);
    },
  };
}

export type TilesRepo = ReturnType<typeof tilesRepo>;
