import { describe, expect, it } from 'vitest';
import { phoneSegments, splitPhones } from './phoneNumbers';

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

  it('mends the seed\'s doubled hyphen for dialling and keeps the seed\'s text beside it', () => {
    expect(splitPhones('0635--7321046')).toEqual([{ display: '0635-7321046', dial: '06357321046', asPublished: '0635--7321046' }]);
  });

  it('gives nothing for an empty field', () => {
    expect(splitPhones(null)).toEqual([]);
  });
});

describe('phoneSegments', () => {
  it('links the numbers of a hotline line and keeps the rest as text', () => {
    expect(phoneSegments('  新区街道办事处 0635-8322019、0635-8327010\n')).toEqual([
      { text: '  新区街道办事处 ' },
      { text: '0635-8322019', dial: '06358322019' },
      { text: '、' },
      { text: '0635-8327010', dial: '06358327010' },
      { text: '\n' },
    ]);
  });

  it('shows a mistyped double dash as published but dials the number', () => {
    expect(phoneSegments('莘县人民医院 0635--7321046')[1]).toEqual({ text: '0635--7321046', dial: '06357321046' });
  });

  it('dials an alternative after a slash with the first number\'s area code', () => {
    expect(phoneSegments('0635-4220844/4222519')).toEqual([
      { text: '0635-4220844', dial: '06354220844' },
      { text: '/' },
      { text: '4222519', dial: '06354222519' },
    ]);
  });

  it('links a mobile number', () => {
    expect(phoneSegments('联系电话13346252100。')).toEqual([{ text: '联系电话' }, { text: '13346252100', dial: '13346252100' }, { text: '。' }]);
  });

  it('leaves dates, numbers and areas as text', () => {
    const text = '（第12号）自2022年4月25日起，面积约0.12平方公里，2022-04-25，20220425123';
    expect(phoneSegments(text)).toEqual([{ text }]);
  });
});
