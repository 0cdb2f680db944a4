/**
 * The learned urgency model: it reads emergencies worded as none of the patterns are, keeps quiet
 * on look-alikes it was shown, is saved and restored with the matcher, and a saved model without
 * it is refused.
 */
import { describe, expect, it } from 'vitest';
import { createMatcher, restoreMatcher } from '../../src/nlu/index.js';
import { decodeModel, encodeModel } from '../../src/nlu/model-file.js';
import { matcherKey } from '../../src/nlu/model-store.js';
import { detectUrgency } from '../../src/nlu/urgency.js';
import { messageWords } from '../../src/nlu/features.js';
import { restoreUrgencyModel, trainUrgencyModel, urgencyExamples, type UrgencyExample } from '../../src/nlu/urgency-model.js';
import { CITIES, PHRASES } from './fixtures.js';

/** Made-up words, so that only what the model learnt from these examples can decide. */
const EXAMPLES: UrgencyExample[] = [
  ...['zorp blick now', 'they zorp blick us', 'zorp blick my brother', 'zorp blick here tonight', 'help zorp blick', 'zorp blick the door'].map((text) => ({ text, lang: 'en' as const, kind: 'arrest' as const })),
  ...['vunt grall me', 'vunt grall my son', 'he vunt grall us', 'vunt grall now', 'she vunt grall', 'vunt grall again'].map((text) => ({ text, lang: 'en' as const, kind: 'medical' as const })),
  ...['what is a plim', 'plim rules', 'tell me about plim', 'plim office hours', 'where is the plim', 'plim paper', 'how does plim work', 'plim law'].map((text) => ({
    text,
    lang: 'en' as const,
    kind: 'none' as const,
  })),
];

describe('urgency model', () => {
  const model = trainUrgencyModel(PHRASES, { examples: EXAMPLES });

  it('reads an emergency worded as no pattern is, with its kind', () => {
    expect(detectUrgency('zorp blick my sister')).toBeUndefined();
    expect(model.read('zorp blick my sister', 'en')?.kind).toBe('arrest');
    expect(model.read('vunt grall my wife', 'en')?.kind).toBe('medical');
  });

  it('keeps quiet on the look-alikes it was shown and on everyday questions', () => {
    expect(model.read('where is the plim office', 'en')).toBeUndefined();
    expect(model.read('how do I renew my residence card', 'en')).toBeUndefined();
  });

  it('reads the matcher\'s normalised words as it reads the text', () => {
    for (const text of ['zorp blick my sister', 'Vunt Grall my wife!', 'where is the plim office']) {
      expect(model.readWords(messageWords(text, 'en'), 'en')).toEqual(model.read(text, 'en'));
    }
    expect(model.readWords([], 'en')).toBeUndefined();
  });

  it('reads the same once restored from its snapshot', () => {
    const restored = restoreUrgencyModel(model.snapshot());
    for (const text of ['zorp blick my sister', 'vunt grall my wife', 'where is the plim office', 'hello']) {
      expect(restored.read(text, 'en')).toEqual(model.read(text, 'en'));
    }
  });

  it('is trained on written examples of every kind and of none', () => {
    const kinds = new Set(urgencyExamples().map((e) => e.kind));
    for (const k of ['arrest', 'violence', 'trafficking', 'child-alone', 'medical', 'none']) expect(kinds).toContain(k);
  });

  it('is saved with the matcher; a saved matcher without it is refused as damaged', () => {
    const trained = createMatcher({ phrases: PHRASES, cities: CITIES, cacheSize: 0 });
    const key = matcherKey(PHRASES);
    const state = trained.snapshot();
    const restored = restoreMatcher(decodeModel(encodeModel(state, key), key), { cities: CITIES, cacheSize: 0 });
    for (const text of ['la police frappe a la porte maintenant', 'my friend is not breathing', 'bonjour']) expect(restored.match(text)).toEqual(trained.match(text));
    const { urgency: _dropped, ...withoutUrgency } = state;
    expect(() => decodeModel(encodeModel(withoutUrgency as typeof state, key), key)).toThrow(/corrupt/);
  });
});
