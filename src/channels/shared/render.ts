/**
 * Renders the engine's reply model as text for channels that cannot show it richly.
 * Adapters override only what their platform does better (inline buttons, HTML).
 */
import type { ChannelCapabilities, Reply } from '../../domain/index.js';

/** Choices as a numbered list, one per line: "1. Papers". */
export function numberedChoices(reply: Reply): string {
  return (reply.choices ?? []).map((c, i) => `${i + 1}. ${c.label}`).join('\n');
}

const EMOJI = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{FE0F}\u{200D}]/gu;

/** Removes `*bold*` markup (channels without markup). */
export function stripMarkup(text: string): string {
  return text.replace(/\*([^*\n]+)\*/g, '$1');
}

/** Removes emoji and the joiners that glue them. */
export function stripEmoji(text: string): string {
  return text.replace(EMOJI, '').replace(/[ \t]{2,}/g, ' ');
}

/**
 * Plain-text form of one reply for `caps`: markup converted or stripped, emoji removed where the
 * channel pays for them, choices numbered unless the channel shows them as buttons.
 */
export function renderText(reply: Reply, caps: ChannelCapabilities): string {
  const useSms = caps.lengthUnit === 'segments' && reply.smsText !== undefined;
  let text = useSms ? (reply.smsText as string) : reply.text;
  if (caps.markup === 'none') text = stripMarkup(text);
  else if (caps.markup === 'markdown') text = text.replace(/\*([^*\n]+)\*/g, '**$1**');
  if (!caps.emoji) text = stripEmoji(text);
  const parts = [text.trim()];
  if (caps.buttons !== 'inline' && reply.choices?.length) parts.push(numberedChoices(reply));
  if (reply.links?.length && caps.lengthUnit !== 'segments' && caps.markup !== 'html') {
    parts.push(reply.links.map((l) => `${l.title}: ${l.url}`).join('\n'));
  }
  return parts.filter((p) => p.length > 0).join('\n\n');
}
