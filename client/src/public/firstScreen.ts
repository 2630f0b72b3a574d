/**
 * The first screen index.html draws before any script has run (#first-screen): the header, and on
 * the public page the row the page opens with (使用我的位置 and the search box, disabled), with
 * the same markup and classes as the app's. It lies over the app while the app starts in steps, so
 * the page's largest text, the search box's placeholder, is painted as soon as the entry script
 * has run instead of after the framework, the strings and the app have been evaluated and mounted;
 * it goes once the app has drawn the same row underneath, so nothing moves or blinks.
 */

const FIRST_SCREEN_ID = 'first-screen';

/**
 * Shows the search row of the first screen when the page opened is the public map. index.html is
 * every page's document: the staff pages (/login, /designer, /coordinator) keep the header only.
 * Called by the entry script first thing, before the app's chunks are even evaluated.
 */
export function showPublicFrame(): void {
  if (window.location.pathname !== '/') return;
  const frame = document.getElementById(FIRST_SCREEN_ID)?.querySelector<HTMLElement>('[data-public-frame]');
  if (frame) frame.hidden = false;
}

/** Removes the first screen: the app has drawn its own (it is harmless to call again). */
export function dropFirstScreen(): void {
  document.getElementById(FIRST_SCREEN_ID)?.remove();
}
