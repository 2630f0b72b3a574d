import type { Knex } from 'knex';
import type { CountyHotlines } from './bulletin.text';

/** SQL for bulletins (通告). */
export function bulletinsRepo(knex: Knex) {
  return {
    async insert(trx: Knex.Transaction, b: { number: number; title: string; text: string; publishedBy: string }): Promise<{ id: number; published_at: Date }> {
      const [row] = await trx('bulletins').insert({ number: b.number, title: b.title, text: b.text, published_by: b.publishedBy }).returning(['id', 'published_at']);
      return { id: Number(row.id), published_at: row.published_at };
    },
    async addZones(trx: Knex.Transaction, bulletinId: number, zones: { id: string; version: number; kind: string; name: string }[]) {
      if (zones.length === 0) return;
      await trx('bulletin_zones').insert(zones.map((z) => ({ bulletin_id: bulletinId, zone_id: z.id, version: z.version, kind: z.kind, name: z.name })));
    },
    async get(id: number) {
      const b = await knex('bulletins').where({ id }).first('id', 'number', 'title', 'text', 'published_at', 'published_by');
      if (!b) return undefined;
      const zones = await knex('bulletin_zones').where({ bulletin_id: id }).orderBy(['kind', 'name']).select('zone_id as id', 'kind', 'name', 'version');
      return { ...b, zones };
    },
    async list(limit: number) {
      return knex('bulletins as b')
        .select('b.id', 'b.number', 'b.title', 'b.published_at', knex.raw('(SELECT count(*)::int FROM bulletin_zones bz WHERE bz.bulletin_id = b.id) AS zone_count'))
        .orderBy('b.number', 'desc')
        .limit(limit);
    },
    /** The township hotlines of the given counties, grouped by county (the seed's table is keyed by name). */
    async hotlinesOfCounties(trx: Knex | Knex.Transaction, countyCodes: (string | null)[]): Promise<CountyHotlines[]> {
      const codes = [...new Set(countyCodes.filter((c): c is string => Boolean(c)))];
      if (codes.length === 0) return [];
      const rows: { county: string; township: string; phones: string[] }[] = await trx('hotlines as h')
        .join('regions as r', 'r.name', 'h.county')
        .whereIn('r.code', codes)
        .orderBy('h.id')
        .select('h.county', 'h.township', 'h.phones');
      const byCounty = new Map<string, CountyHotlines>();
      for (const h of rows) {
        if (!byCounty.has(h.county)) byCounty.set(h.county, { county: h.county, lines: [] });
        byCounty.get(h.county)!.lines.push({ township: h.township, phones: h.phones });
      }
      return [...byCounty.values()];
    },
    async regionNames(trx: Knex | Knex.Transaction): Promise<Map<string, string>> {
      const rows = await trx('regions').select('code', 'name');
      return new Map(rows.map((r: { code: string; name: string }) => [r.code, r.name]));
    },
  };
}
