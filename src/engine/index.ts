/**
 * The dialog engine: `handleTurn` (pure) and the conversation service around it.
 */
export { handleTurn, langOfHint, longDate, shortDate, URGENCY_TOPIC, LANG_CONFIDENT, SWITCH_CONFIDENT, SWITCH_MIN_WORDS } from './handle-turn.js';
export { createConversationService, MISSED_CONFIDENCE, type ConversationServiceOptions, type MissedQuestion } from './service.js';
export { parseCommand, languageNamed, COMMAND_NAMES, type CommandName } from './commands.js';
export type { EngineDeps, EngineEvent, EngineTurnResult, FeedbackEvent, TurnMeta } from './types.js';
