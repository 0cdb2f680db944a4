/**
 * Dalil's natural-language understanding: pure functions (no I/O) to normalise, identify the
 * language, tokenise, stem and classify messages, plus city extraction and urgency detection.
 * `createMatcher` is the Dalil-specific matcher; `trainClassifier` is the generic classifier over
 * any string labels (used by the evaluation tools on public data sets).
 */
export { normalise, foldLatin, normaliseArabicLetters, mapArabiziDigits, collapseRepeats, hasArabicScript } from './normalise.js';
export type { NormaliseOptions, AbbreviationLang } from './normalise.js';
export { tokenise, isStopword } from './tokenise.js';
export type { NluLang } from './tokenise.js';
export { stem, arabicLightStem, arabiziLightStem } from './stem.js';
export { phoneticKey, consonantSkeleton, editDistance, arabicToLatin } from './phonetic.js';
export { detectLanguage, createLanguageIdentifier } from './language.js';
export type { LanguageIdentifier, LanguageSample } from './language.js';
export { messageWords, wordFeatureKeys, DEFAULT_FEATURE_OPTIONS } from './features.js';
export type { FeatureOptions } from './features.js';
export { trainClassifier, DEFAULT_TRAIN_OPTIONS } from './classifier.js';
export type { Example, LabelScore, Classification, TextClassifier, TrainOptions } from './classifier.js';
export { createCityExtractor, extractCity } from './city.js';
export type { CityExtractor, CityExtractorOptions } from './city.js';
export { detectUrgency, prepareUrgency, urgencyPatterns } from './urgency.js';
export { createLabelMatcher, DEFAULT_LABEL_MATCHER_OPTIONS } from './label-matcher.js';
export type { LabelledText, LabelMatch, LabelMatcher, LabelMatcherOptions } from './label-matcher.js';
export { createMatcher, restoreMatcher, RANKED_SIZE, MATCH_CACHE_SIZE } from './matcher.js';
export type { CreateMatcherOptions, DalilMatcher } from './matcher.js';
export { conceptsOf } from './concepts.js';
export { evaluate, formatReport } from './evaluate.js';
export type { EvalItem, EvalReport, EvalStats } from './evaluate.js';
