/** Small helpers shared by the state tests. */
import type { ConversationKey, ConversationState, LogFields, Logger } from '../../src/domain/index.js';
import { newState } from '../../src/domain/index.js';

/** One captured log event. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  event: string;
  fields: LogFields;
}

/** A logger that keeps every event, for assertions. */
export function captureLogger(): Logger & { entries: LogEntry[]; count(event: string): number; text(): string } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (event: string, fields: LogFields = {}): void => {
      entries.push({ level, event, fields });
    };
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    count: (event) => entries.filter((e) => e.event === event).length,
    text: () => JSON.stringify(entries),
  };
}

/** A conversation key of the right shape (tests that do not need the keyer). */
export function testKey(label: string): ConversationKey {
  return `${label}-${Math.random().toString(36).slice(2, 10)}` as ConversationKey;
}

/** A state one turn further than `state` (or a new one). */
export function nextTurn(state: ConversationState | undefined, now = Date.now()): ConversationState {
  const s = state ?? newState(now);
  return { ...s, turns: s.turns + 1, updatedAt: now };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves to the promise's value, or to `'timed-out'` when it has not settled within `ms`. */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed-out'>((r) => (timer = setTimeout(() => r('timed-out'), ms)));
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; resolves whether it became true. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(25);
  }
  return check();
}
