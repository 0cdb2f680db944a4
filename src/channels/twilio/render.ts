/**
 * Replies -> Twilio messages. WhatsApp: `*bold*` kept, choices numbered, or sent as a quick-reply
 * or list-picker Content template when one is configured and the choices fill it; bodies of at
 * most 1,600 characters. SMS: one plain GSM-7-safe body within the segment budget. TwiML for the
 * webhook response.
 * https://www.twilio.com/docs/whatsapp/api (body <= 1,600 characters)
 * https://www.twilio.com/docs/content/twilio-quick-reply (body <= 1,024, title <= 20)
 * https://www.twilio.com/docs/content/twiliolist-picker (body <= 1,024, item <= 24, description <= 72, 1-10 items)
 */
import twilio from 'twilio';
import type { ChannelCapabilities, Reply } from '../../domain/index.js';
import { numberedChoices, renderText } from '../shared/render.js';
import { splitText } from '../shared/split.js';
import { renderSmsBody } from '../shared/sms.js';

/** Longest body of a Content template message. */
export const CONTENT_BODY_MAX = 1024;
/** Longest quick-reply button title. */
export const QUICK_REPLY_TITLE_MAX = 20;
/** Longest list-picker item title and description. */
export const LIST_ITEM_MAX = 24;
export const LIST_DESCRIPTION_MAX = 72;

/** One outgoing WhatsApp message: plain text, or a Content template with its variables. */
export type WhatsappOutgoing =
  | { kind: 'text'; body: string }
  | { kind: 'content'; template: 'quick-reply' | 'list-picker'; contentSid: string; variables: Record<string, string> };

/**
 * The Content templates to use, if any. Templates have a fixed number of buttons or items, so a
 * template is used only for replies with exactly that many choices; others get a numbered list.
 */
export interface WhatsappTemplates {
  /** TWILIO_QUICK_REPLY_CONTENT_SID (empty: none). */
  quickReplyContentSid: string;
  /** Buttons of that template (default 3, WhatsApp's maximum). */
  quickReplyButtons?: number;
  /** TWILIO_LIST_PICKER_CONTENT_SID (empty: none). */
  listPickerContentSid: string;
  /** Items of that template (default 10, WhatsApp's maximum). */
  listPickerItems?: number;
}

/**
 * Fits a label into `max` characters (code points). Answers' labels are written to fit (see
 * `CHOICE_LABEL_MAX`); this is the fallback for longer ones (a title, a locale string): the label
 * is cut after its last whole word that fits, with an ellipsis, never inside a word. Only a first
 * word longer than `max` on its own is cut inside.
 */
