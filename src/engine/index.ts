/**
 * The dialog engine: `handleTurn` (pure: router, dialogs, composition) and the conversation
 * service around it.
 */
export { handleTurn } from './handle-turn.js';
export { URGENCY_TOPIC, LANG_CONFIDENT, SWITCH_CONFIDENT, SWITCH_MIN_WORDS, routeMessage, type Action, type Route } from './router.js';
export { longDate, shortDate } from './dates.js';
export { createConversationService, fitTurn, MISSED_CONFIDENCE, type ConversationServiceOptions, type MissedQuestion } from './service.js';
export { createCaseFollower } from './case-ops.js';
export { parseCommand, languageNamed, COMMAND_NAMES, type CommandName } from './commands.js';
export type { EngineDeps, EngineEvent, EngineTurnResult, FeedbackEvent, Step, TurnMeta } from './types.js';
