/**
 * Password hashing: scrypt with a random salt, checked in constant time.
 */
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../src/admin/auth/accounts.js';

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and checks in constant time', async () => {
    const a = await hashPassword('correct-horse-battery');
    const b = await hashPassword('correct-horse-battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct-horse-battery', a)).toBe(true);
    expect(await verifyPassword('correct-horse-batterz', a)).toBe(false);
    expect(await verifyPassword('x', undefined)).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });
});
