import type { Knex } from 'knex';
import { ISSUER } from '../bulletins/bulletin.text';
import { notFound } from '../errors';
import { alertsRepo, type PublicationWithText } from './alerts.repo';
import { atomXml, tagUri, type AtomEntry } from './atom';
import { AlertPlanner, capAlertXml, type AlertPlan, type AlertZone } from './cap';

/** How many publications a feed lists, newest first (a reader that was away longer reads the record). */
export const FEED_ENTRIES = 200;

/** Alerts kept rendered in memory: they never change, and a platform polls the newest ones. */
const ALERT_CACHE_SIZE = 500;

/** The instant an empty feed says it was updated: fixed, so that its bytes never change. */
const EMPTY_FEED_UPDATED = new Date('2022-01-01T00:00:00+08:00');

const KIND_LABELS: Record<string, string> = {
  bulletin: '通告',
  correction: '更正通告',
  rule_transition: '解除（调整）通告',
  hand_lift: '解除通告',
  reopening: '恢复管控通告',
  update: '日期变更通告',
};

export interface County {
  code: string;
  name: string;
}

export interface AlertsOptions {
  /** Absolute base of the public URLs the documents link to, without a trailing slash. */
  baseUrl: string;
}

/** CAP 1.2 alerts and Atom feeds, read from the public record. */
export function alertsService(knex: Knex, opts: AlertsOptions) {
  const repo = alertsRepo(knex);
  const base = opts.baseUrl.replace(/\/+$/, '');
  const publicationUrl = (n: number) => `${base}/api/public/publications/${n}`;
  const capUrl = (n: number) => `${base}/cap/${n}.xml`;

  // The planner folds the record once per process and then only what was appended since; one fold
  // at a time, so two requests never fold the same publications twice.
  const planner = new AlertPlanner();
  let folding: Promise<void> = Promise.resolve();
  const planThrough = (through: number): Promise<void> => {
    const run = folding.then(async () => {
      if (planner.upTo >= through) return;
      planner.advance(await repo.recordRows(planner.upTo, through), through);
    });
    // The caller awaits `run` and gets its error; the queue of folds only must not stay rejected.
    folding = run.catch(() => undefined);
    return run;
  };
  const planOf = (n: number): AlertPlan => planner.plan(n) ?? { number: n, msgType: 'Alert', references: [], zones: [], carried: [] };

  const rendered = new Map<number, string>();

  const entryTitle = (p: PublicationWithText) => `${p.title}（第${p.number}号）`;

  return {
    /** The number of the newest publication (0 before the first): what the feeds' ETags name. */
    latestNumber: () => repo.latestNumber(),

    /** Alert N as a CAP 1.2 document. */
    async capAlert(number: number): Promise<string> {
      const cached = rendered.get(number);
      if (cached) return cached;
      const publication = await repo.publication(number);
      if (!publication) throw notFound(`No publication ${number}.`);
      await planThrough(number);
      const plan = planOf(number);
      const ids = [...plan.zones, ...plan.carried];
      const [entries, geometries, sentOf] = await Promise.all([
        repo.lastTwoEntries(ids, number),
        repo.geometries(ids, number),
        repo.sentTimes(plan.references),
      ]);
      const carried = new Set(plan.carried);
      const zones: AlertZone[] = [];
      for (const zoneId of ids) {
        const [latest, previous] = entries.filter((e) => e.zone_id === zoneId);
        if (!latest) continue;
        const direct = !carried.has(zoneId);
        zones.push({
          zoneId,
          role: direct ? 'direct' : 'carried',
          inForce: latest.in_force,
          change: latest.change,
          effectiveOn: latest.effective_on,
          state: latest.state,
          before: direct && previous ? previous.state : null,
          geometry: geometries.get(zoneId) ?? null,
        });
      }
      const xml = capAlertXml({
        number,
        kind: publication.kind,
        publishedAt: new Date(publication.published_at),
        publishedOn: publication.published_on,
        title: publication.title,
        corrects: publication.corrects === null ? null : Number(publication.corrects),
        plan,
        sentOf,
        zones,
        baseUrl: base,
      });
      if (rendered.size >= ALERT_CACHE_SIZE) rendered.delete(rendered.keys().next().value!);
      rendered.set(number, xml);
      return xml;
    },

    /** The Atom index of the CAP alerts, newest first, each entry linking its alert. */
    async capIndex(): Promise<string> {
      const latest = await repo.latest(FEED_ENTRIES);
      if (latest.length) await planThrough(Number(latest[0].number));
      const entries: AtomEntry[] = latest.map((p) => {
        const number = Number(p.number);
        const msgType = planOf(number).msgType;
        return {
          id: tagUri(`alert/${number}`),
          title: entryTitle(p),
          updated: new Date(p.published_at),
          published: new Date(p.published_at),
          links: [
            { rel: 'alternate', type: 'application/cap+xml', href: capUrl(number) },
            { rel: 'related', type: 'application/json', href: publicationUrl(number) },
          ],
          category: { term: msgType, label: msgType },
          summary: `CAP ${msgType}: ${p.title}`,
        };
      });
      return atomXml({
        id: tagUri('alerts'),
        title: '聊城市风险区域 CAP 预警',
        subtitle: 'CAP 1.2 alerts of the Liaocheng risk areas, one for each publication of the public record',
        self: `${base}/cap/feed.atom`,
        alternate: `${base}/`,
        author: ISSUER,
        language: 'zh-CN',
        emptyUpdated: EMPTY_FEED_UPDATED,
        entries,
      });
    },

    /** A county (region code) the publications feed can be narrowed to; 404 when there is none. */
    async county(code: string): Promise<County> {
      const county = /^\d{6}$/.test(code) ? await repo.county(code) : undefined;
      if (!county) throw notFound(`No county ${code}.`);
      return county;
    },

    /** The publications for people and feed readers: every publication, or those of one county. */
    async publicationsFeed(county?: County): Promise<string> {
      const publications = county ? await repo.latestOfCounty(county.code, FEED_ENTRIES) : await repo.latest(FEED_ENTRIES);
      const entries: AtomEntry[] = publications.map((p) => {
        const number = Number(p.number);
        return {
          id: tagUri(`publication/${number}`),
          title: entryTitle(p),
          updated: new Date(p.published_at),
          published: new Date(p.published_at),
          links: [
            { rel: 'alternate', type: 'application/json', href: publicationUrl(number) },
            { rel: 'related', type: 'application/cap+xml', href: capUrl(number) },
          ],
          category: { term: p.kind, label: KIND_LABELS[p.kind] ?? p.kind },
          content: p.text,
        };
      });
      return atomXml({
        id: tagUri(county ? `publications/county/${county.code}` : 'publications'),
        title: county ? `${county.name}风险区域通告` : '聊城市风险区域通告',
        subtitle: county ? `聊城市风险区域公告中涉及${county.name}的各号通告` : '聊城市风险区域的各号通告：划定、调整、解除及日期变更',
        self: county ? `${base}/feed/${county.code}.atom` : `${base}/feed.atom`,
        alternate: `${base}/`,
        author: ISSUER,
        language: 'zh-CN',
        emptyUpdated: EMPTY_FEED_UPDATED,
        entries,
      });
    },
  };
}
export type AlertsService = ReturnType<typeof alertsService>;
