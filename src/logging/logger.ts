/**
 * A small structured logger: one JSON line per event on stderr (or a given sink).
 * Field values that look like phone numbers, long digit runs or tokens are masked as a last
 * line of defence; callers must still never pass user ids or message text.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { Logger, LogFields } from '../domain/index.js';

/** The request being served, carried through its turn (and any reply sent after its webhook was answered). */
const requestContext = new AsyncLocalStorage<{ req: string }>();

/** Random bytes drawn ahead for request ids: one draw per 512 ids instead of one per request. */
const ID_BYTES = 9;
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** A fresh request id: 12 random base64url characters, nothing derived from the request. */
export function newRequestId(): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 512);
    idOffset = 0;
  }
  const id = idPool.toString('base64url', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return id;
}

/**
 * The id of a request: the proxy's `X-Request-Id` when it is a plain token (8-64 letters, digits,
 * `-`, `_`, `.`) that the masking below would leave unchanged (so it can never smuggle a number
 * into the logs), otherwise a fresh one.
 */
export function requestIdFrom(header: string | undefined): string {
  if (header && /^[A-Za-z0-9._-]{8,64}$/.test(header) && scrub(header) === header) return header;
  return newRequestId();
}

/** Runs `fn` with `id` as the request id of every log line written inside it (async work included). */
export function withRequestId<T>(id: string, fn: () => T): T {
  return requestContext.run({ req: id }, fn);
}

/** The request id of the code running now, if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.req;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LevelName = keyof typeof LEVELS;

/** Masks digit runs of 6+ (phone numbers, chat ids) and long token-like strings. */
export function scrub(value: string): string {
  // Most values (channel names, intents, error names) have no digit and are short: nothing to mask.
  if (value.length < 32 && !/\d/.test(value)) return value;
  return value
    .replace(/\+?\d[\d\s-]{5,}\d/g, '[number]')
    .replace(/\b[A-Za-z0-9_-]{32,}\b/g, '[secret]')
    .replace(/\b\d{6,}:[A-Za-z0-9_-]{20,}\b/g, '[secret]');
}

/** One event as a tap sees it: the fields exactly as the caller passed them (before masking). */
export interface TappedEvent {
  level: Exclude<LevelName, 'silent'>;
  event: string;
  fields: LogFields;
}

const taps = new Set<(e: TappedEvent) => void>();

/**
 * Registers `tap` to receive every event of every logger made by `createLogger`, at every level
 * and before masking, whatever the logger's own level: the test suite's privacy scan uses it to
 * check that no caller ever passes a phone number, chat id, token or message text. Returns the
 * function that removes the tap. Nothing is tapped unless a tap is registered.
 */
export function addLogTap(tap: (e: TappedEvent) => void): () => void {
  taps.add(tap);
  return () => {
    taps.delete(tap);
  };
}

let stderrLines: string[] = [];
let stderrFlushing = false;
/** Writes the lines logged so far to stderr in one write. */
function flushStderr(): void {
  stderrFlushing = false;
  if (stderrLines.length === 0) return;
  const text = `${stderrLines.join('\n')}\n`;
  stderrLines = [];
  process.stderr.write(text);
}
/**
 * The default sink: stderr, one write per turn of the event loop (a turn logs a few lines; one
 * write each cost a system call each). Whatever is left is written when the process exits.
 */
function stderrSink(line: string): void {
  if (stderrLines.length === 0 && !stderrFlushing) {
    stderrFlushing = true;
    setImmediate(flushStderr);
  }
  stderrLines.push(line);
  if (stderrLines.length >= 256) flushStderr();
}
process.on('exit', flushStderr);

let isoMs = -1;
let isoText = '';
/** The time of a log line: the lines of one millisecond share one formatted string. */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/** Creates a logger writing JSON lines at or above `level` to `sink`. */
export function createLogger(level: LevelName = 'info', sink: (line: string) => void = stderrSink): Logger {
  const min = LEVELS[level];
  const emit = (lvl: Exclude<LevelName, 'silent'>, event: string, fields?: LogFields): void => {
    if (taps.size > 0) for (const tap of taps) tap({ level: lvl, event, fields: { ...(fields ?? {}) } });
    if (LEVELS[lvl] < min) return;
    const entry: Record<string, string | number | boolean> = { t: isoNow(), level: lvl, event };
    const req = requestContext.getStore()?.req;
    if (req !== undefined) entry.req = req;
    if (fields) {
      for (const k in fields) {
        const v = fields[k];
        if (v === undefined) continue;
        entry[k] = typeof v === 'string' ? scrub(v) : v;
      }
    }
    sink(JSON.stringify(entry));
  };
  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger('silent');
