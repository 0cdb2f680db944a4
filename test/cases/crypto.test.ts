/**
 * Sealing of case data: AES-256-GCM round trip, a fresh IV per record, tampering and moving a
 * value to another case detected, a wrong key refused, keys named so they can rotate, and the
 * settings: CASE_ENCRYPTION_KEY accepted as hex or base64 only, required in production.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { caseKeyOf, loadConfig } from '../../src/config/index.js';
import { caseKeyFor, createSealer, developmentCaseKey, keyIdOf, SealError } from '../../src/cases/crypto.js';
import { recordingLogger } from './support.js';

describe('sealing case data', () => {
  const key = randomBytes(32);
  const sealer = createSealer([key]);

  it('round-trips text in every script, with a fresh IV each time and no clear text', () => {
    for (const text of ['', 'Ils ont pris mon passeport', 'أحتاج إلى مساعدة', '+212600112233', 'x'.repeat(5000)]) {
      const a = sealer.seal(text, 'D-1:m');
      const b = sealer.seal(text, 'D-1:m');
      expect(a).not.toBe(b);
      expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
      expect(a.startsWith(`c1.${keyIdOf(key)}.`)).toBe(true);
      if (text) expect(a).not.toContain(text.slice(0, 8));
      expect(sealer.open(a, 'D-1:m')).toBe(text);
    }
  });

  it('detects tampering with the ciphertext, the IV or the tag', () => {
    const sealed = sealer.seal('call me at 6pm', 'D-1:m');
    const [v, kid, iv, body] = sealed.split('.') as [string, string, string, string];
    const flip = (s: string, i: number): string => {
      const bytes = Buffer.from(s, 'base64url');
      bytes[i] = bytes[i]! ^ 1;
      return bytes.toString('base64url');
    };
    expect(() => sealer.open([v, kid, iv, flip(body, 0)].join('.'), 'D-1:m')).toThrow(SealError);
    expect(() => sealer.open([v, kid, iv, flip(body, Buffer.from(body, 'base64url').length - 1)].join('.'), 'D-1:m')).toThrow(SealError);
    expect(() => sealer.open([v, kid, flip(iv, 3), body].join('.'), 'D-1:m')).toThrow(SealError);
    expect(() => sealer.open(`${v}.${kid}.${iv}`, 'D-1:m')).toThrow(SealError);
    expect(() => sealer.open('plain text', 'D-1:m')).toThrow(SealError);
  });

  it('a value moved to another case or field does not open', () => {
    const sealed = sealer.seal('my address', 'D-1:a');
    expect(() => sealer.open(sealed, 'D-2:a')).toThrow(/authentication/);
    expect(() => sealer.open(sealed, 'D-1:m')).toThrow(SealError);
  });

  it('a wrong key refuses, and a sealer with the old key listed second still opens old records (rotation)', () => {
    const sealed = sealer.seal('before rotation', 'D-1:m');
    const other = createSealer([randomBytes(32)]);
    expect(() => other.open(sealed, 'D-1:m')).toThrow(/key this instance does not have/);
    const forged = sealed.replace(`.${keyIdOf(key)}.`, `.${other.keyId}.`);
    expect(() => other.open(forged, 'D-1:m')).toThrow(/authentication/);
    const rotated = createSealer([randomBytes(32), key]);
    expect(rotated.open(sealed, 'D-1:m')).toBe('before rotation');
    expect(rotated.seal('after', 'D-1:m')).toContain(`.${rotated.keyId}.`);
    expect(rotated.keyId).not.toBe(keyIdOf(key));
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => createSealer([])).toThrow(/at least one key/);
    expect(() => createSealer([randomBytes(16)])).toThrow(/32 bytes/);
  });
});

describe('CASE_ENCRYPTION_KEY', () => {
  const bytes = randomBytes(32);

  it('accepts 32 bytes as hex or base64 (standard or url-safe, padding optional)', () => {
    expect(caseKeyOf({ CASE_ENCRYPTION_KEY: bytes.toString('hex') })).toEqual(bytes);
    expect(caseKeyOf({ CASE_ENCRYPTION_KEY: bytes.toString('base64') })).toEqual(bytes);
    expect(caseKeyOf({ CASE_ENCRYPTION_KEY: bytes.toString('base64url') })).toEqual(bytes);
    expect(caseKeyOf({})).toBeUndefined();
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
    ['hex of 31 bytes', randomBytes(31).toString('hex')],
  ])('refuses %s with a clear error that does not repeat the value', (_name, value) => {
    let message = '';
    try {
      loadConfig({ CASE_ENCRYPTION_KEY: value });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/CASE_ENCRYPTION_KEY must be 32 random bytes/);
    expect(message).not.toContain(value);
  });

  it('validates CASE_RETENTION_DAYS and the WhatsApp case template', () => {
    expect(loadConfig({}).cases).toMatchObject({ retentionDays: 30, whatsappTemplateSid: '', encryptionKey: undefined });
    expect(loadConfig({ CASE_RETENTION_DAYS: '90' }).cases.retentionDays).toBe(90);
    expect(() => loadConfig({ CASE_RETENTION_DAYS: '0' })).toThrow(/CASE_RETENTION_DAYS/);
    expect(() => loadConfig({ CASE_RETENTION_DAYS: 'a month' })).toThrow(/CASE_RETENTION_DAYS/);
    const sid = `HX${'a'.repeat(32)}`;
    expect(loadConfig({ TWILIO_WHATSAPP_CASE_TEMPLATE_SID: sid }).cases.whatsappTemplateSid).toBe(sid);
    expect(() => loadConfig({ TWILIO_WHATSAPP_CASE_TEMPLATE_SID: 'template-1' })).toThrow(/TWILIO_WHATSAPP_CASE_TEMPLATE_SID/);
  });

  it('production refuses to start without it; development derives a key from HMAC_SECRET and warns without a secret', () => {
    const production = { NODE_ENV: 'production', HMAC_SECRET: randomBytes(32).toString('base64') };
    expect(() => loadConfig(production)).toThrow(/CASE_ENCRYPTION_KEY is missing/);
    expect(loadConfig({ ...production, CASE_ENCRYPTION_KEY: bytes.toString('base64') }).cases.encryptionKey).toEqual(bytes);
    const log = recordingLogger();
    expect(() => caseKeyFor({ env: 'production', encryptionKey: undefined, hmacSecret: 'x'.repeat(40) }, log.logger)).toThrow(/CASE_ENCRYPTION_KEY is missing/);
    const secret = 'a-development-secret-of-some-length';
    const derived = caseKeyFor({ env: 'development', encryptionKey: undefined, hmacSecret: secret }, log.logger);
    expect(derived).toEqual(developmentCaseKey(secret));
    expect(derived.length).toBe(32);
    expect(developmentCaseKey('another secret')).not.toEqual(derived);
    expect(log.events().map((e) => e.event)).toEqual(['cases.key_derived']);
    expect(log.lines.join('\n')).not.toContain(secret);
    expect(caseKeyFor({ env: 'development', encryptionKey: bytes, hmacSecret: secret }, log.logger)).toEqual(bytes);
  });
});
