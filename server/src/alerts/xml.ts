/**
 * The little XML the alerts and feeds need, written by hand. Both documents are output only, with a
 * fixed shape and every value passing through `escapeXml`, so a serialiser library would add a
 * dependency (and its own escaping rules to trust) for what is one replace of five characters and a
 * filter of the characters XML 1.0 cannot carry at all.
 */
import { SHANGHAI_UTC_OFFSET_HOURS } from '../../../contract/dates';

// Characters XML 1.0 does not allow anywhere (C0 controls but tab, LF and CR; lone surrogates;
// U+FFFE and U+FFFF). A publication's text is the designator's: it must not break the document.
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for element content and double- or single-quoted attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // A parser turns a raw CR into LF; written as a reference it survives.
    .replace(/\r/g, '&#13;');
}

/** `<name>text</name>`, the text escaped. */
export function element(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

const OFFSET = `+${String(SHANGHAI_UTC_OFFSET_HOURS).padStart(2, '0')}:00`;

/**
 * An instant as Asia/Shanghai wall time with its offset, to the second: `2022-11-10T10:00:00+08:00`.
 * CAP 1.2 allows exactly this form (no fractions, no `Z`); Atom (RFC 3339) accepts it too.
 */
export function shanghaiDateTime(instant: Date): string {
  const shifted = new Date(instant.getTime() + SHANGHAI_UTC_OFFSET_HOURS * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}${OFFSET}`;
}

/** 00:00 Asia/Shanghai of a calendar day ('YYYY-MM-DD'), when the zone rules change a zone. */
export function shanghaiMidnight(day: string): string {
  return `${day}T00:00:00${OFFSET}`;
}

/** The instant of 00:00 Asia/Shanghai of a calendar day. */
export function midnightInstant(day: string): Date {
  return new Date(shanghaiMidnight(day));
}
