/**
 * Accounts and sessions of the admin: scrypt password hashes (random salt, constant-time
 * comparison), random session ids stored only as hashes, per-session CSRF tokens, and the login
 * rate limit. No password, session id or token is ever logged.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { AdminStore } from '../store/port.js';

/** The content roles, each allowed everything the previous one is. */
export const LADDER = ['editor', 'reviewer', 'admin'] as const;
/**
 * Every role: the ladder, and `caseworker`, outside it: a case worker of a partner organisation
 * sees only that partner's cases (no content page), and nobody of the ladder but an admin sees cases.
 */
export const ROLES = [...LADDER, 'caseworker'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** True when `role` may do what `needed` may (a case worker only what a case worker may). */
export function hasRole(role: Role, needed: Role): boolean {
  if (role === 'caseworker' || needed === 'caseworker') return role === needed;
  return LADDER.indexOf(role) >= LADDER.indexOf(needed);
}

/** A stored account. */
export interface AdminUser {
  username: string;
  role: Role;
  /** The partner organisation of a case worker (only for role `caseworker`). */
  partnerId?: string;
  /** `scrypt$N$r$p$salt$hash` (base64url). */
  passwordHash: string;
  createdAt: string;
  disabled?: boolean;
  /** Sessions created before this time (ms) are refused: set when the password is reset or the account disabled. */
  sessionsNotBefore?: number;
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
  /** The hash the session is stored under (so an account's sessions can be ended). */
  id?: string;
  username: string;
  csrf: string;
  createdAt: number;
  expiresAt: number;
}

/** Creates a session for `username`; returns the id for the cookie (only its hash is stored). */
export async function createSession(store: AdminStore, username: string, hours: number, now: number): Promise<{ id: string; session: AdminSession }> {
  const id = newToken();
  const session: AdminSession = { id: tokenHash(id), username, csrf: newToken(), createdAt: now, expiresAt: now + hours * 3_600_000 };
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
  /** Failures allowed per address and user name before backoff (e.g. 5); an address gets 4x that over all names, an account 2x. */
  maxFailures: number;
  windowSeconds: number;
  /** Longest wait an account's backoff imposes on a new device (the owner is never locked out longer). */
  accountBackoffMaxSeconds?: number;
}

/** Default of `LoginLimit.accountBackoffMaxSeconds`. */
export const ACCOUNT_BACKOFF_MAX_SECONDS = 30;
/**
 * Addresses are counted in this many buckets (a hash of the address): the counters an attacker can
 * make Dalil keep are bounded whatever the number of addresses or user names they try.
 */
export const ADDRESS_BUCKETS = 4096;

/** One throttle: its id in the `limits` collection, the failures it allows, and its longest backoff. */
interface Throttle {
  id: string;
  free: number;
  capSeconds: number;
}

const addressBucket = (ip: string): number => createHash('sha256').update(ip).digest().readUInt32BE(0) % ADDRESS_BUCKETS;

/**
 * The throttles of an attempt: the address (all user names), and for an existing account the
 * address with that name, and the account itself from anywhere (skipped for a device that signed
 * in to it before). Unknown names make no counter of their own.
 */
function throttlesOf(limit: LoginLimit, ip: string, account: string | undefined, knownDevice: boolean): Throttle[] {
  const bucket = addressBucket(ip);
  const out: Throttle[] = [{ id: `ip:${bucket}`, free: limit.maxFailures * 4, capSeconds: limit.windowSeconds }];
  if (account !== undefined) {
    out.push({ id: `ip-user:${tokenHash(`${bucket}\u0000${account}`)}`, free: limit.maxFailures, capSeconds: limit.windowSeconds });
    if (!knownDevice) out.push({ id: `user:${tokenHash(account)}`, free: limit.maxFailures * 2, capSeconds: limit.accountBackoffMaxSeconds ?? ACCOUNT_BACKOFF_MAX_SECONDS });
  }
  return out;
}

/** Seconds to wait after `failures` failures: none before the `free`-th, then 1, 2, 4 ... up to the cap. */
export function backoffSeconds(failures: number, free: number, capSeconds: number): number {
  if (failures < free) return 0;
  return Math.min(capSeconds, 2 ** Math.min(failures - free, 20));
}

/**
 * Whether a sign-in attempt may be checked now; otherwise how many seconds to wait. Failures
 * slow attempts down (exponential backoff per address, per address and account, per account)
 * rather than lock anyone out: the owner with the right password waits at most the account's
 * short backoff on a new device, and not at all on a device that signed in before.
 */
export async function loginCheck(store: AdminStore, limit: LoginLimit, ip: string, account: string | undefined, knownDevice: boolean, now: number): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
  let wait = 0;
  for (const t of throttlesOf(limit, ip, account, knownDevice)) {
    const [failures, last] = await Promise.all([store.get<number>('limits', t.id), store.get<number>('limits', `${t.id}:t`)]);
    const delayMs = backoffSeconds(failures ?? 0, t.free, t.capSeconds) * 1000;
    if (delayMs > 0 && last !== undefined) wait = Math.max(wait, last + delayMs - now);
  }
  return wait > 0 ? { allowed: false, retryAfter: Math.ceil(wait / 1000) } : { allowed: true };
}

