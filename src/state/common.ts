/** What the memory and Redis stores share: one reading of the store contract, kept in one place. */
import type { ConversationState, GateResult, Transaction } from '../domain/index.js';

/** Default lifetime of a recorded delivery id: platforms retry a webhook within minutes to hours. */
export const DEFAULT_DEDUPE_TTL_SECONDS = 86_400;

/** The function a `transact` call runs on the latest state (`ConversationStore.transact`'s `fn`). */
export type TurnFn<T> = (state: ConversationState | undefined, gate: GateResult) => Transaction<T> | Promise<Transaction<T>>;

/**
 * Length of a counter's window in whole milliseconds: it starts with its first event and never
 * outlives the state it belongs to (at least 1 ms, as Redis's PEXPIRE needs).
 */
export function counterWindowMs(windowSeconds: number, stateTtlMs: number): number {
  return Math.max(1, Math.min(Math.round(windowSeconds * 1000), stateTtlMs));
}
