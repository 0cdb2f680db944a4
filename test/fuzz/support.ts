/**
 * Shared generators of the fuzz tests: hostile Unicode text (right-to-left marks and overrides,
 * zero-width characters, emoji sequences, Arabic with vowel marks, combining accents, lone
 * surrogates, odd spaces, the words users really type) and strings of up to 10,000 characters,
 * including the repetitive shapes that expose slow regular expressions. Also the hang guard.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

const BIDI = ['\u200E', '\u200F', '\u061C', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\uFEFF', '\u2060', '\u00AD', '\u180E', '\u034F'];
const EMOJI = ['😀', '👨‍👩‍👧', '🇲🇦', '👍🏿', '❤️', '1️⃣', '🏳️‍🌈', '🙏🏽', '🆘', '☎️'];
const SPACES = [' ', '  ', '\t', '\n', '\r\n', '\n\n', '\u00A0', '\u202F', '\u3000', '\u2028', '\u2029'];
const WORDS = [
  'carte', 'sejour', 'séjour', 'papiers', 'asile', 'HCR', 'police', 'arrêté', 'hôpital', 'help', 'refugee', 'asylum',
  'bghit', 'lwra9', '3afak', 'l7bs', 'karta', 'tarjeta', 'residencia', 'ayuda', 'STOP', 'START', 'MENU', 'PLUS', 'MORE',
  'DELETE', 'امسح', 'المزيد', 'بطاقة', 'الإقامة', 'اللجوء', 'الشرطة', 'Tanger', 'Casa', 'وجدة', '/start', '/delete',
  '0', '1', '2', '12', '٣', '#4', '*bold*', '<b>', '&amp;', 'http://x.y/z?a=1&b=2', '+212600000000',
];

/** One "unit" of hostile text: a character or a short token, from every family above. */
export const hostileUnit: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...WORDS), weight: 6 },
  { arbitrary: fc.constantFrom(...SPACES), weight: 4 },
  { arbitrary: fc.constantFrom(...BIDI), weight: 2 },
  { arbitrary: fc.constantFrom(...INVISIBLE), weight: 2 },
  { arbitrary: fc.constantFrom(...EMOJI), weight: 2 },
  // Arabic letters, then Arabic vowel marks and tatweel
  { arbitrary: fc.integer({ min: 0x0621, max: 0x064a }).map((c) => String.fromCodePoint(c)), weight: 3 },
  { arbitrary: fc.integer({ min: 0x064b, max: 0x065f }).map((c) => String.fromCodePoint(c)), weight: 1 },
  { arbitrary: fc.constant('\u0640'), weight: 1 },
  // Combining accents
  { arbitrary: fc.integer({ min: 0x0300, max: 0x036f }).map((c) => String.fromCodePoint(c)), weight: 1 },
  // Lone surrogates (invalid UTF-16 that JSON and platforms may still deliver)
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), weight: 1 },
  { arbitrary: fc.constantFrom('.', ',', '?', '؟', '!', '*', '_', '"', "'", '«', '»', '-', '/', '\\', '@', '%', '{{x}}'), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 3 },
);

/** Hostile text of up to `maxLength` units. */
export function hostileText(maxLength = 60): fc.Arbitrary<string> {
  return fc.string({ unit: hostileUnit, maxLength });
}

/** Long text: a unit or a short hostile phrase repeated up to 10,000 characters. */
export const longText: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(hostileUnit, hostileText(6)), fc.integer({ min: 1000, max: 10_000 }))
  .filter(([piece]) => piece.length > 0)
  .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));

/** Fixed shapes of 10,000 characters that make backtracking regular expressions slow. */
export const ADVERSARIAL: readonly string[] = [
  'a'.repeat(10_000),
  'a'.repeat(10_000) + '!',
  ' '.repeat(10_000) + 'x',
  'x' + ' '.repeat(9_998) + 'x',
  '.'.repeat(10_000),
  '1'.repeat(10_000),
  '1 '.repeat(5_000),
  '+2'.repeat(5_000),
  '*'.repeat(9_999) + 'a',
  '*a'.repeat(5_000),
  'a '.repeat(5_000),
  'ab'.repeat(5_000),
  '\u200B'.repeat(10_000),
  '\u200F'.repeat(10_000),
  'é'.repeat(10_000),
  'e\u0301'.repeat(5_000),
  'ا'.repeat(10_000),
  'بـ'.repeat(5_000),
  '😀'.repeat(5_000),
  '👨‍👩‍👧'.repeat(1_250),
  '\n'.repeat(10_000),
  '\n \n'.repeat(3_333),
  '-'.repeat(10_000),
  '/start@' + 'a'.repeat(9_990),
  '<'.repeat(10_000),
  '&'.repeat(10_000),
  '9'.repeat(10_000) + 'x',
  'aaaa bbbb cccc dddd '.repeat(500),
  "j'ai perdu ma carte de séjour, la police m'a arrêté à Tanger, que faire ? ".repeat(135),
];

/**
 * Longest a single call may take before the test calls it a hang. Generous (the calls take
 * milliseconds): it catches exponential backtracking or a loop, not a slow machine.
 */
export const HANG_MS = 3000;

/** Runs `fn` and fails when it took longer than `HANG_MS` (a hang, not a timing check). */
export function noHang<T>(label: string, fn: () => T): T {
  const started = performance.now();
  const out = fn();
  const ms = performance.now() - started;
  expect(ms, `${label} took ${Math.round(ms)} ms: a hang or catastrophic backtracking`).toBeLessThan(HANG_MS);
  return out;
}

/** `noHang` for async calls. */
export async function noHangAsync<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const out = await fn();
  const ms = performance.now() - started;
  expect(ms, `${label} took ${Math.round(ms)} ms: a hang or catastrophic backtracking`).toBeLessThan(HANG_MS);
  return out;
}

/** Runs per property in these tests (kept moderate: a property may train nothing but runs the whole engine). */
export const RUNS = 300;
