/**
 * Sends activities through the turn context (to the channel's service URL, or into the HTTP
 * response when the caller asked for `expectReplies`), retrying only retryable failures.
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { Logger } from '../../domain/index.js';
import { classifyHttpStatus, sendWithRetry, SendError, type RetryOptions, type SendFailure } from '../shared/send.js';

/** Sorts a Connector failure by its HTTP status (`statusCode`); no status (network) is retryable. */
export function classifyBotFrameworkError(error: unknown): SendFailure {
  const e = error as { statusCode?: unknown; status?: unknown };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.status === 'number' ? e.status : undefined;
  if (status === undefined && !(error instanceof Error)) return { kind: 'fatal' };
  return { kind: classifyHttpStatus(status), ...(status !== undefined ? { status } : {}) };
}

/** Sends the activities one after the other; stops at the first lasting failure. Never throws. */
export async function sendBotFrameworkActivities(
  context: TurnContext,
  activities: readonly Partial<Activity>[],
  deps: { logger: Logger; retry?: RetryOptions },
): Promise<{ sent: number; failure?: SendFailure }> {
  let sent = 0;
  for (const activity of activities) {
    try {
      await sendWithRetry(() => context.sendActivity(activity), classifyBotFrameworkError, deps.retry);
      sent += 1;
    } catch (error) {
      const failure = error instanceof SendError ? error.failure : classifyBotFrameworkError(error);
      deps.logger.error('channel.botframework.send_failed', { kind: failure.kind, status: failure.status, sent, pending: activities.length - sent });
      return { sent, failure };
    }
  }
  return { sent };
}