export function truncateLabel(label: string, max: number): string {
  const text = label.trim().replace(/\s+/g, ' ');
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  // Room for the words, then the ellipsis.
  const room = chars.slice(0, max - 1);
  // A cut between words: a space at `max - 1` (the next word starts after the room) or before.
  const boundary = chars[max - 1] === ' ' ? max - 1 : room.lastIndexOf(' ');
  const kept = boundary > 0 ? room.slice(0, boundary) : room;
  // No punctuation left dangling before the ellipsis ("Soins :…", "Papers,…").
  return kept.join('').replace(/[\s:;,.،؛\-–—(/]+$/u, '') + '…';
}

/**
 * Variables of the quick-reply template: "1" body; button k (1-based) title "2k", id "2k+1".
 * Of the list-picker template: "1" body, "2" button label; item k title "3k", id "3k+1", description "3k+2".
 */
export function templateVariables(template: 'quick-reply' | 'list-picker', body: string, reply: Reply, listButton: string): Record<string, string> {
  const vars: Record<string, string> = { '1': body };
  const choices = reply.choices ?? [];
  if (template === 'quick-reply') {
    choices.forEach((c, i) => {
      const k = i + 1;
      vars[String(2 * k)] = truncateLabel(c.label, QUICK_REPLY_TITLE_MAX);
      vars[String(2 * k + 1)] = c.id;
    });
  } else {
    vars['2'] = listButton;
    choices.forEach((c, i) => {
      const k = i + 1;
      vars[String(3 * k)] = truncateLabel(c.label, LIST_ITEM_MAX);
      vars[String(3 * k + 1)] = c.id;
      vars[String(3 * k + 2)] = truncateLabel(c.label, LIST_DESCRIPTION_MAX);
    });
  }
  return vars;
}

function templateFor(reply: Reply, templates: WhatsappTemplates | undefined): { template: 'quick-reply' | 'list-picker'; contentSid: string } | undefined {
  const n = reply.choices?.length ?? 0;
  if (!templates || n === 0) return undefined;
  if (templates.quickReplyContentSid && n === (templates.quickReplyButtons ?? 3)) {
    return { template: 'quick-reply', contentSid: templates.quickReplyContentSid };
  }
  if (templates.listPickerContentSid && n === (templates.listPickerItems ?? 10)) {
    return { template: 'list-picker', contentSid: templates.listPickerContentSid };
  }
  return undefined;
}

/** Renders one WhatsApp reply; `listButton` labels a list picker's button in the user's language. */
export function renderWhatsappReply(reply: Reply, caps: ChannelCapabilities, templates?: WhatsappTemplates, listButton = ''): WhatsappOutgoing[] {
  const chosen = templateFor(reply, templates);
  if (!chosen) return splitText(renderText(reply, caps), caps.maxLength, 'chars').map((body) => ({ kind: 'text', body }));
  const parts = splitText(renderText(reply, caps, { omitChoices: true }), caps.maxLength, 'chars');
  // The template's body is shorter than a plain message: what does not fit goes first as text.
  const last = parts.pop() ?? '';
  const tail = splitText(last, CONTENT_BODY_MAX, 'chars');
  const body = tail.pop() ?? numberedChoices(reply.choices).slice(0, CONTENT_BODY_MAX);
  const texts = [...parts, ...tail].map((b): WhatsappOutgoing => ({ kind: 'text', body: b }));
  return [...texts, { kind: 'content', ...chosen, variables: templateVariables(chosen.template, body, reply, listButton) }];
}

/**
 * Renders the replies of one WhatsApp turn, in order, in as few messages as they fit: WhatsApp
 * does not keep the order of separate messages (the sources could arrive before the answer),
 * so consecutive texts are joined into one message while it stays within `caps.maxLength`.
 */
export function renderWhatsapp(replies: readonly Reply[], caps: ChannelCapabilities, templates?: WhatsappTemplates, listButton = ''): WhatsappOutgoing[] {
  const out: WhatsappOutgoing[] = [];
  for (const m of replies.flatMap((r) => renderWhatsappReply(r, caps, templates, listButton))) {
    const last = out.at(-1);
    if (m.kind === 'text' && last?.kind === 'text' && last.body.length + 2 + m.body.length <= caps.maxLength) {
      out[out.length - 1] = { kind: 'text', body: `${last.body}\n\n${m.body}` };
    } else out.push(m);
  }
  return out;
}

/**
 * Renders the replies of one SMS turn as ONE message body (none for a silent turn): separate
 * SMS can arrive in any order, so the SMS fitter has already fitted the whole turn to the
 * segment budget. Should a turn come unfitted, only its first budget's worth is sent.
 */
export function renderSms(replies: readonly Reply[], caps: ChannelCapabilities): string[] {
  const body = renderSmsBody(replies, caps);
  if (body === '') return [];
  return splitText(body, caps.maxLength, 'segments').slice(0, 1);
}

/** A TwiML `<Response>` with one `<Message>` per body (none: Twilio sends nothing). */
export function twimlResponse(bodies: readonly string[]): string {
  const response = new twilio.twiml.MessagingResponse();
  for (const body of bodies) response.message(body);
  return response.toString();
}
