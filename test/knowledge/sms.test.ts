import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  isGsmChar,
  nonGsmChars,
  smsCharsPerSegment,
  smsEncoding,
  smsLength,
  smsSegments,
  toGsmSafe,
} from '../../src/domain/index.js';

const a = (n: number): string => 'a'.repeat(n);

describe('smsEncoding', () => {
  it('keeps GSM 03.38 letters, including é è ù à Ñ ü, in GSM-7', () => {
    expect(smsEncoding('Repondez 1 pour plus. é è ù ì ò à É Ç Ø å Ä Ö Ñ Ü ä ö ñ ü ß')).toBe('GSM-7');
    expect(smsEncoding('@£$¥_!"#%&\'()*+,-./:;<=>?¡¿§\n\r')).toBe('GSM-7');
  });

  it('counts extension-table characters as GSM-7', () => {
    expect(smsEncoding('€ [ ] { } \\ ^ ~ |')).toBe('GSM-7');
  });

  it('switches to UCS-2 for ç ê á í ó ú œ, typographic quotes, dashes and Arabic', () => {
    for (const ch of ['ç', 'ê', 'â', 'î', 'ô', 'û', 'á', 'í', 'ó', 'ú', 'ë', 'ï', 'œ', '’', '“', '”', '–', '—', 'ب', '😀']) {
      expect(smsEncoding(`ok ${ch}`), ch).toBe('UCS-2');
    }
  });

  it('lists the characters that force UCS-2, once each', () => {
    expect(nonGsmChars('ça va? ça’va')).toEqual(['ç', '’']);
    expect(nonGsmChars('plain')).toEqual([]);
    expect(isGsmChar('€')).toBe(true);
    expect(isGsmChar('ç')).toBe(false);
  });
});

describe('smsSegments, GSM-7', () => {
  it('is 0 for the empty text', () => {
    expect(smsSegments('')).toBe(0);
  });

  it('fits 160 characters in one segment and splits at 161', () => {
    expect(smsSegments(a(160))).toBe(1);
    expect(smsSegments(a(161))).toBe(2);
  });

  it('fits 306 characters in two segments (153 each) and needs three at 307', () => {
    expect(smsSegments(a(306))).toBe(2);
    expect(smsSegments(a(307))).toBe(3);
    expect(smsSegments(a(459))).toBe(3);
    expect(smsSegments(a(460))).toBe(4);
  });

  it('counts extension characters as two', () => {
    expect(smsLength('€')).toBe(2);
    expect(smsSegments('€'.repeat(80))).toBe(1); // 160 septets
    expect(smsSegments(a(159) + '€')).toBe(2); // 161 septets
    expect(smsSegments(a(158) + '€')).toBe(1); // 160 septets
  });

  it('never splits an extension character across two segments', () => {
    // 306 septets, but the € would straddle the first boundary: 152 | € + 151 | 1.
    expect(smsLength(a(152) + '€' + a(152))).toBe(306);
    expect(smsSegments(a(152) + '€' + a(152))).toBe(3);
    expect(smsSegments(a(151) + '€' + a(153))).toBe(2);
  });
});

describe('smsSegments, UCS-2', () => {
  const u = (n: number): string => 'ç' + a(n - 1);

  it('fits 70 characters in one segment and splits at 71', () => {
    expect(smsSegments(u(70))).toBe(1);
    expect(smsSegments(u(71))).toBe(2);
  });

  it('fits 134 characters in two segments (67 each) and needs three at 135', () => {
    expect(smsSegments(u(134))).toBe(2);
    expect(smsSegments(u(135))).toBe(3);
  });

  it('counts Arabic letters as one unit each', () => {
    expect(smsSegments('ب'.repeat(70))).toBe(1);
    expect(smsSegments('ب'.repeat(71))).toBe(2);
    expect(smsSegments('ب'.repeat(134))).toBe(2);
    expect(smsSegments('ب'.repeat(135))).toBe(3);
  });

  it('counts UTF-16 code units: an emoji is two and is never split', () => {
    expect(smsLength('😀')).toBe(2);
    expect(smsSegments('😀'.repeat(35))).toBe(1); // 70 units
    expect(smsSegments('😀'.repeat(35) + 'a')).toBe(2); // 71 units
    // 66 units, then an emoji that would straddle the 67 boundary: 66 | 2 + 65 | ...
    expect(smsSegments('ب'.repeat(66) + '😀' + 'ب'.repeat(66))).toBe(3);
  });
});

describe('smsCharsPerSegment', () => {
  it('gives the single and multipart sizes of each encoding', () => {
    expect(smsCharsPerSegment('GSM-7', false)).toBe(160);
    expect(smsCharsPerSegment('GSM-7', true)).toBe(153);
    expect(smsCharsPerSegment('UCS-2', false)).toBe(70);
    expect(smsCharsPerSegment('UCS-2', true)).toBe(67);
  });
});

describe('toGsmSafe', () => {
  it('replaces typographic characters by GSM-7 ones', () => {
    const input = '“Bonjour” – l’été… «oui» — a\u00A0b\u202Fc\u2009d • item';
    const out = toGsmSafe(input);
    expect(out).toBe('"Bonjour" - l\'été... "oui" - a b c d - item');
    expect(smsEncoding(out)).toBe('GSM-7');
  });

  it('leaves letters alone', () => {
    expect(toGsmSafe('ça, où, información, مرحبا')).toBe('ça, où, información, مرحبا');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const once = toGsmSafe(s);
        expect(toGsmSafe(once)).toBe(once);
      }),
    );
  });
});

describe('segment arithmetic (property)', () => {
  const gsmBasic = fc.constantFrom(...'abcXYZ 0123.,!?éèàÑü@£$\n'.split(''));

  it('matches 160 / ceil(n / 153) for GSM-7 texts without extension characters', () => {
    fc.assert(
      fc.property(fc.array(gsmBasic, { minLength: 1, maxLength: 800 }), (chars) => {
        const s = chars.join('');
        const n = s.length;
        expect(smsEncoding(s)).toBe('GSM-7');
        expect(smsSegments(s)).toBe(n <= 160 ? 1 : Math.ceil(n / 153));
      }),
    );
  });

  it('matches 70 / ceil(n / 67) for BMP UCS-2 texts', () => {
    const arabic = fc.constantFrom(...'ابتثجحخدذرزسشصضطظعغفقكلمنهوي '.split(''));
    fc.assert(
      fc.property(fc.array(arabic, { minLength: 1, maxLength: 400 }), (chars) => {
        const s = 'ب' + chars.join('');
        const n = s.length;
        expect(smsSegments(s)).toBe(n <= 70 ? 1 : Math.ceil(n / 67));
      }),
    );
  });
});
