import type { Knex } from 'knex';
import type { z } from 'zod';
import type { RegionOutlines as RegionOutlinesSchema } from '../../../contract/schemas';
import { featureCollection } from '../geo/sql';
import { regionsRepo } from './regions.repo';

type RegionOutlines = z.output<typeof RegionOutlinesSchema>;

/**
 * How far the overview's outlines may stray from the true ones: about a third of a pixel at the
 * city's opening zoom on a phone (a pixel is about 230 m there), and a tenth of the vertices.
 */
export const OUTLINE_TOLERANCE_METRES = 80;

/** The county-level divisions of the city, for the offline base map and the lookup. */
export function regionsService(reader: Knex) {
  const repo = regionsRepo(reader);
  // The divisions are loaded with the geodata and never edited through the service, so their
  // outlines are built once per process.
  let outlines: Promise<RegionOutlines> | null = null;
  return {
    /** Every county-level division as GeoJSON, with its county seat. */
    async all() {
      const rows = await repo.all();
      return featureCollection(
        rows,
        (row) => ({
          code: row.code,
          name: row.name,
          nameEn: row.name_en,
          sourceName: row.source_name,
          source: row.source,
          seat: JSON.parse(row.seat).coordinates,
        }),
        (row) => row.code,
      );
    },

    /** The outlines as SVG path data for the phone's overview (see RegionOutlines in the contract). */
    outlines(): Promise<RegionOutlines> {
      outlines ??= repo.outlines(OUTLINE_TOLERANCE_METRES).then((rows) => ({
        toleranceMetres: OUTLINE_TOLERANCE_METRES,
        regions: rows.map((row) => ({
          code: row.code,
          name: row.name,
          nameEn: row.name_en,
          seat: row.seat ? (JSON.parse(row.seat).coordinates as [number, number]) : null,
          path: row.path,
        })),
      }));
      // A failed read is not kept: the next request tries again.
      outlines.catch(() => (outlines = null));
      return outlines;
    },
  };
}
export type RegionsService = ReturnType<typeof regionsService>;
