/**
 * Formatting shared by lists, popups and panels, in the current UI language. Calendar days
 * (today in Asia/Shanghai, adding and counting days) are the contract's (`contract/dates.ts`), the
 * same arithmetic the server counts with.
 */
import { useI18n } from 'vue-i18n';
import type { ZoneExpiry, ZoneKind } from '../api/types';

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * A date-and-time formatter in Shanghai time for one UI locale, made on first use: the first
 * formatter a page makes loads the browser's locale and time-zone data in one long task, which the
 * public page does not pay while it starts (tests/browser/public-phone.test.ts).
 */
function dateTimeFormat(locale: string): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
    dateTimeFormats.set(locale, format);
  }
  return format;
}

/** Formatters bound to the current locale. */
export function useFormatters() {
  const { t, te, locale } = useI18n();

  const kindLabel = (kind: ZoneKind | string) => (te(`zoneKind.${kind}`) ? t(`zoneKind.${kind}`) : kind);

  const distance = (meters: number) =>
    meters < 1000
      ? t('units.meters', { value: Math.round(meters) })
      : t('units.kilometers', { value: (meters / 1000).toFixed(meters < 10_000 ? 1 : 0) });

  const duration = (seconds: number) => {
    const minutes = Math.max(1, Math.round(seconds / 60));
    return minutes < 60
      ? t('units.minutes', { value: minutes })
      : t('units.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  };

  const dateTime = (iso: string | null | undefined) => {
    if (!iso) return '';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return dateTimeFormat(locale.value === 'en' ? 'en-GB' : 'zh-CN').format(date);
  };

  /** "Expected to become controlled on 2022-11-18" / "Expected to be lifted on …". */
  const nextChange = (expiry: Pick<ZoneExpiry, 'nextChangeOn' | 'nextKind'>) => {
    if (!expiry.nextChangeOn) return t('zone.noNextChange');
    return expiry.nextKind
      ? t('zone.nextChangeTo', { date: expiry.nextChangeOn, kind: kindLabel(expiry.nextKind) })
      : t('zone.nextLift', { date: expiry.nextChangeOn });
  };

  const caseFree = (expiry: Pick<ZoneExpiry, 'caseFreeDays' | 'lastCaseOn'>) => {
    if (expiry.caseFreeDays === null || expiry.caseFreeDays === undefined) return '';
    // "0 consecutive days" reads as a count that has not started: say when it does.
    if (expiry.caseFreeDays === 0) return t('zone.caseFreeNone');
    return t('zone.caseFreeDays', { days: expiry.caseFreeDays });
  };

  /** What a zone still waits for before it can change (a known code, or the server's words). */
  const waitingFor = (code: string | null | undefined) => {
    if (!code) return '';
    return te(`waitingFor.${code}`) ? t(`waitingFor.${code}`) : code;
  };

  return { kindLabel, distance, duration, dateTime, nextChange, caseFree, waitingFor };
}
