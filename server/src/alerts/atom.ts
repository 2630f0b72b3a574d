/**
 * Atom 1.0 feeds (RFC 4287), written by hand like the alerts (see xml.ts for why). Pure: entries in,
 * bytes out.
 */
import { escapeXml, element, shanghaiDateTime } from './xml';
import { CAP_SENDER } from './cap';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

/**
 * A permanent id (RFC 4151 tag URI) for something of the record. Tag URIs, not the service's URLs:
 * an Atom id must never change, and the address the service is reached at may.
 */
export function tagUri(specific: string): string {
  return `tag:${CAP_SENDER},2022:${specific}`;
}

export interface AtomLink {
  href: string;
  rel?: 'alternate' | 'self' | 'related';
  type?: string;
  hreflang?: string;
}

export interface AtomEntry {
  id: string;
  title: string;
  updated: Date;
  published?: Date;
  links: AtomLink[];
  category?: { term: string; label: string };
  summary?: string;
  /** Plain text (`type="text"`): a publication's text is prose with line breaks, not markup. */
  content?: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  /** The feed's own address (`rel="self"`), and the page it is the feed of. */
  self: string;
  alternate?: string;
  author: string;
  language: string;
  /** When nothing is in the feed yet: a fixed instant, so the empty feed is the same bytes every time. */
  emptyUpdated: Date;
  entries: AtomEntry[];
}

function link(l: AtomLink): string {
  const attrs = [`href="${escapeXml(l.href)}"`];
  if (l.rel) attrs.push(`rel="${l.rel}"`);
  if (l.type) attrs.push(`type="${escapeXml(l.type)}"`);
  if (l.hreflang) attrs.push(`hreflang="${escapeXml(l.hreflang)}"`);
  return `<link ${attrs.join(' ')}/>`;
}

/** An Atom feed document. Entries are written in the order given (newest first, by convention). */
export function atomXml(feed: AtomFeed): string {
  const updated = feed.entries.reduce<Date | null>((latest, e) => (!latest || e.updated > latest ? e.updated : latest), null) ?? feed.emptyUpdated;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="${ATOM_NAMESPACE}" xml:lang="${escapeXml(feed.language)}">`,
    element('id', feed.id),
    element('title', feed.title),
    ...(feed.subtitle ? [element('subtitle', feed.subtitle)] : []),
    element('updated', shanghaiDateTime(updated)),
    `<author>${element('name', feed.author)}</author>`,
    link({ rel: 'self', type: 'application/atom+xml', href: feed.self }),
    ...(feed.alternate ? [link({ rel: 'alternate', href: feed.alternate })] : []),
  ];
  for (const e of feed.entries) {
    lines.push(
      '<entry>',
      element('id', e.id),
      element('title', e.title),
      element('updated', shanghaiDateTime(e.updated)),
      ...(e.published ? [element('published', shanghaiDateTime(e.published))] : []),
      ...e.links.map(link),
      ...(e.category ? [`<category term="${escapeXml(e.category.term)}" label="${escapeXml(e.category.label)}"/>`] : []),
      ...(e.summary ? [element('summary', e.summary)] : []),
      ...(e.content !== undefined ? [`<content type="text">${escapeXml(e.content)}</content>`] : []),
      '</entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
