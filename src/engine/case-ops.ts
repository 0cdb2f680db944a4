/**
 * The conversation service's part of cases: the random reference a turn may open a case with,
 * and, once the turn's state is saved, the case operations the engine asked for (open, relay the
 * user's message, close by the user) and the erasure of the user's cases on forget-me. The desk
 * does the I/O; a failure is logged by its error's name, never crashes the turn, and the user is
 * told politely when their message did not reach the organisation.
 */
import { randomInt } from 'node:crypto';
import {
  errorName,
  partnerOrgName,
  type CaseAddress,
  type CaseIntake,
  type CaseOp,
  type ConversationKey,
  type ConversationState,
  type ConversationStore,
  type KnowledgeBase,
  type Lang,
  type Logger,
  type Reply,
  type Translate,
  type TurnRequest,
} from '../domain/index.js';

/** Letters and digits no one confuses when reading or typing them (no 0/O, 1/I/L, U/V). */
const REF_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';

/** A case reference: 7 characters in two groups ("K7P-4QXM" style, about 17 billion values), from the system's CSPRNG. */
export function newCaseRef(): string {
  let out = '';
  for (let i = 0; i < 7; i++) out += REF_ALPHABET[randomInt(REF_ALPHABET.length)];
  return `${out.slice(0, 3)}-${out.slice(3)}`;
}

/** What running a turn's case operations needs. */
export interface CaseRun {
  cases: CaseIntake;
  store: ConversationStore;
  logger: Logger;
  t: Translate;
  kb: KnowledgeBase;
}

/** One turn's facts the operations read. */
export interface CaseTurn {
  key: ConversationKey;
  request: TurnRequest;
  ops: readonly CaseOp[];
  /** The state after the turn (`null`: the user asked to be forgotten). */
  state: ConversationState | null;
  lang: Lang;
  at: number;
}

/** The name of the organisation behind a partner, in `lang` (its id when unknown). */
function orgName(run: CaseRun, partnerId: string | undefined, lang: Lang): string {
  return partnerId === undefined ? '' : partnerOrgName(run.cases.partners(), run.kb.organisations, partnerId, lang);
}

/** The way back to the user, for the desk to keep encrypted. */
function addressOf(request: TurnRequest): CaseAddress {
  return { channel: request.message.channel, userId: request.userId, ...(request.address !== undefined ? { reference: request.address } : {}) };
}

/** After a case could not be opened: the conversation goes back to the bot (no relay to a case that does not exist). */
function dropCase(run: CaseRun, key: ConversationKey, ref: string): Promise<void> {
  return createCaseRelease({ store: run.store, logger: run.logger })(key, ref);
}

/** Runs one operation; resolves a notice for the user when it failed in a way they must know. */
async function runOp(run: CaseRun, turn: CaseTurn, op: CaseOp): Promise<Reply | undefined> {
  const { key, request, lang, at } = turn;
  const channel = request.message.channel;
  const notice = (textKey: string, partnerId: string | undefined): Reply => ({ kind: 'notice', text: run.t(lang, textKey, { org: orgName(run, partnerId, lang) }), lang });
  try {
    switch (op.op) {
      case 'open':
        await run.cases.open({ ref: op.ref, key, partnerId: op.partnerId, lang: op.lang, intake: op.intake, ...(op.urgency ? { urgency: op.urgency } : {}), address: addressOf(request), at });
        run.logger.info('case.opened', { channel, urgent: op.urgency !== undefined });
        return undefined;
      case 'relay': {
        const text = request.message.text?.trim();
        if (!text) return undefined;
        await run.cases.fromUser({ ref: op.ref, key, text, at });
        return undefined;
      }
      case 'close-by-user':
        await run.cases.closeByUser({ ref: op.ref, key, at });
        run.logger.info('case.closed_by_user', { channel });
        return undefined;
    }
  } catch (err) {
    run.logger.error(`case.${op.op}_failed`, { channel, error: errorName(err) });
    if (op.op === 'open') {
      await dropCase(run, key, op.ref);
      return notice('case.openFailed', op.partnerId);
    }
    if (op.op === 'relay') return notice('case.relayFailed', turn.state?.case?.partnerId);
    return undefined;
  }
}

/**
 * Runs a turn's case operations in order, and on forget-me erases the user's cases. Resolves
 * the notices to add to the turn's replies (a message that did not reach the organisation).
 * Never rejects.
 */
export async function runCaseOps(run: CaseRun, turn: CaseTurn): Promise<Reply[]> {
  const notices: Reply[] = [];
  if (turn.state === null) {
    try {
      await run.cases.forgetUser(turn.key);
    } catch (err) {
      run.logger.error('case.forget_failed', { channel: turn.request.message.channel, error: errorName(err) });
    }
    return notices;
  }
  for (const op of turn.ops) {
    const reply = await runOp(run, turn, op);
    if (reply) notices.push(reply);
  }
  return notices;
}

/**
 * Takes a case off a conversation once the organisation closed it (or it was deleted): what the
 * user writes then goes to the bot again, and the home menu no longer offers the way back. A
 * conversation whose case is another one (or none) is left alone, and a forgotten one is not
 * recreated. Never throws.
 */
export function createCaseRelease(options: { store: ConversationStore; logger: Logger }): (key: ConversationKey, ref: string) => Promise<void> {
  const follow = createCaseFollower(options);
  return (key, ref) => follow(key, ref, { closed: true });
}

/**
 * Keeps a conversation in step with what a case worker did to its case, for the desk's
 * `onCaseMoved` hook (wired by `main.ts`): a closed case is taken off the conversation; a case
 * moved to another partner names the new organisation ("back to my conversation with ...").
 * Never throws.
 */
export function createCaseFollower(options: { store: ConversationStore; logger: Logger }): (key: ConversationKey, ref: string, move: { closed: true } | { partnerId: string }) => Promise<void> {
  const { store, logger } = options;
  return async (key, ref, move) => {
    try {
      await store.transact(key, (state) => {
        if (state?.case?.ref !== ref) return { state: undefined, result: false };
        const next = 'closed' in move ? { ...state, case: undefined } : { ...state, case: { ...state.case, partnerId: move.partnerId } };
        if ('closed' in move && next.awaiting === 'case-close') delete next.awaiting;
        return { state: next, result: true };
      });
    } catch (err) {
      logger.warn('case.release_failed', { error: errorName(err) });
    }
  };
}
