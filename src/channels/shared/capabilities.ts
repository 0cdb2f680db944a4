/**
 * What each channel can show, declared as data (README: "Channels"). Limits link the platform docs.
 */
import type { ChannelCapabilities, ChannelId } from '../../domain/index.js';

export const CAPABILITIES: Record<ChannelId, ChannelCapabilities> = {
  // https://core.telegram.org/bots/api#sendmessage (1-4096 characters after entities parsing)
  telegram: { channel: 'telegram', maxLength: 4096, lengthUnit: 'chars', buttons: 'inline', maxButtons: 12, markup: 'html', media: true, location: true, emoji: true, cheapFeedback: true },
  // https://www.twilio.com/docs/whatsapp/api (a message body is at most 1,600 characters)
  whatsapp: { channel: 'whatsapp', maxLength: 1600, lengthUnit: 'chars', buttons: 'numbered', maxButtons: 10, markup: 'whatsapp', media: true, location: true, emoji: true, cheapFeedback: true },
  // https://www.twilio.com/docs/glossary/what-sms-character-limit (segments; budget set by SMS_SEGMENT_BUDGET)
  sms: { channel: 'sms', maxLength: 3, lengthUnit: 'segments', buttons: 'numbered', markup: 'none', media: false, location: false, emoji: false, cheapFeedback: false },
  // https://learn.microsoft.com/azure/bot-service/bot-service-channels-reference (Web Chat: suggested actions)
  botframework: { channel: 'botframework', maxLength: 28000, lengthUnit: 'chars', buttons: 'inline', maxButtons: 10, markup: 'markdown', media: true, location: false, emoji: true, cheapFeedback: true },
  web: { channel: 'web', maxLength: 8000, lengthUnit: 'chars', buttons: 'inline', maxButtons: 12, markup: 'none', media: false, location: false, emoji: true, cheapFeedback: true },
  cli: { channel: 'cli', maxLength: 8000, lengthUnit: 'chars', buttons: 'numbered', markup: 'none', media: false, location: false, emoji: true, cheapFeedback: true },
};

/** The SMS capabilities with a configured segment budget. */
export function smsCapabilities(segmentBudget: number): ChannelCapabilities {
  return { ...CAPABILITIES.sms, maxLength: segmentBudget };
}
