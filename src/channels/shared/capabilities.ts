/**
 * What each channel can show, declared as data (README: "Channels"). Limits link the platform docs.
 */
import type { ChannelCapabilities, ChannelId } from '../../domain/index.js';

export const CAPABILITIES: Record<ChannelId, ChannelCapabilities> = {
  // https://core.telegram.org/bots/api#sendmessage (1-4096 characters after entities parsing)
  telegram: { channel: 'telegram', maxLength: 4096, lengthUnit: 'chars', buttons: 'inline', maxButtons: 12, markup: 'html', media: true, location: true, emoji: true, cheapFeedback: true, compact: false, carrier: false, rateLimited: true },
  // https://www.twilio.com/docs/whatsapp/api (a message body is at most 1,600 characters)
  whatsapp: { channel: 'whatsapp', maxLength: 1600, lengthUnit: 'chars', buttons: 'numbered', maxButtons: 10, markup: 'whatsapp', media: true, location: true, emoji: true, cheapFeedback: true, compact: false, carrier: false, rateLimited: true },
  // https://www.twilio.com/docs/glossary/what-sms-character-limit (segments; budget set by SMS_SEGMENT_BUDGET)
  sms: { channel: 'sms', maxLength: 3, lengthUnit: 'segments', buttons: 'numbered', markup: 'none', media: false, location: false, emoji: false, cheapFeedback: false, compact: true, carrier: true, rateLimited: true },
  // https://learn.microsoft.com/azure/bot-service/bot-service-channels-reference (Web Chat: suggested actions)
  botframework: { channel: 'botframework', maxLength: 28000, lengthUnit: 'chars', buttons: 'inline', maxButtons: 10, markup: 'markdown', media: true, location: false, emoji: true, cheapFeedback: true, compact: false, carrier: false, rateLimited: true },
  web: { channel: 'web', maxLength: 8000, lengthUnit: 'chars', buttons: 'inline', maxButtons: 12, markup: 'none', media: false, location: false, emoji: true, cheapFeedback: true, compact: false, carrier: false, rateLimited: true },
  // The terminal chat: local, so no rate limit (piped scripts send many lines at once).
  cli: { channel: 'cli', maxLength: 8000, lengthUnit: 'chars', buttons: 'numbered', markup: 'none', media: false, location: false, emoji: true, cheapFeedback: true, compact: false, carrier: false, rateLimited: false },
};

/** The SMS capabilities with a configured segment budget. */
export function smsCapabilities(segmentBudget: number): ChannelCapabilities {
  return { ...CAPABILITIES.sms, maxLength: segmentBudget };
}

/** Channels in the order the README lists them. */
const TABLE_ORDER: ChannelId[] = ['telegram', 'whatsapp', 'sms', 'botframework', 'web', 'cli'];

/** The capabilities as the README's Markdown table (one row per channel), generated from the data above. */
export function capabilitiesTable(caps: Record<ChannelId, ChannelCapabilities> = CAPABILITIES): string {
  const yes = (b: boolean): string => (b ? 'yes' : 'no');
  const rows = TABLE_ORDER.map((id) => {
    const c = caps[id];
    const max = c.lengthUnit === 'segments' ? `${c.maxLength} segments (SMS_SEGMENT_BUDGET)` : `${c.maxLength.toLocaleString('en-US')} chars`;
    const buttons = c.buttons === 'inline' && c.maxButtons !== undefined ? `inline (up to ${c.maxButtons})` : c.buttons;
    return `| ${id} | ${max} | ${buttons} | ${c.markup} | ${yes(c.media)} | ${yes(c.location)} | ${yes(c.emoji)} |`;
  });
  return [
    '| channel | max length of a message | choices | markup | media | location | emoji |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
