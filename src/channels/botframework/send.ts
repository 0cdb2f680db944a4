/**
 * Sends activities through the turn context (to the channel's service URL, or into the HTTP
 * response when the caller asked for `expectReplies`), retrying only retryable failures.
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { Logger } from '../../domain/index.js';
import { classifyHttpStatus, sendInOrder, type RetryOptions, type SendFailure, type SendReport } from '../shared/send.js';

/** Sorts a Connector failure by its HTTP status (`statusCode`); no status (network) is retryable. */
export function classifyBotFrameworkError(error: unknown): SendFailure {
  const e = error as { statusCode?: unknown; status?: unknown };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.status === 'number' ? e.status : undefined;
  if (status === undefined && !(error instanceof Error)) return { kind: 'fatal' };
  return { kind: classifyHttpStatus(status), ...(status !== undefined ? { status } : {}) };
}

/** Sends the activities in order (see `sendInOrder`); never throws. */
export function sendBotFrameworkActivities(
  context: TurnContext,
  activities: readonly Partial<Activity>[],
  deps: { logger: Logger; retry?: RetryOptions },
): Promise<SendReport> {
  return sendInOrder(activities, (a) => context.sendActivity(a), classifyBotFrameworkError, { ...deps, channel: 'botframework' });
}
