/**
 * Validation and schema migration of stored conversation state.
 *
 * Every store reads state through `migrateState`, so a value written by an older Dalil (or damaged
 * in storage) never reaches the engine as-is: older versions are upgraded step by step, fields of
 * the wrong type are dropped or reset to their default, unknown fields are stripped, and a value
 * that cannot be trusted at all (unparseable, not an object, a version from a newer Dalil) is
 * discarded, which the engine treats as a new conversation.
 */
import { AWAITING, STATE_VERSION, isLang } from '../domain/index.js';
import type { Choice, ConversationState, Logger } from '../domain/index.js';
import { openCaseOf, referralOf } from './migrate-cases.js';

type Raw = Record<string, unknown>;

/**
 * Upgrades indexed by the version they read: `UPGRADES[n]` turns a version-n object into
 * version n+1. Version 0 is state written before it carried a `v` field; it has the fields of
 * version 1, so the upgrade only stamps the version and `normalise` fills what is missing.
 * When `STATE_VERSION` becomes 2, add `UPGRADES[1]` here (and a test with a stored v1 value).
 */
const UPGRADES: Readonly<Record<number, (state: Raw, now: number) => Raw>> = {
  0: (state) => ({ ...state, v: 1 }),
};

/** Longest string kept in a state field; longer values are treated as damage. */
const MAX_STRING = 4096;

function isPlainObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_STRING;
}

function isChoice(value: unknown): value is Choice {
  return isPlainObject(value) && isShortString(value.id) && isShortString(value.label);
}

/**
 * Builds a clean version-`STATE_VERSION` state from an object that claims to be one:
 * copies only known fields of the right type, records the names of the fields it had to fix.
 */
function normalise(raw: Raw, now: number, repaired: string[]): ConversationState {
  const fix = (field: string): void => {
    if (raw[field] !== undefined) repaired.push(field);
  };
  const boolOr = (field: string, fallback: boolean): boolean => {
    const v = raw[field];
    if (typeof v === 'boolean') return v;
    fix(field);
    return fallback;
  };
  const strings = (field: string): string[] | undefined => {
    const v = raw[field];
    if (Array.isArray(v) && v.every(isShortString)) return [...v];
    fix(field);
    return undefined;
  };
  const optionalString = (field: string): string | undefined => {
    const v = raw[field];
    if (isShortString(v)) return v;
    fix(field);
    return undefined;
  };
  const time = (field: string, fallback: number): number => {
    const v = raw[field];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
    fix(field);
    return fallback;
  };

  const createdAt = time('createdAt', now);
  const state: ConversationState = {
    v: STATE_VERSION,
    langConfirmed: false,
    menuPath: strings('menuPath') ?? [],
    choices: [],
    noticeShown: boolOr('noticeShown', false),
    turns: 0,
    createdAt,
    updatedAt: time('updatedAt', createdAt),
  };

  if (isLang(raw.lang)) state.lang = raw.lang;
  else fix('lang');
  // A confirmed language without a language is meaningless.
  state.langConfirmed = boolOr('langConfirmed', false) && state.lang !== undefined;

  if (Array.isArray(raw.choices)) {
    state.choices = raw.choices.filter(isChoice).map((c) => ({ id: c.id, label: c.label }));
    if (state.choices.length !== raw.choices.length) repaired.push('choices');
  } else fix('choices');

  if (typeof raw.awaiting === 'string' && (AWAITING as readonly string[]).includes(raw.awaiting)) {
    state.awaiting = raw.awaiting as ConversationState['awaiting'];
  } else fix('awaiting');

  const lastTopic = optionalString('lastTopic');
  if (lastTopic !== undefined) state.lastTopic = lastTopic;
  const city = optionalString('city');
  if (city !== undefined) state.city = city;
  const pendingPages = strings('pendingPages');
  if (pendingPages !== undefined) state.pendingPages = pendingPages;
  if (raw.stopped !== undefined) {
    if (typeof raw.stopped === 'boolean') state.stopped = raw.stopped;
    else repaired.push('stopped');
  }

  const referral = referralOf(raw.referral);
  if (referral) state.referral = referral;
  else fix('referral');
  const openCase = openCaseOf(raw.case);
  if (openCase) state.case = openCase;
  else fix('case');

  const turns = raw.turns;
  if (typeof turns === 'number' && Number.isSafeInteger(turns) && turns >= 0) state.turns = turns;
  else repaired.push('turns');

  return state;
}

/**
 * Validates a stored value (JSON text or an already parsed object) and migrates it to the current
 * `STATE_VERSION`. Returns a fresh object (never the input), or `undefined` when nothing is stored
 * or the value must be discarded: unparseable, not an object, a bad or future version. Discards are
 * logged as `state.migrate.discarded` with a reason, repairs as `state.migrate.repaired` with the
 * field names; no value is ever logged. `now` fills missing timestamps.
 */
export function migrateState(raw: unknown, now: number, logger?: Logger): ConversationState | undefined {
  if (raw === undefined || raw === null) return undefined;
  const discard = (reason: string, fields?: Record<string, number>): undefined => {
    logger?.warn('state.migrate.discarded', { reason, ...fields });
    return undefined;
  };

  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return discard('unparseable');
    }
  }
  if (!isPlainObject(value)) return discard('not-an-object');

  const version = value.v === undefined ? 0 : value.v;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return discard('bad-version');
  if (version > STATE_VERSION) return discard('future-version', { version });

  let current: Raw = value;
  for (let v = version; v < STATE_VERSION; v++) {
    const upgrade = UPGRADES[v];
    if (!upgrade) return discard('no-upgrade-path', { version: v });
    current = upgrade(current, now);
  }
  if (version < STATE_VERSION) logger?.info('state.migrate.upgraded', { from: version, to: STATE_VERSION });

  const repaired: string[] = [];
  const state = normalise(current, now, repaired);
  if (repaired.length > 0) logger?.warn('state.migrate.repaired', { fields: repaired.join(',') });
  return state;
}
