import { describe, expect, it } from 'vitest';
import { splitPhones } from './phoneNumbers';

describe('splitPhones', () => {
  it('completes a second local number with the first one\'s area code', () => {
    expect(splitPhones('0635-4220844/4222519')).toEqual([
      { display: '0635-4220844', dial: '06354220844' },
      { display: '0635-4222519', dial: '06354222519' },
    ]);
  });

  it('keeps a mobile number whole', () => {
    expect(splitPhones('13346252100')).toEqual([{ display: '13346252100', dial: '13346252100' }]);
  });

  it('splits on Chinese list separators', () => {
    expect(splitPhones('0635-8322019、0635-8327010').map((phone) => phone.display)).toEqual(['0635-8322019', '0635-8327010']);
  });

  it('gives nothing for an empty field', () => {
    expect(splitPhones(null)).toEqual([]);
  });
});
