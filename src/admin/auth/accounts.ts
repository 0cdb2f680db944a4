/**
 * Accounts and sessions of the admin: scrypt password hashes (random salt, constant-time
 * comparison), random session ids stored only as hashes, per-session CSRF tokens, and the login
 * rate limit. No password, session id or token is ever logged.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { AdminStore } from '../store/port.js';

/** Roles, each allowed everything the previous one is. */
export const ROLES = ['editor', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** True when `role` may do what `needed` may. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** A stored account. */
export interface AdminUser {
  username: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (base64url). */
  passwordHash: string;
  createdAt: string;
  disabled?: boolean;
}

/** Usernames: 2-32 lowercase letters, digits, dot, dash, underscore, starting with a letter or digit. */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;
/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 } as const;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a password with scrypt and a random 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 128 * SCRYPT.N * SCRYPT.r * 2 });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** A hash of a password nobody knows, checked when the user does not exist (same time either way). */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parts = (stored ?? DUMMY_HASH).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length < 16) return false;
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: 128 * N * r * 2 });
  return timingSafeEqual(key, expected) && stored !== undefined;
}

/** A new random token (session id, CSRF token): 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps of a session id: its SHA-256, so a copy of the store opens no session. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Compares two secrets in constant time (hashed first, so lengths do not matter). */
export function safeEqual(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a === '' || b === '') return false;
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** A signed-in session as stored (under the hash of its id). */
export interface AdminSession {
  username: string;
  csrf: string;
  createdAt: number;
  expiresAt: number;
}

/** Creates a session for `username`; returns the id for the cookie (only its hash is stored). */
export async function createSession(store: AdminStore, username: string, hours: number, now: number): Promise<{ id: string; session: AdminSession }> {
  const id = newToken();
  const session: AdminSession = { username, csrf: newToken(), createdAt: now, expiresAt: now + hours * 3_600_000 };
  await store.put('sessions', tokenHash(id), session, hours * 3600);
  return { id, session };
}

/** The live session of a cookie value, if any. */
export async function readSession(store: AdminStore, id: string | undefined, now: number): Promise<AdminSession | undefined> {
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const s = await store.get<AdminSession>('sessions', tokenHash(id));
  return s && s.expiresAt > now ? s : undefined;
}

/** Ends a session. */
export async function deleteSession(store: AdminStore, id: string | undefined): Promise<void> {
  if (id && /^[A-Za-z0-9_-]{43}$/.test(id)) await store.delete('sessions', tokenHash(id));
}

/** Login rate limit settings. */
export interface LoginLimit {
  /** Failures allowed per IP address and username within the window (e.g. 5). */
  maxFailures: number;
  windowSeconds: number;
}

const limitIds = (ip: string, username: string): [string, string] => [
  `ip-user:${tokenHash(`${ip}\u0000${username}`)}`,
  `user:${tokenHash(username)}`,
];

/**
 * Whether a login attempt may be checked: under `maxFailures` failures for this IP and username,
 * and under 4x that for the username from anywhere (X-Forwarded-For can be forged).
 */
export async function loginAllowed(store: AdminStore, limit: LoginLimit, ip: string, username: string): Promise<boolean> {
  const [pair, user] = limitIds(ip, username);
  const [a, b] = await Promise.all([store.get<number>('limits', pair), store.get<number>('limits', user)]);
  return (a ?? 0) < limit.maxFailures && (b ?? 0) < limit.maxFailures * 4;
}

/** Counts a failed login. */
export async function loginFailed(store: AdminStore, limit: LoginLimit, ip: string, username: string): Promise<void> {
  const [pair, user] = limitIds(ip, username);
  await Promise.all([store.incr('limits', pair, limit.windowSeconds), store.incr('limits', user, limit.windowSeconds)]);
}

/** Clears the IP+username counter after a successful login. */
export async function loginSucceeded(store: AdminStore, ip: string, username: string): Promise<void> {
  await store.delete('limits', limitIds(ip, username)[0]);
}

/** Creates or updates an account (the CLI and the users page). */
export async function saveUser(
  store: AdminStore,
  input: { username: string; role: Role; password?: string; disabled?: boolean },
  now: Date = new Date(),
): Promise<AdminUser> {
  if (!USERNAME.test(input.username)) throw new Error('username: 2-32 lowercase letters, digits, ".", "-" or "_"');
  const existing = await store.get<AdminUser>('users', input.username);
  if (!existing && input.password === undefined) throw new Error('a new account needs a password');
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const user: AdminUser = {
    ...(existing ?? { createdAt: now.toISOString() }),
    username: input.username,
    role: input.role,
    passwordHash: input.password !== undefined ? await hashPassword(input.password) : existing!.passwordHash,
    ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
  };
  await store.put('users', user.username, user);
  return user;
}
