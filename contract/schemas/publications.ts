/** Bulletins and the public record of publications (`/api/bulletins…`, `/api/public/publications…`). */
import { z } from 'zod';
import { PUBLICATION_KINDS, ZONE_CHANGES } from '../vocabulary';
import { Day, Instant, ZoneKind } from './common';
import { PublishedRef } from './zones';

export const PublicationKind = z.enum(PUBLICATION_KINDS);

// ---------------------------------------------------------------------------------------------
// Requests

/** POST /api/bulletins and /api/bulletins/preview: the drafts and pending edits to publish together. */
export const PublishBody = z.object({
  zoneIds: z.array(z.uuid('zone ids are UUIDs')).min(1, 'name at least one zone').max(500),
  title: z.string().trim().min(1, 'a bulletin needs a title').max(200),
  /** The number of an earlier publication this one corrects: it is then published as a correction. */
  corrects: z.number().int().positive().optional(),
});

/** A publication's number in a path (`/api/bulletins/:id`); anything else is a 404, not a 400. */
export const PublicationNumber = z.string().regex(/^\d{1,9}$/).transform(Number);

// ---------------------------------------------------------------------------------------------
// Responses

/** One line of GET /api/public/publications (and /api/bulletins): newest first. */
export const PublicationSummary = z.object({
  id: z.number().int(),
  number: z.number().int(),
  kind: PublicationKind,
  title: z.string(),
  publishedAt: Instant,
  publishedOn: Day,
  corrects: z.number().int().nullable(),
  zoneCount: z.number().int(),
});
export const PublicationList = z.array(PublicationSummary);

/** GET /api/public/publications/:id: the text and what the publication did to each zone. */
export const Publication = z.object({
  id: z.number().int(),
  number: z.number().int(),
  kind: PublicationKind,
  title: z.string(),
  text: z.string(),
  author: z.enum(['expiry', 'designator']),
  publishedAt: Instant,
  publishedOn: Day,
  corrects: z.number().int().nullable(),
  zones: z.array(
    z.object({ id: z.string(), name: z.string(), kind: ZoneKind, inForce: z.boolean(), change: z.enum(ZONE_CHANGES), effectiveOn: Day }),
  ),
});

/** POST /api/bulletins/preview: the text the bulletin would have, under the number it would get. */
export const BulletinPreview = z.object({ number: z.number().int(), title: z.string(), text: z.string() });

/** POST /api/bulletins: the bulletin, and every publication the act appended (its own first). */
export const PublishedBulletin = z.object({
  id: z.number().int(),
  number: z.number().int(),
  title: z.string(),
  text: z.string(),
  publishedAt: Instant,
  zoneIds: z.array(z.string()),
  corrects: z.number().int().nullable(),
  publications: z.array(PublishedRef),
});
