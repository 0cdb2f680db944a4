/**
 * The topic and intent ids of Dalil: a contract with editors and evaluation sets
 * (see ../shared/docs/taxonomy.md). Ids may be added, never renamed or dropped.
 */

/** Menu categories, in the order the main menu shows them. */
export const CATEGORIES = [
  'papers',
  'asylum',
  'arrest',
  'protection',
  'health',
  'family',
  'work',
  'daily-life',
  'leaving',
  'help',
] as const;
export type CategoryId = (typeof CATEGORIES)[number];

/** Every answer topic with the menu category it belongs to, in menu order. */
export const TOPICS = {
  'residence-permit': 'papers',
  'irregular-stay': 'papers',
  regularisation: 'papers',
  'legal-framework': 'papers',
  'asylum-register': 'asylum',
  'refugee-rights': 'asylum',
  'refugee-financial-aid': 'asylum',
  'police-stop-arrest': 'arrest',
  'administrative-detention': 'arrest',
  'removal-appeal': 'arrest',
  'protected-from-removal': 'arrest',
  'entry-refusal': 'arrest',
  'trafficking-victim': 'protection',
  'gbv-support': 'protection',
  'unaccompanied-minors': 'protection',
  'discrimination-complaint': 'protection',
  'health-care': 'health',
  'health-coverage': 'health',
  'maternal-child-health': 'health',
  'school-enrolment': 'family',
  'birth-registration': 'family',
  marriage: 'family',
  'work-permit': 'work',
  'labour-rights': 'work',
  housing: 'daily-life',
  banking: 'daily-life',
  'language-classes': 'daily-life',
  'voluntary-return': 'leaving',
  'emergency-numbers': 'help',
  'find-help': 'help',
  'about-service': 'help',
  'privacy-and-data': 'help',
} as const satisfies Record<string, CategoryId>;
export type TopicId = keyof typeof TOPICS;
export const TOPIC_IDS = Object.keys(TOPICS) as TopicId[];

/** Intents the dialog engine handles itself (no answer file). */
export const CONVERSATIONAL_INTENTS = [
  'greeting',
  'thanks',
  'goodbye',
  'menu',
  'change-language',
  'talk-to-person',
  'forget-me',
] as const;
export type ConversationalIntent = (typeof CONVERSATIONAL_INTENTS)[number];

/** The label of anything Dalil does not cover. It has training phrases but no answer. */
export const OUT_OF_SCOPE = 'out-of-scope' as const;

/** Every intent id a matcher may return. */
export type IntentId = TopicId | ConversationalIntent | typeof OUT_OF_SCOPE;
export const INTENT_IDS: readonly IntentId[] = [...TOPIC_IDS, ...CONVERSATIONAL_INTENTS, OUT_OF_SCOPE];

export function isTopicId(id: string): id is TopicId {
  return Object.prototype.hasOwnProperty.call(TOPICS, id);
}
export function isIntentId(id: string): id is IntentId {
  return (INTENT_IDS as readonly string[]).includes(id);
}
export function isCategoryId(id: string): id is CategoryId {
  return (CATEGORIES as readonly string[]).includes(id);
}
/** Topics of a category in menu order. */
export function topicsOf(category: CategoryId): TopicId[] {
  return TOPIC_IDS.filter((t) => TOPICS[t] === category);
}

/**
 * Kinds of urgency that put emergency contacts before anything else:
 * arrest, violence, trafficking, a child alone, a medical emergency.
 */
export const URGENCY_KINDS = ['arrest', 'violence', 'trafficking', 'child-alone', 'medical'] as const;
export type UrgencyKind = (typeof URGENCY_KINDS)[number];
