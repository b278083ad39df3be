import { codePointLength, findUnsafeChar, sanitizeFileName, UNSAFE_TEXT_MESSAGE, validateSafeText } from './text';

describe('findUnsafeChar', () => {
  it.each([
    ['NUL', '\u0000'], ['BEL', '\u0007'], ['ESC', '\u001b'], ['DEL', '\u007f'], ['C1 NEL', '\u0085'], ['C1 CSI', '\u009b'],
    ['RLO', '\u202e'], ['LRE', '\u202a'], ['PDF', '\u202c'], ['LRI', '\u2066'], ['PDI', '\u2069'], ['LRM', '\u200e'], ['RLM', '\u200f'],
    ['ALM', '\u061c'], ['lone surrogate', '\ud800'],
  ])('refuses %s everywhere', (_label, ch) => {
    expect(findUnsafeChar(`ab${ch}cd`)).toBe(ch.codePointAt(0));
    expect(findUnsafeChar(`ab${ch}cd`, true)).toBe(ch.codePointAt(0));
  });
  it('allows line breaks only in multi-line fields', () => {
    for (const ch of ['\n', '\r', '\t', '\u2028', '\u2029']) {
      expect(findUnsafeChar(`第一行${ch}第二行`)).toBe(ch.codePointAt(0));
      expect(findUnsafeChar(`第一行${ch}第二行`, true)).toBeNull();
    }
  });
  it('accepts ordinary text: CJK of every plane, emoji with ZWJ and variation selectors, BOM', () => {
    expect(findUnsafeChar('䶮𠀀𪚥 汪小明，你好！😀👨‍👩‍👧❤️ café')).toBeNull();
    expect(findUnsafeChar('\ufeff姓名,身份证号')).toBeNull();
  });
});

describe('validateSafeText', () => {
  it('counts code points, not UTF-16 units or what validator.js counts', () => {
    expect(codePointLength('𠀀𠀀')).toBe(2);
    expect(codePointLength('❤️')).toBe(2);
    expect(validateSafeText('𠀀'.repeat(10), { maxLength: 10 })).toBeNull();
    expect(validateSafeText('𠀀'.repeat(11), { maxLength: 10 })).toMatch(/10/);
    expect(validateSafeText('❤️'.repeat(6), { maxLength: 10 })).toMatch(/10/);
  });
  it('enforces the minimum and the character rule', () => {
    expect(validateSafeText('', { minLength: 1, maxLength: 5 })).toMatch(/1至5/);
    expect(validateSafeText('a\u202eb', { maxLength: 5 })).toBe(UNSAFE_TEXT_MESSAGE);
    expect(validateSafeText('a\nb', { maxLength: 5 })).toBe(UNSAFE_TEXT_MESSAGE);
    expect(validateSafeText('a\r\nb', { maxLength: 5, multiline: true })).toBeNull();
  });
});

describe('sanitizeFileName', () => {
  it('drops directories, controls, bidi overrides and path characters', () => {
    expect(sanitizeFileName('收入证明\u202Efdp.exe', 'x')).toBe('收入证明fdp.exe');
    expect(sanitizeFileName('..\\..\\windows\\sys\u0000tem.jpg', 'x')).toBe('system.jpg');
    expect(sanitizeFileName('/etc/passwd', 'x')).toBe('passwd');
    expect(sanitizeFileName('a:b*c?"<d>|.png', 'x')).toBe('abcd.png');
    expect(sanitizeFileName('  ..hidden.png ', 'x')).toBe('hidden.png');
  });
  it('falls back when nothing is left and keeps the end of long names', () => {
    expect(sanitizeFileName('\u202e\u0000', '材料.jpg')).toBe('材料.jpg');
    expect(sanitizeFileName('𠀀'.repeat(200) + '.jpg', 'x', 100)).toBe('𠀀'.repeat(96) + '.jpg');
  });
});
