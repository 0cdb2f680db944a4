/**
 * Replies -> Telegram `sendMessage` calls: HTML parse mode (escaped), choices as an inline
 * keyboard on the last part of their reply, texts over 4,096 characters split at paragraphs.
 * https://core.telegram.org/bots/api#sendmessage (text: 1-4096 characters after entities parsing)
 * https://core.telegram.org/bots/api#inlinekeyboardbutton (callback_data: 1-64 bytes)
 */
import type { ChannelCapabilities, Reply } from '../../domain/index.js';
import { markupToHtml } from '../shared/html.js';
import { numberedChoices, renderText } from '../shared/render.js';
import { splitText } from '../shared/split.js';

/** Longest `callback_data` Telegram accepts, in bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

/** An inline keyboard: one button per row, so long labels in any language stay readable. */
export interface InlineKeyboardMarkup {
  inline_keyboard: Array<Array<{ text: string; callback_data: string }>>;
}

/** One `sendMessage` call (the chat id is added by the sender). */
export interface TelegramOutgoing {
  text: string;
  options: {
    parse_mode: 'HTML';
    /** Previews cost data on cheap phones: off. */
    link_preview_options: { is_disabled: true };
    reply_markup?: InlineKeyboardMarkup;
  };
}

/** Whether a reply's choices can be inline buttons: few enough, and ids that fit `callback_data`. */
function fitsKeyboard(reply: Reply, caps: ChannelCapabilities): boolean {
  const choices = reply.choices ?? [];
  if (choices.length === 0 || caps.buttons !== 'inline') return false;
  if (caps.maxButtons !== undefined && choices.length > caps.maxButtons) return false;
  return choices.every((c) => c.id !== '' && Buffer.byteLength(c.id, 'utf8') <= CALLBACK_DATA_MAX_BYTES);
}

/** Renders one reply: its HTML parts, the keyboard on the last one. */
export function renderTelegramReply(reply: Reply, caps: ChannelCapabilities): TelegramOutgoing[] {
  const keyboard = fitsKeyboard(reply, caps);
  // Split the plain text: its length bounds the visible length once `*` pairs become <b> and
  // entities are parsed, so no part can exceed the limit and no tag is ever cut.
  const plain = renderText(reply, caps, { omitChoices: keyboard, omitLinks: false });
  let parts = splitText(plain, caps.maxLength, 'chars');
  if (parts.length === 0 && keyboard) parts = splitText(numberedChoices(reply.choices), caps.maxLength, 'chars');
  return parts.map((part, i) => {
    const out: TelegramOutgoing = { text: markupToHtml(part), options: { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } };
    if (keyboard && i === parts.length - 1) {
      out.options.reply_markup = { inline_keyboard: (reply.choices ?? []).map((c) => [{ text: c.label, callback_data: c.id }]) };
    }
    return out;
  });
}

/** Renders the replies of one turn, in order. */
export function renderTelegram(replies: readonly Reply[], caps: ChannelCapabilities): TelegramOutgoing[] {
  return replies.flatMap((r) => renderTelegramReply(r, caps));
}
