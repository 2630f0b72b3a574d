/**
 * The layout's one breakpoint: up to 800 px wide is a phone (`@media (max-width: 800px)` in the
 * styles), where the public page opens on its overview and folds what it can.
 */
export const PHONE_MAX_WIDTH = 800;

/** True on a screen wider than a phone (and where the browser cannot say). */
export function isWideScreen(): boolean {
  return window.matchMedia?.(`(min-width: ${PHONE_MAX_WIDTH + 1}px)`).matches ?? true;
}
