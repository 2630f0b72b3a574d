import { describe, expect, it } from 'vitest';
import en from './en';
import zh from './zh';

function keysOf(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keysOf(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('UI messages', () => {
  it('have the same keys in Chinese and English', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zh).sort());
  });

  it('name the three zone kinds as published', () => {
    expect(zh.zoneKind).toEqual({ sealed: '封控区', controlled: '管控区', precaution: '防范区' });
  });

  it('use no vue-i18n special characters that would break compilation', () => {
    const texts = keysOf(zh).map((key) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], zh));
    expect(texts.filter((text) => typeof text === 'string' && /[@|]/.test(text))).toEqual([]);
  });
});
