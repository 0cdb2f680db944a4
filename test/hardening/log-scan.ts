/**
 * The privacy scanner of the test suite's logs. Every event any `createLogger` logger receives
 * during a run (at every level, before masking) is captured by `log-capture.setup.ts`; at the end
 * `log-capture.global.ts` runs `scanEvents` over all of them and fails the run on any finding:
 * - phone numbers (E.164 `+212...`, Moroccan `06...`/`07...`/`05...`, `whatsapp:+...`, `212...`);
 * - tokens: Telegram bot tokens, Twilio SIDs, and every secret constant of the test sources;
 * - chat ids, user ids, SIDs, names and message texts of the recorded fixtures;
 * - the user message texts the tests type (string literals passed as `text`, `Body`, `send(...)` ...).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One captured log event. */
export interface CapturedEvent {
  level: string;
  event: string;
  fields: Record<string, unknown>;
}

/** One thing that should never have been logged. */
export interface Finding {
  event: string;
  field: string;
  kind: 'phone' | 'token' | 'fixture' | 'message-text' | 'secret';
  /** The offending value, shortened. */
  sample: string;
}

/** What the scanner looks for besides the patterns. */
export interface SensitiveSet {
  /** Exact values from fixtures (ids, numbers, names, texts). */
  fixtureValues: Set<string>;
  /** Secret constants of the test sources. */
  secrets: Set<string>;
  /** Message texts typed by tests (lowercased). */
  messageTexts: Set<string>;
}

/** Patterns of phone numbers and platform tokens (linear: no nested quantifiers). */
export const PATTERNS: ReadonlyArray<{ kind: Finding['kind']; re: RegExp }> = [
  // E.164 with or without separators: +212 6 00 11 22 33, +15005550006, whatsapp:+1...
  { kind: 'phone', re: /\+\d[\d .-]{6,18}\d/ },
  // Moroccan national format: 0612345678, 06 12 34 56 78, 06-12-34-56-78
  { kind: 'phone', re: /(?<![\d.])0[5-7](?:[ .-]?\d\d){4}(?!\d)/ },
  // Moroccan international without the plus: 212612345678 / 00212...
  { kind: 'phone', re: /(?<!\d)(?:00)?212[5-7]\d{8}(?!\d)/ },
  // Telegram bot token: <bot id>:<35 characters>
  { kind: 'token', re: /\d{6,12}:[A-Za-z0-9_-]{30,}/ },
  // Twilio SIDs: account, message, media, service, key, content
  { kind: 'token', re: /\b(?:AC|SM|MM|MG|SK|HX|PN)[0-9a-fA-F]{32}\b/ },
];

const FIXTURE_KEYS = new Set([
  'From', 'To', 'WaId', 'ProfileName', 'Body', 'MessageSid', 'SmsMessageSid', 'SmsSid', 'AccountSid', 'MessagingServiceSid',
  'ButtonText', 'ButtonPayload', 'ListTitle', 'ListId', 'MediaUrl0',
  'first_name', 'last_name', 'username', 'phone_number', 'text', 'caption', 'chat_instance',
]);
/** Keys whose value is an id when found under these parents. */
const ID_PARENTS = new Set(['from', 'chat', 'conversation', 'user', 'sender_chat', 'recipient']);

function walkJson(value: unknown, key: string, parent: string, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) walkJson(v, key, parent, out);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) walkJson(v, k, key, out);
    return;
  }
  if (typeof value !== 'string' && typeof value !== 'number') return;
  const s = String(value).trim();
  const sensitive = FIXTURE_KEYS.has(key) || (key === 'id' && ID_PARENTS.has(parent)) || (key === 'name' && parent === 'from');
  // Short values ("Test", "0", "fr") would match everywhere without meaning anything.
  if (sensitive && s.length >= 6) out.add(s);
}

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules') out.push(...filesUnder(p, ext));
    } else if (name.endsWith(ext)) out.push(p);
  }
  return out;
}

