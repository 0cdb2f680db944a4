/**
 * Replies -> Bot Framework activities: Markdown text, choices as suggested actions on the last
 * part of their reply (`messageBack` carrying the choice id in `value`, the choice number as
 * text for clients that only send text, the label shown in the transcript).
 * https://learn.microsoft.com/azure/bot-service/bot-builder-howto-add-suggested-actions
 */
import type { Activity, CardAction } from 'botbuilder';
import type { ChannelCapabilities, Reply } from '../../domain/index.js';
import { renderText } from '../shared/render.js';
import { splitText } from '../shared/split.js';

/** Suggested actions for a reply's choices. */
export function suggestedActions(reply: Reply): CardAction[] {
  return (reply.choices ?? []).map((c, i) => ({
    type: 'messageBack',
    title: c.label,
    text: String(i + 1),
    displayText: c.label,
    value: { choiceId: c.id },
  }));
}

/** Renders one reply as message activities. */
export function renderBotFrameworkReply(reply: Reply, caps: ChannelCapabilities): Partial<Activity>[] {
  const choices = reply.choices ?? [];
  const asButtons = choices.length > 0 && (caps.maxButtons === undefined || choices.length <= caps.maxButtons);
  const parts = splitText(renderText(reply, caps, { omitChoices: asButtons, omitLinks: false }), caps.maxLength, 'chars');
  if (parts.length === 0 && asButtons) parts.push('…');
  return parts.map((text, i) => {
    const activity: Partial<Activity> = { type: 'message', text, textFormat: 'markdown', locale: reply.lang };
    if (asButtons && i === parts.length - 1) activity.suggestedActions = { actions: suggestedActions(reply), to: [] };
    return activity;
  });
}

/** Renders the replies of one turn, in order. */
export function renderBotFramework(replies: readonly Reply[], caps: ChannelCapabilities): Partial<Activity>[] {
  return replies.flatMap((r) => renderBotFrameworkReply(r, caps));
}
