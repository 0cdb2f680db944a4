/**
 * A case worker's reply to a Bot Framework user outside a turn: a proactive message through the
 * conversation reference kept (encrypted) with the case, sent with the bot's app id. A reference
 * whose service URL is not one replies may be posted to is refused, as in a turn.
 * https://learn.microsoft.com/azure/bot-service/bot-builder-howto-proactive-message
 */
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { CaseAddress, CaseReacher, Lang, Logger, ReachResult } from '../../domain/index.js';
import { CAPABILITIES } from '../shared/capabilities.js';
import type { RetryOptions, SendReport } from '../shared/send.js';
import { renderBotFramework } from './render.js';
import { sendBotFrameworkActivities } from './send.js';

/** What the reacher needs. */
export interface BotFrameworkReacherDeps {
  adapter: CloudAdapter;
  /** MICROSOFT_APP_ID ('' for an anonymous bot talking to the Emulator). */
  appId: string;
  /** Whether replies may be posted to this service URL (the channel's own rule). */
  serviceUrlAllowed: (serviceUrl: unknown) => boolean;
  logger: Logger;
  retry?: RetryOptions;
}

/** The reference kept with the case, when it has what a proactive message needs. */
function referenceOf(address: CaseAddress): Partial<ConversationReference> | undefined {
  const ref = address.reference as Partial<ConversationReference> | undefined;
  if (typeof ref !== 'object' || ref === null || typeof ref.serviceUrl !== 'string') return undefined;
  const conversation = ref.conversation as { id?: unknown } | undefined;
  return typeof conversation?.id === 'string' ? ref : undefined;
}

/** The reacher over the channel's adapter. */
export function createBotFrameworkReacher(deps: BotFrameworkReacherDeps): CaseReacher {
  return {
    channel: 'botframework',
    async reach(address: CaseAddress, text: string, lang: Lang): Promise<ReachResult> {
      const reference = referenceOf(address);
      if (!reference || !deps.serviceUrlAllowed(reference.serviceUrl)) return { ok: false, reason: 'no-channel' };
      const activities = renderBotFramework([{ kind: 'notice', text, lang }], CAPABILITIES.botframework);
      let report: SendReport = { sent: 0, failure: { kind: 'fatal' } };
      try {
        await deps.adapter.continueConversationAsync(deps.appId, reference, async (context) => {
          report = await sendBotFrameworkActivities(context, activities, { logger: deps.logger, ...(deps.retry ? { retry: deps.retry } : {}) });
        });
      } catch (err) {
        deps.logger.warn('channel.botframework.proactive_failed', { error: err instanceof Error ? err.name : typeof err });
        return { ok: false, reason: 'failed' };
      }
      if (!report.failure) return { ok: true, via: 'text' };
      return { ok: false, reason: report.failure.kind === 'user-blocked' ? 'blocked' : 'failed' };
    },
  };
}
