import { describe, expect, it } from 'vitest';
import { mapOrderAfter } from './projection';
import { compareForMap, type MapOrderKey } from './record';

type Item = MapOrderKey & { shown: boolean; version: number };

/** A seeded generator, so that a failure can be run again. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('mapOrderAfter', () => {
  it('gives the order of sorting every shown zone again, over random bulletins', () => {
    const rnd = random(7);
    const kinds = ['sealed', 'controlled', 'precaution'] as const;
    // Few names, so that equal names (ordered by id) are common.
    const names = ['东昌府区A', '东昌府区B', '临清市', '阳谷县', '莘县', '茌平区', '东阿县', '冠县', '高唐县'];
    const make = (id: string, version: number): Item => ({ id, kind: kinds[Math.floor(rnd() * 3)], name: names[Math.floor(rnd() * names.length)], shown: rnd() < 0.85, version });
    const zones = new Map<string, Item>();
    for (let i = 0; i < 400; i++) zones.set(`z${String(i).padStart(4, '0')}`, make(`z${String(i).padStart(4, '0')}`, 0));
    const sorted = () => [...zones.values()].filter((z) => z.shown).sort(compareForMap);
    let layout = sorted();
    for (let round = 1; round <= 200; round++) {
      const moved: Item[] = [];
      const count = 1 + Math.floor(rnd() * 12);
      for (let k = 0; k < count; k++) {
        // A zone changed (kind, name, in force or not), or a new one.
        const id = rnd() < 0.3 ? `n${round}-${k}` : `z${String(Math.floor(rnd() * 400)).padStart(4, '0')}`;
        const item = make(id, round);
        zones.set(id, item);
        if (!moved.some((m) => m.id === id)) moved.push(item);
        else moved[moved.findIndex((m) => m.id === id)] = item;
      }
      layout = mapOrderAfter(layout, moved, (z) => z.shown, (z) => z);
      // The same zones, the current objects, in the same order.
      expect(layout).toEqual(sorted());
      expect(layout.every((z) => z === zones.get(z.id))).toBe(true);
    }
  });
});