/** A string literal's value, with the common escapes resolved. */
function unquote(body: string): string {
  return body.replace(/\\(['"`\\nt])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/** String literals the tests send as user messages. */
const MESSAGE_LITERAL = [
  /\b(?:text|Body|caption|question)\s*:\s*'((?:[^'\\\n]|\\.){10,400})'/g,
  /\b(?:text|Body|caption|question)\s*:\s*"((?:[^"\\\n]|\\.){10,400})"/g,
  /\b(?:send|say|ask|chat|match|classify|detectLanguage|turn)\(\s*(?:[\w.]+,\s*)?'((?:[^'\\\n]|\\.){10,400})'/g,
  /\b(?:send|say|ask|chat|match|classify|detectLanguage|turn)\(\s*(?:[\w.]+,\s*)?"((?:[^"\\\n]|\\.){10,400})"/g,
];
/** Constants of the test sources that hold secrets. */
const SECRET_CONST = /\bconst\s+[A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|AUTH|SID)[A-Z0-9_]*\s*=\s*'([^'\n]{8,})'/g;

/** Collects the fixture values, secrets and typed messages of the test tree at `testDir`. */
export function collectSensitive(testDir: string): SensitiveSet {
  const fixtureValues = new Set<string>();
  for (const file of filesUnder(path.join(testDir, 'fixtures'), '.json')) {
    walkJson(JSON.parse(readFileSync(file, 'utf8')), '', '', fixtureValues);
  }
  const secrets = new Set<string>();
  const messageTexts = new Set<string>();
  for (const file of filesUnder(testDir, '.ts')) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(SECRET_CONST)) secrets.add(m[1] as string);
    for (const re of MESSAGE_LITERAL) {
      for (const m of source.matchAll(re)) {
        const text = unquote(m[1] as string).trim();
        // A phrase: several words, letters, no template or regex syntax.
        if (text.length >= 12 && /\s/.test(text) && /\p{L}{3}/u.test(text) && !text.includes('${')) messageTexts.add(text.toLowerCase());
      }
    }
  }
  return { fixtureValues, secrets, messageTexts };
}

function shorten(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

/** Every finding in `events` (field values only: event names are code constants). */
export function scanEvents(events: Iterable<CapturedEvent>, sensitive: SensitiveSet): Finding[] {
  const findings: Finding[] = [];
  const numbers = new Set([...sensitive.fixtureValues].filter((v) => /^-?\d+$/.test(v)));
  for (const e of events) {
    for (const [field, raw] of Object.entries(e.fields ?? {})) {
      if (raw === undefined || raw === null || typeof raw === 'boolean') continue;
      const value = String(raw);
      const add = (kind: Finding['kind'], sample: string): void => {
        findings.push({ event: e.event, field, kind, sample: shorten(sample) });
      };
      if (typeof raw === 'number') {
        if (numbers.has(value)) add('fixture', value);
        continue;
      }
      const hit = PATTERNS.find((p) => p.re.test(value));
      if (hit) {
        add(hit.kind, value);
        continue;
      }
      const secret = [...sensitive.secrets].find((s) => value.includes(s));
      if (secret) {
        add('secret', secret);
        continue;
      }
      const fixture = [...sensitive.fixtureValues].find((s) => value.includes(s));
      if (fixture) {
        add('fixture', fixture);
        continue;
      }
      const lower = value.toLowerCase();
      const text = [...sensitive.messageTexts].find((s) => lower.includes(s));
      if (text) add('message-text', text);
    }
  }
  return findings;
}

/** Reads JSON-lines capture files; unparseable lines are reported as findings of their own. */
export function readCaptured(files: readonly string[]): { events: CapturedEvent[]; broken: number } {
  const events: CapturedEvent[] = [];
  let broken = 0;
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        events.push(JSON.parse(line) as CapturedEvent);
      } catch {
        broken += 1;
      }
    }
  }
  return { events, broken };
}
