/**
 * Phone fields from the seed documents sometimes hold several numbers ("0635-4220844/4222519",
 * the second sharing the first's area code). Splits them into dialable numbers for tel: links.
 */
export interface PhoneNumber {
  /** The number as dialled, written the usual way (a doubled hyphen of the seed mended). */
  display: string;
  /** The tel: URI target: digits and a leading + only. */
  dial: string;
  /** The seed's text, when it differs from `display` (the seed once types "0635--7321046"). */
  asPublished?: string;
}

/** Splits a phone field into its numbers, completing local numbers with the first's area code. */
export function splitPhones(field: string | null | undefined): PhoneNumber[] {
  if (!field) return [];
  const parts = field
    .split(/[/、,，;；\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const areaCode = parts[0]?.match(/^(0\d{2,3})-/)?.[1] ?? null;
  return parts.map((part) => {
    const mended = part.replace(/-{2,}/g, '-');
    const display = areaCode && /^\d{7,8}$/.test(mended) ? `${areaCode}-${mended}` : mended;
    return { display, dial: display.replace(/[^\d+]/g, ''), ...(mended !== part ? { asPublished: part } : {}) };
  });
}

/** A run of a published text: plain text, or a phone number as published with its tel: target. */
export interface TextSegment {
  text: string;
  /** Set on phone numbers: digits (and a leading +) to dial. */
  dial?: string;
}

// A landline with its area code (the seeds once type "0635--7321046"), optionally followed by
// "/4222519" alternatives sharing the area code, or a mobile number; never inside a longer number.
const PHONE_IN_TEXT = /(?<!\d)(?:0\d{2,3}-{1,2}\d{7,8}(?:\/\d{7,8})*|1[3-9]\d{9})(?!\d)/g;

const dialOf = (phone: string) => phone.replace(/[^\d+]/g, '');

/**
 * Splits a published text into plain runs and phone numbers, so the numbers can be tap-to-call
 * links. The text is kept exactly as published; only the dialled number is normalised.
 */
export function phoneSegments(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  const pushText = (run: string) => {
    if (!run) return;
    const last = segments[segments.length - 1];
    if (last && last.dial === undefined) last.text += run;
    else segments.push({ text: run });
  };
  let from = 0;
  for (const match of text.matchAll(PHONE_IN_TEXT)) {
    pushText(text.slice(from, match.index));
    const [first, ...alternatives] = match[0].split('/');
    const areaCode = first.match(/^0\d{2,3}/)?.[0] ?? '';
    segments.push({ text: first, dial: dialOf(first) });
    for (const local of alternatives) {
      pushText('/');
      segments.push({ text: local, dial: `${areaCode}${local}` });
    }
    from = match.index + match[0].length;
  }
  pushText(text.slice(from));
  return segments;
}
