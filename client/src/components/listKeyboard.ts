/**
 * Arrow-key movement between the items of a list: Up/Down (and Home/End) move focus between the
 * elements marked `data-list-item` inside the list the event came from. Tab still leaves the list.
 */
export function onListKeydown(event: KeyboardEvent): void {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(event.key)) return;
  const list = event.currentTarget as HTMLElement;
  const items = Array.from(list.querySelectorAll<HTMLElement>('[data-list-item]'));
  if (!items.length) return;
  const index = items.indexOf(document.activeElement as HTMLElement);
  let next = index;
  if (event.key === 'ArrowDown') next = index < 0 ? 0 : Math.min(items.length - 1, index + 1);
  if (event.key === 'ArrowUp') next = index < 0 ? 0 : Math.max(0, index - 1);
  if (event.key === 'Home') next = 0;
  if (event.key === 'End') next = items.length - 1;
  event.preventDefault();
  items[next]?.focus();
}
