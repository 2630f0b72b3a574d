/**
 * What each zone kind means for the people inside it, as published. The Chinese wording is quoted
 * exactly from seed 000 (Liaocheng, 2022); the English is docs/rules.md's translation.
 */
import { EDITIONS, type EditionId, type ZoneKind } from './editions';

/** A text in Chinese (as published) and English. */
export interface BilingualText {
  zh: string;
  en: string;
}

/** Names of the zone kinds: 封控区 / 管控区 / 防范区. */
export const KIND_NAMES: Readonly<Record<ZoneKind, BilingualText>> = Object.freeze({
  sealed: Object.freeze({ zh: '封控区', en: 'sealed zone' }),
  controlled: Object.freeze({ zh: '管控区', en: 'controlled zone' }),
  precaution: Object.freeze({ zh: '防范区', en: 'precaution zone' }),
});

/**
 * The risk-level names of the zone kinds: 高风险区 / 中风险区 / 低风险区, used by the 9th-edition
 * protocol and the twenty measures (docs/rules.md: sealed ≈ high, controlled ≈ medium, precaution ≈ low).
 */
export const RISK_LEVEL_NAMES: Readonly<Record<ZoneKind, BilingualText>> = Object.freeze({
  sealed: Object.freeze({ zh: '高风险区', en: 'high-risk area' }),
  controlled: Object.freeze({ zh: '中风险区', en: 'medium-risk area' }),
  precaution: Object.freeze({ zh: '低风险区', en: 'low-risk area' }),
});

/** The two ways an edition names its zone kinds (Edition.kindVocabulary). */
export type KindVocabulary = 'zone' | 'risk-level';

/** The kind names of each vocabulary. */
export const KIND_NAMES_BY_VOCABULARY: Readonly<Record<KindVocabulary, Readonly<Record<ZoneKind, BilingualText>>>> = Object.freeze({
  zone: KIND_NAMES,
  'risk-level': RISK_LEVEL_NAMES,
});

/** The name a zone of `kind` has under `edition`: 封控区 under protocol-8, 高风险区 under protocol-9. */
export function kindName(edition: EditionId, kind: ZoneKind): BilingualText {
  return KIND_NAMES_BY_VOCABULARY[EDITIONS[edition].kindVocabulary][kind];
}

/** The published measures of each zone kind (seed 000, "抓早抓小处置"; docs/rules.md, "Zone kinds"). */
export const MEASURES: Readonly<Record<ZoneKind, BilingualText>> = Object.freeze({
  sealed: Object.freeze({ zh: '区域封闭、足不出户、服务上门', en: 'area closed, stay home, services delivered' }),
  controlled: Object.freeze({ zh: '人不出区、严禁聚集', en: 'nobody leaves the zone, no gatherings' }),
  precaution: Object.freeze({
    zh: '严格限制人员聚集，非必要不离开本地',
    en: "strictly limit gatherings, don't leave unless necessary",
  }),
});