/** Counts a failed sign-in against each throttle (two small records each, expiring with the window). */
export async function loginFailed(store: AdminStore, limit: LoginLimit, ip: string, account: string | undefined, now: number): Promise<void> {
  await Promise.all(
    throttlesOf(limit, ip, account, false).map(async (t) => {
      await store.incr('limits', t.id, limit.windowSeconds);
      await store.put('limits', `${t.id}:t`, now, limit.windowSeconds);
    }),
  );
}

/** Clears the counters of this address and account after a successful sign-in. */
export async function loginSucceeded(store: AdminStore, limit: LoginLimit, ip: string, account: string): Promise<void> {
  await Promise.all(throttlesOf(limit, ip, account, false).flatMap((t) => [store.delete('limits', t.id), store.delete('limits', `${t.id}:t`)]));
}

/** A device that signed in to an account before (its cookie's hash is kept for `DEVICE_DAYS`). */
interface KnownDevice {
  username: string;
}

/** How long a device stays known after its last sign-in. */
export const DEVICE_DAYS = 90;

/** Whether the device cookie `token` signed in to `username` before. */
export async function isKnownDevice(store: AdminStore, token: string | undefined, username: string): Promise<boolean> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token) || !username) return false;
  return (await store.get<KnownDevice>('devices', `${tokenHash(token)}.${tokenHash(username)}`))?.username === username;
}

/** Remembers this device for `username`; returns the cookie value (a new one unless `token` is a valid one). */
export async function rememberDevice(store: AdminStore, token: string | undefined, username: string): Promise<string> {
  const id = token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : newToken();
  await store.put('devices', `${tokenHash(id)}.${tokenHash(username)}`, { username } satisfies KnownDevice, DEVICE_DAYS * 86_400);
  return id;
}

/** Ends every session of `username` (password reset, account disabled); returns how many. */
export async function endSessionsOf(store: AdminStore, username: string): Promise<number> {
  let n = 0;
  for (const s of await store.list<AdminSession>('sessions')) {
    // Sessions made before their record carried its id are refused by `sessionsNotBefore` instead.
    if (s.username === username && typeof s.id === 'string') {
      await store.delete('sessions', s.id);
      n++;
    }
  }
  return n;
}

/** Creates or updates an account (the CLI and the users page). */
export async function saveUser(
  store: AdminStore,
  input: { username: string; role: Role; password?: string; disabled?: boolean; partnerId?: string },
  now: Date = new Date(),
): Promise<AdminUser> {
  if (!USERNAME.test(input.username)) throw new Error('username: 2-32 lowercase letters, digits, ".", "-" or "_"');
  const existing = await store.get<AdminUser>('users', input.username);
  const partnerId = input.role === 'caseworker' ? (input.partnerId ?? existing?.partnerId) : undefined;
  if (input.role === 'caseworker') {
    if (!partnerId) throw new UnknownPartnerError('');
    if (!(await store.get('partners', partnerId))) throw new UnknownPartnerError(partnerId);
  }
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
  // Only a case worker belongs to a partner (the account is read on every request: a change applies at once).
  if (partnerId) user.partnerId = partnerId;
  else delete user.partnerId;
  // A new password or a disabled account ends every session: enabling the account again later
  // does not bring them back.
  if (existing && (input.password !== undefined || input.disabled === true)) {
    user.sessionsNotBefore = now.getTime();
    await store.put('users', user.username, user);
    await endSessionsOf(store, user.username);
    return user;
  }
  await store.put('users', user.username, user);
  return user;
}

/** A case worker's account names no partner, or one that does not exist. */
export class UnknownPartnerError extends Error {
  constructor(readonly partnerId: string) {
    super(partnerId ? `no partner organisation "${partnerId}": create it first on the Partners page` : 'a case worker needs a partner organisation (--org ID)');
    this.name = 'UnknownPartnerError';
  }
}
