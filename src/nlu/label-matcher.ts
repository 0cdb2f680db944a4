/**
 * A matcher over arbitrary string labels: language identification plus the generic classifier,
 * with the out-of-scope decision and the ambiguity rule. Dalil's `createMatcher` builds on it; the
 * evaluation tools use it on public data sets whose labels are not Dalil's.
 */
import type { Lang, LanguageGuess } from '../domain/index.js';
import { restoreClassifier, trainClassifier, type ClassifierState, type LabelScore, type TextClassifier, type TrainOptions } from './classifier.js';
import { createLanguageIdentifier, restoreLanguageIdentifier, type LanguageIdentifier, type LanguageIdentifierState, type LanguageSample } from './language.js';
import { messageWords } from './features.js';

/** A labelled text in one of Dalil's languages. */
export interface LabelledText {
  text: string;
  label: string;
  lang: Lang;
}

/** Settings of {@link createLabelMatcher}. */
export interface LabelMatcherOptions {
  /** Label of the out-of-scope class, if the data has one (never returned in `ranked`). */
  oosLabel?: string | undefined;
  /**
   * The best label is ambiguous when the runner-up's probability is within this margin of it.
   * 0.25, measured by 5-fold cross-validation on Dalil's phrases: it flags 27% of the wrong
   * answers and 5% of the right ones.
   */
  ambiguityMargin: number;
  training: Partial<TrainOptions>;
  /** Texts to train language identification on (default: the examples). */
  languageSamples?: readonly LanguageSample[] | undefined;
}

/** Defaults chosen by measurement (bench/RESULTS.md). */
export const DEFAULT_LABEL_MATCHER_OPTIONS: Readonly<LabelMatcherOptions> = {
  ambiguityMargin: 0.25,
  training: {},
};


/** What a label matcher says about a text. */
export interface LabelMatch {
  language: LanguageGuess;
  /** In-scope labels, best first, with calibrated probabilities. */
  ranked: LabelScore[];
  /** The chosen label, or `undefined` when out of scope. */
  label: string | undefined;
  /** Confidence of the decision (of out-of-scope when `label` is undefined). */
  confidence: number;
  ambiguous: boolean;
  /** The normalised words that were classified. */
  words: string[];
}

/** A trained label matcher. */
export interface LabelMatcher {
  readonly classifier: TextClassifier;
  readonly languageIdentifier: LanguageIdentifier;
  /** Languages of the training texts. */
  readonly languages: readonly Lang[];
  detectLanguage(text: string, hint?: Lang): LanguageGuess;
  match(text: string, hint?: Lang): LabelMatch;
  /** What {@link restoreLabelMatcher} needs to rebuild it without training. */
  snapshot(): LabelMatcherState;
}

/** A trained label matcher as data. */
export interface LabelMatcherState {
  languages: Lang[];
  mainLang: Lang;
  ambiguityMargin: number;
  oosLabel: string | undefined;
  classifier: ClassifierState;
  languageIdentifier: LanguageIdentifierState;
}

/** The label matcher a {@link LabelMatcher.snapshot} describes: it matches every text as the trained one did. */
export function restoreLabelMatcher(s: LabelMatcherState): LabelMatcher {
  return assemble(s.languages, s.mainLang, restoreLanguageIdentifier(s.languageIdentifier), restoreClassifier(s.classifier), {
    ambiguityMargin: s.ambiguityMargin,
    oosLabel: s.oosLabel,
  });
}

/**
 * Trains a matcher on labelled texts. When the texts are all in one language, that language is
 * used for every message (no identification); otherwise each message's language is identified.
 */
export function createLabelMatcher(examples: readonly LabelledText[], options: Partial<LabelMatcherOptions> = {}): LabelMatcher {
  const opt: LabelMatcherOptions = { ...DEFAULT_LABEL_MATCHER_OPTIONS, ...options };
  const counts = new Map<Lang, number>();
  for (const e of examples) counts.set(e.lang, (counts.get(e.lang) ?? 0) + 1);
  const languages = [...counts.keys()];
  const mainLang = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'fr';
  const languageIdentifier = createLanguageIdentifier(opt.languageSamples ?? examples);
  const classifier = trainClassifier(examples, { oosLabel: opt.oosLabel, ...opt.training });
  return assemble(languages, mainLang, languageIdentifier, classifier, opt);
}

function assemble(
  languages: Lang[],
  mainLang: Lang,
  languageIdentifier: LanguageIdentifier,
  classifier: TextClassifier,
  opt: Pick<LabelMatcherOptions, 'ambiguityMargin' | 'oosLabel'>,
): LabelMatcher {
  const known = new Set(languages);
  const detectLanguage = (text: string, hint?: Lang): LanguageGuess => {
    if (languages.length === 1) return { lang: mainLang, confidence: 1 };
    const guess = languageIdentifier.detect(text, hint);
    return known.has(guess.lang) ? guess : { lang: hint && known.has(hint) ? hint : mainLang, confidence: 0 };
  };

  return {
    classifier,
    languageIdentifier,
    languages,
    detectLanguage,
    snapshot: () => ({
      languages,
      mainLang,
      ambiguityMargin: opt.ambiguityMargin,
      oosLabel: opt.oosLabel,
      classifier: classifier.snapshot(),
      languageIdentifier: languageIdentifier.snapshot(),
    }),
    match(text: string, hint?: Lang): LabelMatch {
      const language = detectLanguage(text, hint);
      const words = messageWords(text, language.lang);
      if (words.length === 0) return { language, ranked: [], label: undefined, confidence: 1, ambiguous: false, words };
      const c = classifier.classifyWords(words, language.lang);
      const label = c.decision === opt.oosLabel ? undefined : c.decision;
      const [first, second] = c.ranked;
      const ambiguous =
        label !== undefined &&
        first !== undefined &&
        second !== undefined &&
        first.confidence - second.confidence < opt.ambiguityMargin;
      return { language, ranked: c.ranked, label, confidence: c.confidence, ambiguous, words };
    },
  };
}
