/**
 * A case a worker closes or transfers is followed by the user's conversation: the desk calls its
 * `onCaseMoved` hook, and the follower main.ts wires to it takes the closed case off the
 * conversation (the user writes to the bot again) or names the new partner.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryCaseStore } from '../../src/cases/memory-store.js';
import type { ConversationKey, ConversationState } from '../../src/domain/index.js';
import { newState } from '../../src/domain/index.js';
import { createCaseFollower } from '../../src/engine/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { deskOver, openCase, PARTNER_A, PARTNER_B, WORKER_A, WORKER_B } from './support.js';

type Move = { closed: true } | { partnerId: string };

async function deskRecordingMoves() {
  const moves: Array<{ key: ConversationKey; ref: string; move: Move }> = [];
  const env = await deskOver(createMemoryCaseStore(), { onCaseMoved: (key, ref, move) => moves.push({ key, ref, move }) });
  return { ...env, moves };
}

describe('the desk tells the conversation side what became of a case', () => {
  it('on a transfer, with the new partner, and on a close', async () => {
    const { desk, moves } = await deskRecordingMoves();
    const { ref, key } = await openCase(desk);
    expect(await desk.transfer(WORKER_A, ref, PARTNER_B.id, 'they have a lawyer in Rabat')).toBe(true);
    expect(moves).toEqual([{ key, ref, move: { partnerId: PARTNER_B.id } }]);
    expect(await desk.close(WORKER_B, ref, 'informed')).toBe(true);
    expect(moves[1]).toEqual({ key, ref, move: { closed: true } });
  });

  it('not when the action was refused (another partner\'s case)', async () => {
    const { desk, moves } = await deskRecordingMoves();
    const { ref } = await openCase(desk);
    expect(await desk.close(WORKER_B, ref, 'informed')).toBe(false);
    expect(moves).toEqual([]);
  });

  it('a failing hook never fails the worker\'s action', async () => {
    const env = await deskOver(createMemoryCaseStore(), {
      onCaseMoved: () => {
        throw new Error('conversation store down');
      },
    });
    const { ref } = await openCase(env.desk);
    expect(await env.desk.close(WORKER_A, ref, 'referred')).toBe(true);
  });
});

describe('the conversation follows its case', () => {
  const at = Date.UTC(2026, 11, 1, 9);
  async function conversationWithCase(ref: string) {
    const store = createMemoryStore({ ttlSeconds: 3600 });
    const key = 'k'.repeat(43) as ConversationKey;
    const state: ConversationState = { ...newState(at), lang: 'fr', langConfirmed: true, case: { ref, partnerId: PARTNER_A.id, relay: true }, awaiting: 'case-close' };
    await store.transact(key, () => ({ state, result: undefined }));
    return { store, key, follow: createCaseFollower({ store, logger: createLogger('silent') }) };
  }

  it('a transfer names the new partner and keeps the case open', async () => {
    const { store, key, follow } = await conversationWithCase('K7P-4QXM');
    await follow(key, 'K7P-4QXM', { partnerId: PARTNER_B.id });
    expect((await store.get(key))?.case).toEqual({ ref: 'K7P-4QXM', partnerId: PARTNER_B.id, relay: true });
  });

  it('a close takes the case off and drops the pending "end the case?" question', async () => {
    const { store, key, follow } = await conversationWithCase('K7P-4QXM');
    await follow(key, 'K7P-4QXM', { closed: true });
    const after = await store.get(key);
    expect(after?.case).toBeUndefined();
    expect(after?.awaiting).toBeUndefined();
  });

  it('another case\'s news leaves the conversation alone', async () => {
    const { store, key, follow } = await conversationWithCase('K7P-4QXM');
    await follow(key, 'ZZZ-9999', { closed: true });
    expect((await store.get(key))?.case?.ref).toBe('K7P-4QXM');
  });
});
