/**
 * The missed questions log: masking, storing without a user id, grouping.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMissedLog, groupMissed, maskPrivate, type MissedQuestion } from '../../../src/admin/missed/missed-log.js';
import type { AdminStore } from '../../../src/admin/store/port.js';
import { captureLogger } from '../support.js';

describe('missed questions', () => {
  it('masks phone numbers, e-mail addresses and digit runs of 6 or more', () => {
    expect(maskPrivate('call +212 6 12 34 56 78 or 0612345678 now')).toBe('call [phone] or [phone] now');
    expect(maskPrivate('06-12-34-56-78 / (0537) 77.03.32')).toBe('[phone] / ([phone]');
    expect(maskPrivate('write to ana.b+x@mail.example.org please')).toBe('write to [email] please');
    expect(maskPrivate('case 123456, room 12, year 2024')).toBe('case [number], room 12, year 2024');
    expect(maskPrivate('رقمي ٠٦١٢٣٤٥٦٧٨')).toBe('رقمي [phone]');
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{6,15}$/), fc.string({ maxLength: 20 }), (digits, around) => {
        const masked = maskPrivate(`${around} ${digits} ${around}`);
        return !masked.includes(digits);
      }),
    );
  });

  it('stores a masked copy without any user identifier, for at most 30 days', async () => {
    const saved: Array<{ id: string; value: unknown; ttl?: number }> = [];
    const store = {
      incr: async () => 1,
      put: async (_c: string, id: string, value: unknown, ttl?: number) => void saved.push({ id, value, ttl }),
    } as unknown as AdminStore;
    const log = createMissedLog({ store, logger: captureLogger(), retentionDays: 90 });
    await log.record({ text: 'my number is 0612345678', lang: 'fr', intent: 'out-of-scope', confidence: 0.1, topCandidates: [{ intent: 'housing', confidence: 0.1 }], userId: 'tg:99' } as never);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.ttl).toBe(30 * 86_400);
    const value = saved[0]!.value as Record<string, unknown>;
    expect(Object.keys(value).sort()).toEqual(['at', 'candidates', 'confidence', 'id', 'intent', 'lang', 'text']);
    expect(JSON.stringify(value)).not.toMatch(/0612345678|tg:99/);
  });

  it('groups questions that look alike', () => {
    const q = (text: string, i: number, intent?: string): MissedQuestion => ({ id: String(i), text, at: i, candidates: intent ? [{ intent, confidence: 0.3 }] : [] });
    const groups = groupMissed([
      q('comment ouvrir un compte bancaire', 1, 'banking'),
      q('comment ouvrir un compte en banque ?', 2, 'banking'),
      q('Comment ouvrir un compte bancaire svp', 3),
      q('ma femme est malade, quel hopital', 4, 'health-care'),
    ]);
    expect(groups.map((g) => g.items.length)).toEqual([3, 1]);
    expect(groups[0]!.suggestion).toBe('banking');
  });
});
