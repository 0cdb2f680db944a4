/**
 * Structured logger port. Events use dotted names (`state.redis.save_conflict`).
 * Fields must never hold a phone number, chat id, token or a user's message text.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}
