import { idNumberCheckChar, validateIdNumber, validateMobile, validatePersonName } from './validators';
import { maskIdNumber, maskMobile, maskName } from '../common/masking';
import { formatFen } from '../common/money';
import { formatShanghai } from '../common/time';

const today = new Date('2026-11-26T00:00:00Z');
const make = (first17: string) => first17 + idNumberCheckChar(first17);

describe('validateIdNumber (GB 11643)', () => {
  it('accepts the worked example 11010519491231002X', () => {
    expect(validateIdNumber('11010519491231002X', today)).toBeNull();
    expect(validateIdNumber('11010519491231002x', today)).toBeNull();
  });
  it('rejects a wrong check character', () => {
    expect(validateIdNumber('110105194912310021', today)).toMatch(/校验位/);
  });
  it('rejects impossible birth dates', () => {
    expect(validateIdNumber(make('11010519490230002'), today)).toMatch(/出生日期/);
    expect(validateIdNumber(make('11010520300101002'), today)).toMatch(/出生日期/);
  });
  it('rejects people under 16 and accepts 16 on the birthday', () => {
    expect(validateIdNumber(make('11010520101127002'), today)).toMatch(/未满16/);
    expect(validateIdNumber(make('11010520101126002'), today)).toBeNull();
  });
  it('rejects wrong length and characters', () => {
    expect(validateIdNumber('12345', today)).toMatch(/18位/);
    expect(validateIdNumber('', today)).toMatch(/请填写/);
  });
});

describe('validateMobile / validatePersonName', () => {
  it('accepts mainland mobiles only', () => {
    expect(validateMobile('13812345678')).toBeNull();
    expect(validateMobile('12812345678')).not.toBeNull();
    expect(validateMobile('1381234567')).not.toBeNull();
  });
  it('checks names', () => {
    expect(validatePersonName('汪小明')).toBeNull();
    expect(validatePersonName('阿')).not.toBeNull();
    expect(validatePersonName('<script>')).not.toBeNull();
  });
  it('accepts CJK ideographs of every extension, counted by code point', () => {
    expect(validatePersonName('王䶮')).toBeNull(); // U+4DAE, Extension A
    expect(validatePersonName('陈𠀀')).toBeNull(); // U+20000, Extension B (outside the BMP)
    expect(validatePersonName('李𪚥𫠝')).toBeNull(); // Extensions B and D
    expect(validatePersonName('张〇')).toBeNull();
    expect(validatePersonName('𠀀'.repeat(30))).toBeNull(); // 60 UTF-16 units, 30 characters
    expect(validatePersonName('𠀀'.repeat(31))).toMatch(/30/);
  });
  it('accepts a middle dot only between parts', () => {
    expect(validatePersonName('阿卜杜·热合曼')).toBeNull();
    expect(validatePersonName('阿卜杜•热合曼')).toBeNull();
    expect(validatePersonName('阿卜杜・热合曼')).toBeNull();
    expect(validatePersonName('John Smith')).toBeNull();
    for (const bad of ['··', '·阿卜杜', '阿卜杜·', '阿卜杜··热合曼', '阿卜杜 ·热合曼', '阿卜杜  热合曼']) {
      expect(validatePersonName(bad)).not.toBeNull();
    }
  });
  it('refuses radicals, digits, punctuation, controls and bidi overrides', () => {
    for (const bad of ['⺀⺁', '王1', '王-明', '王\u202e明', '王\u0000明', '王\n明', '王\u200f明']) expect(validatePersonName(bad)).not.toBeNull();
  });
});

describe('masking, money, time', () => {
  it('masks', () => {
    expect(maskIdNumber('110105194912310021')).toBe('110105********0021');
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskName('汪小明')).toBe('汪**');
  });
  it('formats fen and Shanghai time', () => {
    expect(formatFen(80000)).toBe('800.00');
    expect(formatFen(-5)).toBe('-0.05');
    expect(formatShanghai('2026-01-01T16:30:00Z')).toBe('2026-01-02 00:30');
  });
});
