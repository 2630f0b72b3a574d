import { z } from 'zod';
import { EDITION_IDS, ZONE_KINDS } from '../expiry/editions';
import { isIsoDate, todayInShanghai } from '../shared/dates';

/** A calendar date 'YYYY-MM-DD' that is not after today in Asia/Shanghai. */
export const zPastOrToday = z
  .string()
  .refine(isIsoDate, 'must be a date YYYY-MM-DD')
  .refine((d) => d <= todayInShanghai(), 'must not be in the future (Asia/Shanghai)');

export const zDate = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');

const text = (max: number) => z.string().trim().max(max);

export const ZoneCreateProps = z.object({
  kind: z.enum(ZONE_KINDS as unknown as ['sealed', 'controlled', 'precaution']),
  name: text(200).min(1, 'a zone needs a name'),
  reason: text(2000).default(''),
  designatedOn: zPastOrToday.optional(),
  edition: z.enum(EDITION_IDS).optional(),
  sample: z.boolean().default(false),
  /** The 四至 (东至…、西至…) printed in the bulletin; without it the bulletin gives the area. */
  extent: text(500).nullable().optional(),
});

export const ZonePatchProps = z.object({
  kind: ZoneCreateProps.shape.kind.optional(),
  name: text(200).min(1).optional(),
  reason: text(2000).optional(),
  designatedOn: zPastOrToday.optional(),
  edition: z.enum(EDITION_IDS).optional(),
  extent: text(500).nullable().optional(),
}).strict();

export const ZoneListQuery = z.object({ status: z.enum(['draft', 'published', 'lifted']).optional() });

export const LiftBody = z.object({
  reason: text(2000).min(1, 'say why the zone is lifted'),
  on: zPastOrToday.optional(),
});

export const ScreeningBody = z.object({
  on: zPastOrToday,
  negative: z.boolean(),
});
