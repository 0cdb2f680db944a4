/**
 * Global commands, language names and yes/no words, read from `commands.json` (data, not code).
 */
import data from './commands.json' with { type: 'json' };
import { LANGS, type Lang } from '../domain/index.js';
import { foldWord } from './text.js';

/** The commands every menu understands, in every language. */
export const COMMAND_NAMES = ['menu', 'back', 'language', 'help', 'delete', 'person', 'more', 'privacy'] as const;
/** The erase command as a choice: the "yes" of the question asked before erasing. */
export const FORGET_CHOICE = 'cmd:delete';
export type CommandName = (typeof COMMAND_NAMES)[number];

function foldedSet(words: readonly string[]): ReadonlySet<string> {
  return new Set(words.map(foldWord));
}

const COMMANDS: ReadonlyArray<readonly [CommandName, ReadonlySet<string>]> = COMMAND_NAMES.map(
  (name) => [name, foldedSet(data.commands[name])] as const,
);
const LANGUAGE_NAMES: ReadonlyArray<readonly [Lang, ReadonlySet<string>]> = LANGS.map(
  (lang) => [lang, foldedSet(data.languages[lang])] as const,
);
const YES = foldedSet(data.feedback.yes);
const NO = foldedSet(data.feedback.no);
const OPT_OUT_STOP = foldedSet(data.sms.stop);
const OPT_OUT_START = foldedSet(data.sms.start);

/** The command a whole message is (`MENU`, `retour`, `امسح`, `/start`), or undefined. */
export function parseCommand(text: string): CommandName | undefined {
  const word = foldWord(text);
  for (const [name, words] of COMMANDS) if (words.has(word)) return name;
  return undefined;
}

/**
 * The language a message names ("English", "français", "بالعربية", "darija"): the whole message,
 * or, when `anyWord` is set, any of its words ("English please").
 */
export function languageNamed(text: string, anyWord = false): Lang | undefined {
  const whole = foldWord(text);
  const words = anyWord ? whole.split(/[^\p{L}\p{M}\p{N}]+/u).filter((w) => w.length > 1) : [];
  for (const [lang, names] of LANGUAGE_NAMES) {
    if (names.has(whole) || words.some((w) => names.has(w))) return lang;
  }
  return undefined;
}

/** `yes` or `no` when the whole message is a yes/no word (for the feedback question). */
export function parseYesNo(text: string): 'yes' | 'no' | undefined {
  const word = foldWord(text);
  if (YES.has(word)) return 'yes';
  if (NO.has(word)) return 'no';
  return undefined;
}

/**
 * A carrier's opt-out keywords (STOP ... / START ...), which mean something only on channels a
 * carrier's rules bind (`capabilities.carrier`): after STOP the carrier refuses further
 * messages, so the engine stays silent until START.
 */
export function parseOptOut(text: string): 'stop' | 'start' | undefined {
  const word = foldWord(text);
  if (OPT_OUT_STOP.has(word)) return 'stop';
  if (OPT_OUT_START.has(word)) return 'start';
  return undefined;
}

const SKIP = foldedSet(data.case.skip);
const CASE_END = foldedSet(data.case.end);

/** Whether a whole message says to skip a question of the referral ("skip", "passer", "تخطي"). */
export function isSkip(text: string): boolean {
  return SKIP.has(foldWord(text));
}

/**
 * Whether a whole message asks to end the user's open case ("end", "fin", "إنهاء"). On carrier
 * channels the carrier's STOP words are read first, as opt-out.
 */
export function isCaseEnd(text: string): boolean {
  return CASE_END.has(foldWord(text));
}
