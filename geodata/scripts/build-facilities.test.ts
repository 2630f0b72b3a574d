import { describe, expect, it } from 'vitest';
import { parsePhones } from './build-facilities';

describe('parsePhones', () => {
  it('writes out the area code for a second number after a slash', () => {
    expect(parsePhones('0635-4220844/4222519')).toEqual(['0635-4220844', '0635-4222519']);
  });

  it('reads a doubled dash as a single one', () => {
    expect(parsePhones('0635--7321046')).toEqual(['0635-7321046']);
  });

  it('keeps a mobile number as it is', () => {
    expect(parsePhones('13346252100')).toEqual(['13346252100']);
  });
});
