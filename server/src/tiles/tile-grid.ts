/** Tile grid constants shared by the tile service and the worker thread that cuts the tiles. */

/** Units per tile side in a Mapbox Vector Tile. */
export const TILE_EXTENT = 4096;
/** Units (of TILE_EXTENT) kept around a tile so polygon edges meet without seams, as ST_AsMVTGeom's default. */
export const TILE_BUFFER = 64;
/** The vector tile layer every zones tile carries. */
export const ZONES_LAYER = 'zones';
/** Highest zoom served: building level (about 0.15 m per tile unit at Liaocheng's latitude). */
export const MAX_TILE_ZOOM = 20;
