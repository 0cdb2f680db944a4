/**
 * The live preview of an answer: the reply the engine builds from it (title in bold, body, links
 * to its sources; the short form on SMS), rendered for WhatsApp, Telegram and SMS by the channels'
 * own renderers, which `main.ts` injects (the admin does not import channels).
 */
import type { Lang, Reply, SmsEncoding } from '../../domain/index.js';
import type { AnswerFields } from '../../knowledge/publish.js';

/** How one reply renders per channel (the shape of the web channel's `previewOf`). */
export interface ChannelPreview {
  sms: { text: string; encoding: SmsEncoding | string; segments: number; chars: number };
  whatsapp: { text: string };
  telegram: { text: string; buttons: string[] };
}

/** Renders a reply for the previews; `main.ts` passes the web channel's `previewOf`. */
export type PreviewRenderer = (reply: Reply) => ChannelPreview;

/** The answer reply of an edited answer, as the engine would build its main part. */
export function answerReply(fields: AnswerFields, lang: Lang): Reply {
  const links = fields.sources.filter((s) => s.url).map((s) => ({ title: s.title, url: s.url as string }));
  const title = fields.title.trim();
  return {
    kind: 'answer',
    lang,
    text: [title ? `*${title}*` : '', fields.body.trim()].filter((p) => p !== '').join('\n\n'),
    short: fields.sms.trim(),
    ...(links.length > 0 ? { links } : {}),
  };
}
