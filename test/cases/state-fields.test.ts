import { describe, expect, it } from 'vitest';
import { newState } from '../../src/domain/index.js';
import { migrateState } from '../../src/state/migrate.js';

describe('stored case fields', () => {
  const base = { ...newState(1), lang: 'fr', langConfirmed: true };

  it('keep the referral in progress and the open case', () => {
    const referral = { step: 'city', partnerId: 'gadem', intake: { topic: 'housing', safeToContact: true }, urgency: 'arrest' };
    const open = { ref: 'K7P-4QX', partnerId: 'gadem', relay: false, acked: true };
    const out = migrateState(JSON.stringify({ ...base, referral, case: open }), 2);
    expect(out?.referral).toEqual(referral);
    expect(out?.case).toEqual(open);
    expect(migrateState(JSON.stringify({ ...base, awaiting: 'case-close' }), 2)?.awaiting).toBe('case-close');
  });

  it('drop damaged ones, and never keep text that does not belong', () => {
    const referral = { step: 'nowhere', partnerId: 'gadem', intake: {} };
    const open = { ref: 'K7P-4QX', partnerId: 'gadem', relay: 'yes' };
    const out = migrateState(JSON.stringify({ ...base, referral, case: open }), 2);
    expect(out?.referral).toBeUndefined();
    expect(out?.case).toBeUndefined();
    const chatty = migrateState(JSON.stringify({ ...base, referral: { step: 'topic', partnerId: 'p', intake: { topic: 'housing', note: 'my name is' } } }), 2);
    expect(chatty?.referral).toEqual({ step: 'topic', partnerId: 'p', intake: { topic: 'housing' } });
  });
});
