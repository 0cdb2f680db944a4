import { describe, expect, it } from 'vitest';
import { trainClassifier, type Example } from '../../src/nlu/index.js';

const EXAMPLES: Example[] = [
  ...['my card was blocked', 'card blocked help', 'unblock my card', 'why is my card blocked', 'the card does not work'].map((text) => ({ text, label: 'card_blocked', lang: 'en' as const })),
  ...['send money abroad', 'transfer money to my family', 'how to send a transfer', 'wire money overseas', 'international transfer fee'].map((text) => ({ text, label: 'transfer', lang: 'en' as const })),
  ...['what is the weather', 'tell me a joke', 'who won the match', 'play some music', 'recipe for cake'].map((text) => ({ text, label: 'oos', lang: 'en' as const })),
];

describe('trainClassifier (generic labels)', () => {
  it('learns arbitrary string labels and ranks them with probabilities', () => {
    const clf = trainClassifier(EXAMPLES, { oosLabel: 'oos', calibrationShare: 0, threshold: 0.2 });
    expect(clf.labels).toEqual(['card_blocked', 'oos', 'transfer']);
    const c = clf.classify('my card is blocked', 'en');
    expect(c.decision).toBe('card_blocked');
    expect(c.ranked.map((r) => r.label)).toEqual(['card_blocked', 'transfer']);
    const sum = c.ranked.reduce((a, r) => a + r.confidence, 0) + c.oosProbability;
    expect(sum).toBeCloseTo(1, 5);
    expect(clf.classify('send money to my family', 'en').decision).toBe('transfer');
  });

  it('tolerates typos through character n-grams', () => {
    const clf = trainClassifier(EXAMPLES, { oosLabel: 'oos', calibrationShare: 0, threshold: 0.2 });
    expect(clf.classify('trasnfer mony', 'en').decision).toBe('transfer');
  });

  it('rejects out-of-scope text through its class or the threshold', () => {
    const clf = trainClassifier(EXAMPLES, { oosLabel: 'oos', calibrationShare: 0, threshold: 0.2 });
    expect(clf.classify('tell me the weather', 'en').decision).toBe('oos');
    expect(clf.classify('zzzz qqqq', 'en').decision).toBe('oos');
    const strict = trainClassifier(EXAMPLES, { oosLabel: 'oos', calibrationShare: 0, threshold: 0.999 });
    expect(strict.classify('my card is blocked', 'en').decision).toBe('oos');
  });

  it('is deterministic for a seed', () => {
    const a = trainClassifier(EXAMPLES, { oosLabel: 'oos' });
    const b = trainClassifier(EXAMPLES, { oosLabel: 'oos' });
    expect(a.classify('card blocked', 'en')).toEqual(b.classify('card blocked', 'en'));
    expect(a.temperature).toBe(b.temperature);
    expect(a.threshold).toBe(b.threshold);
  });

  it('refuses to train on nothing', () => {
    expect(() => trainClassifier([])).toThrow(/no training examples/);
  });
});
