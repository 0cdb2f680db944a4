import { describe, expect, it } from 'vitest';
import { evaluate, formatReport } from '../../src/nlu/index.js';

describe('evaluate', () => {
  const items = [
    { lang: 'fr', gold: 'a', predicted: 'a' },
    { lang: 'fr', gold: 'a', predicted: 'b' },
    { lang: 'fr', gold: 'oos', predicted: 'oos' },
    { lang: 'en', gold: 'b', predicted: 'b' },
    { lang: 'en', gold: 'b', predicted: 'oos' },
    { lang: 'en', gold: 'oos', predicted: 'a' },
  ];
  const r = evaluate(items, 'oos');

  it('computes accuracy, in-scope accuracy and out-of-scope precision and recall', () => {
    expect(r.overall.n).toBe(6);
    expect(r.overall.accuracy).toBeCloseTo(3 / 6);
    expect(r.overall.inScopeAccuracy).toBeCloseTo(2 / 4);
    expect(r.overall.oosPrecision).toBeCloseTo(1 / 2);
    expect(r.overall.oosRecall).toBeCloseTo(1 / 2);
  });

  it('computes macro-F1 over every label seen', () => {
    // a: tp 1, gold 2, pred 2 -> 0.5; b: tp 1, gold 2, pred 2 -> 0.5; oos: tp 1, gold 2, pred 2 -> 0.5
    expect(r.overall.macroF1).toBeCloseTo(0.5);
  });

  it('splits by language and lists confused pairs', () => {
    expect(Object.keys(r.byLang)).toEqual(['en', 'fr']);
    expect(r.byLang['fr']?.accuracy).toBeCloseTo(2 / 3);
    expect(r.confusions).toHaveLength(3);
    expect(r.confusions[0]?.count).toBe(1);
  });

  it('formats a Markdown table', () => {
    const text = formatReport(r, 'demo');
    expect(text).toContain('### demo');
    expect(text).toContain('| **all** | 6 |');
    expect(text).toContain('a -> b: 1');
  });

  it('leaves undefined ratios as null', () => {
    const none = evaluate([{ lang: 'fr', gold: 'a', predicted: 'a' }], 'oos');
    expect(none.overall.oosPrecision).toBeNull();
    expect(none.overall.oosRecall).toBeNull();
  });
});
