/**
 * The checkpoint data give a direction in both languages in one field ("南向，德州方向来车 /
 * southbound, inbound from Dezhou"): the page shows the half of the language it speaks.
 */
export function directionIn(direction: string | null | undefined, locale: 'zh' | 'en'): string {
  if (!direction) return '';
  const [zh, en] = direction.split(' / ');
  return (locale === 'en' ? en || zh : zh) ?? '';
}
