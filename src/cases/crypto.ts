/**
 * Sealing of case data at rest: AES-256-GCM, a random 12-byte IV per record, the 16-byte
 * authentication tag checked on opening, and the record's context (case reference and field) bound
 * as additional authenticated data, so a sealed value copied to another case or field does not open.
 *
 * A sealed value reads `c1.<key id>.<iv>.<ciphertext+tag>` (base64url parts). The key id is derived
 * from the key itself (an HMAC of a fixed label, 8 characters, which says nothing of the key), so
 * keys can rotate later: a sealer opens records of every key it is given and seals with the first.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError, DalilError, type Logger } from '../domain/index.js';

/** Version of the sealed format (the first dot-separated part). */
const FORMAT = 'c1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A sealed value could not be opened: malformed, sealed under a key this instance lacks, tampered with, or moved to another context. */
export class SealError extends DalilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SealError';
  }
}

/** Seals and opens the text of case records. */
export interface Sealer {
  /** Id of the key new records are sealed with. */
  readonly keyId: string;
  /** Encrypts `plain`, bound to `context` (for example `D-7K3F:m`). */
  seal(plain: string, context: string): string;
  /** Decrypts a value `seal` made with the same context; throws `SealError` otherwise. */
  open(sealed: string, context: string): string;
}

/** The id a key is known by in sealed values. */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('dalil case key id').digest('base64url').slice(0, 8);
}

/**
 * A sealer over `keys`: the first seals, every one opens (older keys stay listed until their
 * records have expired). Each key must be 32 bytes.
 */
export function createSealer(keys: readonly Buffer[]): Sealer {
  if (keys.length === 0) throw new ConfigError('the case sealer needs at least one key');
  const byId = new Map<string, Buffer>();
  for (const key of keys) {
    if (key.length !== KEY_BYTES) throw new ConfigError(`a case encryption key must be ${KEY_BYTES} bytes (got ${key.length})`);
    byId.set(keyIdOf(key), Buffer.from(key));
  }
  const keyId = keyIdOf(keys[0]!);
  const current = byId.get(keyId)!;
  return {
    keyId,
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${FORMAT}.${keyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== FORMAT) throw new SealError('not a sealed case value');
      const key = byId.get(parts[1]!);
      if (!key) throw new SealError('sealed under a key this instance does not have');
      const iv = Buffer.from(parts[2]!, 'base64url');
      const body = Buffer.from(parts[3]!, 'base64url');
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new SealError('not a sealed case value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new SealError('a sealed case value failed its authentication check', { cause });
      }
    },
  };
}

/** Derives the development case key from the HMAC secret (HKDF-SHA256, a label of its own). */
export function developmentCaseKey(hmacSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(hmacSecret, 'utf8'), Buffer.from('dalil-cases'), Buffer.from('case encryption key v1'), KEY_BYTES));
}

/**
 * The key cases are sealed with: CASE_ENCRYPTION_KEY, or outside production a key derived from
 * HMAC_SECRET, with one warning (naming the setting, never a secret). Production without the key
 * is refused by the configuration already; refused here too, in case a caller skipped it.
 */
export function caseKeyFor(settings: { env: string; encryptionKey: Buffer | undefined; hmacSecret: string }, logger: Logger): Buffer {
  if (settings.encryptionKey) return settings.encryptionKey;
  if (settings.env === 'production') throw new ConfigError('CASE_ENCRYPTION_KEY is missing: production refuses to keep cases without it (openssl rand -base64 32)');
  logger.warn('cases.key_derived', { hint: 'CASE_ENCRYPTION_KEY is not set: case data is sealed with a key derived from HMAC_SECRET; set your own key before real cases arrive' });
  return developmentCaseKey(settings.hmacSecret);
}
