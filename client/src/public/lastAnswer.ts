/**
 * The answer for the last place looked up, kept on the device so that it is still there without
 * a network (a lookup is never cached by the service worker: each place is a new question).
 */
import type { LookupResult } from '../api/types';

const STORAGE_KEY = 'risk-map.last-answer';

/** A kept answer: what was asked (`place`, the URL's words for it), the answer, and when. */
export interface KeptAnswer {
  place: string;
  label: string;
  answer: LookupResult;
  fetchedAt: string;
}

/** Keeps `answer` as the last one (silently not, when storage is blocked). */
export function keepAnswer(kept: KeptAnswer): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(kept));
  } catch {
    // Private mode or a full store: the answer is simply not kept.
  }
}

/** The last kept answer, or null. */
export function lastAnswer(): KeptAnswer | null {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    if (!text) return null;
    const parsed = JSON.parse(text) as KeptAnswer;
    return parsed && typeof parsed.place === 'string' && parsed.answer ? parsed : null;
  } catch {
    return null;
  }
}
