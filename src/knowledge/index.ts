/**
 * The knowledge base: loading and validating `content/` and `intents/`. The validators are
 * exported one by one so the admin editor applies the same rules to a draft.
 */
export { loadKnowledge, versionOf } from './load.js';
export type { LoadKnowledgeOptions, LoadKnowledgeResult } from './load.js';
export { loadKnowledgeSnapshot, knowledgeKey } from './snapshot.js';
export { yaml } from './yaml-lib.js';
export type { KnowledgeSnapshotOptions } from './snapshot.js';
export { readIntents, validateIntentFile, checkPhraseCollisions, phraseKey, MIN_PHRASES, MIN_TOPIC_PHRASES } from './intents.js';
export type { PhraseAt } from './intents.js';
export {
  validateAnswer,
  splitFrontMatter,
  fillSettings,
  textSettingsOf,
  notASource,
  smsWithFooter,
  ANSWER_FIELDS,
  SOURCE_FIELDS,
  REVIEW_MAX_AGE_DAYS,
  DEFAULT_TEXT_SETTINGS,
  TEXT_PLACEHOLDERS,
} from './answer.js';
export type { AnswerContext, AnswerValidation, TextSettings } from './answer.js';
export {
  validateOrganisations,
  validateCities,
  foldPlaceName,
  urgentCoverageIssues,
  ORGANISATION_FIELDS,
  CITY_FIELDS,
  CONTACT_KINDS,
} from './directory.js';
// Choosing contacts and the trust marks are pure functions over domain types, shared with the engine.
export {
  urgentContacts,
  personContacts,
  usableContacts,
  isContactChecked,
  organisationName,
  contactNote,
  isReviewed,
  smsFooterText,
  answerTrustLine,
  contactLine,
  smsDate,
} from '../domain/index.js';
export type { ChosenContact, ReviewRecord } from '../domain/index.js';
export type { OrganisationsContext } from './directory.js';
export { contentReport } from './report.js';
export type { ContentReportRow } from './report.js';
export { sortIssues, compareIssues, todayIso, daysBetween, isIsoDate, ISSUE_CODES, type IssueCodeName } from './issues.js';
export { markContactChecked, markOrganisationVerified, type DirectoryMark, type DirectoryMarkError } from './directory-review.js';
