/**
 * Phone fields from the seed documents sometimes hold several numbers ("0635-4220844/4222519",
 * the second sharing the first's area code). Splits them into dialable numbers for tel: links.
 */
export interface PhoneNumber {
  display: string;
  /** The tel: URI target: digits and a leading + only. */
  dial: string;
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
    const display = areaCode && /^\d{7,8}$/.test(part) ? `${areaCode}-${part}` : part;
    return { display, dial: display.replace(/[^\d+]/g, '') };
  });
}
