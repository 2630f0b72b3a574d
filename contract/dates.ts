/**
 * Calendar dates in Asia/Shanghai, written as 'YYYY-MM-DD' strings.
 *
 * Zone rules count calendar days in Asia/Shanghai (docs/rules.md, "Counting days"). China has
 * kept UTC+8 all year since it stopped observing daylight saving time in 1991, so a fixed +8 h
 * offset is exact for every date the service deals with; no time-zone database or locale library is
 * needed, and all arithmetic here is integer arithmetic on day numbers.
 */

/** Asia/Shanghai is UTC+8 with no daylight saving time since 1991. */
export const SHANGHAI_UTC_OFFSET_HOURS = 8;

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = SHANGHAI_UTC_OFFSET_HOURS * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). Integer
 * arithmetic keeps years below 100 exact, which `Date.UTC` would silently map to 19xx.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Inverse of daysFromCivil (Hinnant's civil_from_days). */
function civilFromDays(dayNumber: number): [year: number, month: number, day: number] {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** True when `s` is a real calendar date written 'YYYY-MM-DD' (rejects 2022-02-30, 2022-2-3). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const match = ISO_DATE.exec(s);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const [y, m, d] = civilFromDays(daysFromCivil(year, month, day));
  return y === year && m === month && d === day;
}

/**
 * Day number of a date: days since 1970-01-01. Lets callers that compare many dates (the expiry
 * engine) work on integers. Throws RangeError on anything but a valid 'YYYY-MM-DD'.
 */
export function toDayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

/** The 'YYYY-MM-DD' date of a day number (days since 1970-01-01). */
export function fromDayNumber(dayNumber: number): string {
  if (!Number.isSafeInteger(dayNumber)) throw new RangeError(`not a day number: ${dayNumber}`);
  const [year, month, day] = civilFromDays(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Today's calendar date in Asia/Shanghai. @defaultValue now = the current instant */
export function todayInShanghai(now: Date = new Date()): string {
  return fromDayNumber(Math.floor((now.getTime() + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/** The date `n` calendar days after `date` (before it when `n` is negative). */
export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/** Calendar days from `b` to `a`, i.e. `a − b` (positive when `a` is later), like date-fns differenceInCalendarDays. */
export function diffDays(a: string, b: string): number {
  return toDayNumber(a) - toDayNumber(b);
}

/** −1, 0 or 1 as `a` is before, equal to or after `b`; usable as an Array.prototype.sort comparator. */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const difference = diffDays(a, b);
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** The instant 00:00 Asia/Shanghai begins on `date` (16:00 UTC the day before): when a transition takes effect. */
export function shanghaiMidnightUtc(date: string): Date {
  return new Date(toDayNumber(date) * MS_PER_DAY - SHANGHAI_OFFSET_MS);
}
