/**
 * What each zone kind means for the people inside it, as published. The Chinese wording is quoted
 * exactly from seed 000 (Liaocheng, 2022); the English is DOMAIN.md's translation.
 */
import type { ZoneKind } from './editions';

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

/** The published measures of each zone kind (seed 000, "抓早抓小处置"; DOMAIN.md, "Zone kinds"). */
export const MEASURES: Readonly<Record<ZoneKind, BilingualText>> = Object.freeze({
  sealed: Object.freeze({ zh: '区域封闭、足不出户、服务上门', en: 'area closed, stay home, services delivered' }),
  controlled: Object.freeze({ zh: '人不出区、严禁聚集', en: 'nobody leaves the zone, no gatherings' }),
  precaution: Object.freeze({
    zh: '严格限制人员聚集，非必要不离开本地',
    en: "strictly limit gatherings, don't leave unless necessary",
  }),
});
