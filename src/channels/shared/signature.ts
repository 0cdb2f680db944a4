/**
 * Constant-time comparison of secrets (webhook tokens, signatures), so that the time a check takes
 * does not tell an attacker how much of a guess was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `received` equals `expected`. Both are hashed first, so the comparison takes the same
 * time whatever their lengths; a missing or empty `received` is never equal, nor is an empty `expected`.
 */
export function safeEqual(received: string | undefined | null, expected: string): boolean {
  if (typeof received !== 'string' || received === '' || expected === '') return false;
  const a = createHash('sha256').update(received, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
