/**
 * The learned half of urgency detection: a classifier (classifier.ts) over the five kinds of
 * emergency and `none`, trained on examples written for it (data/urgency-examples.json: messages
 * telling of an emergency in progress, and look-alikes that tell of none: questions about rights,
 * old events, idioms, lost papers) and on the knowledge base's phrases of topics that are no
 * emergency. The patterns of urgency.ts catch what is written as expected; this catches the ways
 * of saying it nobody listed. It is read after the patterns and under their look-alike rules.
 */
import type { Lang, TrainingPhrase, UrgencyKind } from '../domain/index.js';
import { URGENCY_KINDS } from '../domain/index.js';
import { restoreClassifier, trainClassifier, type Classification, type ClassifierState, type Example, type TextClassifier } from './classifier.js';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './features.js';
import examplesData from './data/urgency-examples.json' with { type: 'json' };

/** The label of a message that tells of no emergency. */
const NONE = 'none';

/**
 * Probability of "some emergency" (1 - P(none)) from which a message is read as urgent. Chosen by
 * cross-validation on the examples and on the development sets (bench/nlu/urgency-cv.ts): recall
 * of emergencies the patterns miss against false alarms on look-alikes.
 */
export const URGENCY_MODEL_MIN = 0.6;

/**
 * The phrases of every intent but these are general questions of no emergency, used as `none`
 * examples (one in NONE_SHARE_DIVISOR, deterministic); these are left out, as their phrases mix
 * questions about rights with accounts of what is happening.
 */
const EMERGENCY_TOPICS: ReadonlySet<string> = new Set([
  'police-stop-arrest',
  'administrative-detention',
  'entry-refusal',
  'gbv-support',
  'trafficking-victim',
  'unaccompanied-minors',
  'emergency-numbers',
  'talk-to-person',
  'find-help',
]);
const NONE_SHARE_DIVISOR = 3;

/** Feature settings: the same weights as the matcher's DALIL_FEATURE_OPTIONS (matcher.ts imports this module, so they are not imported from it). */
const FEATURES: Readonly<FeatureOptions> = { ...DEFAULT_FEATURE_OPTIONS, conceptWeight: 1.5, skeletonWeight: 1 };

/** One written example. */
export interface UrgencyExample {
  text: string;
  lang: Lang;
  kind: UrgencyKind | typeof NONE;
}

/** The examples written for the detector (data/urgency-examples.json). */
export function urgencyExamples(): readonly UrgencyExample[] {
  return (examplesData as { examples: UrgencyExample[] }).examples;
}

/** A trained urgency model. */
export interface UrgencyModel {
  /** The kind of emergency the message tells of, with its probability, or undefined. */
  read(text: string, lang: Lang): { kind: UrgencyKind; probability: number } | undefined;
  /** Same as `read` on the message's words already normalised for `lang` (as the matcher has them). */
  readWords(words: readonly string[], lang: Lang): { kind: UrgencyKind; probability: number } | undefined;
  snapshot(): ClassifierState;
}

const KINDS: ReadonlySet<string> = new Set(URGENCY_KINDS);

function wrap(classifier: TextClassifier, min: number): UrgencyModel {
  const judge = (c: Classification): { kind: UrgencyKind; probability: number } | undefined => {
    let none = 0;
    let best: { label: string; confidence: number } | undefined;
    for (const r of c.ranked) {
      if (r.label === NONE) none = r.confidence;
      else if (KINDS.has(r.label) && (!best || r.confidence > best.confidence)) best = r;
    }
    const probability = 1 - none;
    return best && probability >= min ? { kind: best.label as UrgencyKind, probability } : undefined;
  };
  return {
    read: (text, lang) => judge(classifier.classify(text, lang)),
    readWords: (words, lang) => (words.length ? judge(classifier.classifyWords(words, lang)) : undefined),
    snapshot: () => classifier.snapshot(),
  };
}

/** Options of {@link trainUrgencyModel} (tools and tests; the defaults are production's). */
export interface UrgencyModelOptions {
  examples?: readonly UrgencyExample[];
  min?: number;
}

/** Trains the detector on its examples and on the phrases of topics of no emergency. */
export function trainUrgencyModel(phrases: readonly TrainingPhrase[], opts: UrgencyModelOptions = {}): UrgencyModel {
  const examples: Example[] = (opts.examples ?? urgencyExamples()).map((e) => ({ text: e.text, label: e.kind, lang: e.lang }));
  let n = 0;
  for (const p of phrases) {
    if (EMERGENCY_TOPICS.has(p.intent)) continue;
    if (n++ % NONE_SHARE_DIVISOR === 0) examples.push({ text: p.text, label: NONE, lang: p.lang });
  }
  const classifier = trainClassifier(examples, { features: FEATURES, threshold: 0 });
  return wrap(classifier, opts.min ?? URGENCY_MODEL_MIN);
}

/** The model a {@link UrgencyModel.snapshot} describes. */
export function restoreUrgencyModel(state: ClassifierState, min = URGENCY_MODEL_MIN): UrgencyModel {
  return wrap(restoreClassifier(state), min);
}
