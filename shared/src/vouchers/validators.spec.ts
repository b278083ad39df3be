import { creditCodeCheckChar, distanceMetres, parseYuanToFen, validateCreditCode, validateValidityCoversClaimWindow, validityEnded } from './validators';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts published codes', () => {
    for (const c of ['91350100M000100Y43', '91110000802100433B', '91440300708461136T']) expect(validateCreditCode(c)).toBeNull();
    expect(validateCreditCode('91350100m000100y43')).toBeNull();
  });
  it('computes the check character', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(creditCodeCheckChar('9144030070846113')).toBeNull();
    expect(creditCodeCheckChar('9135010OM000100Y4')).toBeNull(); // O is not in the set
  });
  it('refuses a wrong check character, length or characters', () => {
    expect(validateCreditCode('91350100M000100Y44')).toBe('统一社会信用代码校验位不正确，请核对');
    expect(validateCreditCode('91350100M000100Y4')).toBe('统一社会信用代码应为18位');
    expect(validateCreditCode('91350100M00010OY43')).toBe('统一社会信用代码含有无效字符');
    expect(validateCreditCode('9135A100M000100Y43')).toBe('统一社会信用代码含有无效字符');
    expect(validateCreditCode('')).toBe('请填写统一社会信用代码');
  });
  it('every single-character change of the body is caught', () => {
    const body = '91350100M000100Y4';
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (let i = 0; i < 17; i++) {
      for (const ch of chars) {
        if (ch === body[i] || (i >= 2 && i < 8 && !/\d/.test(ch))) continue;
        const changed = body.slice(0, i) + ch + body.slice(i + 1);
        expect(validateCreditCode(changed + '3')).not.toBeNull();
      }
    }
  });
});

describe('yuan to fen', () => {
  it('converts exactly', () => {
    expect(parseYuanToFen('128')).toEqual({ fen: 12800 });
    expect(parseYuanToFen('128.5')).toEqual({ fen: 12850 });
    expect(parseYuanToFen('0.29')).toEqual({ fen: 29 });
    expect(parseYuanToFen('1.10')).toEqual({ fen: 110 });
    expect(parseYuanToFen(' 19.99 ')).toEqual({ fen: 1999 });
  });
  it('refuses bad input', () => {
    expect(parseYuanToFen('').error).toBe('请输入金额');
    expect(parseYuanToFen('1.234').error).toBe('金额最多保留两位小数');
    expect(parseYuanToFen('-1').error).toBe('请输入正确的金额');
    expect(parseYuanToFen('abc').error).toBe('请输入正确的金额');
    expect(parseYuanToFen('0').error).toBe('金额应大于0');
  });
});

describe('distance', () => {
  it('is about 1.11 km per 0.01° of latitude', () => {
    expect(distanceMetres(30.2, 115.0, 30.21, 115.0)).toBeGreaterThan(1100);
    expect(distanceMetres(30.2, 115.0, 30.21, 115.0)).toBeLessThan(1120);
    expect(distanceMetres(30.2, 115.0, 30.2, 115.0)).toBe(0);
  });
});

describe('campaign validity against the claim window', () => {
  const end = '2026-12-31T16:00:00.000Z';
  it('refuses a fixed validity ending before claiming ends, accepts equal or later, ignores relative validity', () => {
    expect(validateValidityCoversClaimWindow({ claimEndAt: end, validityKind: 'fixed', validUntil: '2026-12-31T15:59:59.000Z' })).toMatch(/有效期.*领取结束/);
    expect(validateValidityCoversClaimWindow({ claimEndAt: end, validityKind: 'fixed', validUntil: end })).toBeNull();
    expect(validateValidityCoversClaimWindow({ claimEndAt: new Date(end), validityKind: 'fixed', validUntil: new Date('2027-01-31T16:00:00Z') })).toBeNull();
    expect(validateValidityCoversClaimWindow({ claimEndAt: end, validityKind: 'relative', validUntil: null })).toBeNull();
  });
  it('knows when a fixed validity is over', () => {
    const now = new Date(end);
    expect(validityEnded({ validityKind: 'fixed', validUntil: end }, now)).toBe(true);
    expect(validityEnded({ validityKind: 'fixed', validUntil: new Date(now.getTime() + 1000) }, now)).toBe(false);
    expect(validityEnded({ validityKind: 'relative', validUntil: null }, now)).toBe(false);
  });
});
