/**
 * Renders the engine's reply model as text for channels that cannot show it richly.
 * Adapters override only what their platform does better (inline buttons, HTML, templates);
 * everything else degrades here: buttons become a numbered list, bold is kept, converted or
 * stripped, emoji are dropped where they cost money, and long texts go through `splitText`.
 */
import type { ChannelCapabilities, Choice, Reply } from '../../domain/index.js';
import { splitText } from './split.js';

/** Choices as a numbered list, one per line: "1. Papers" (what a reply "1" maps back to). */
export function numberedChoices(choices: readonly Choice[] | undefined): string {
  return (choices ?? []).map((c, i) => `${i + 1}. ${c.label}`).join('\n');
}

/** Pictographs, flags, skin tones, and the joiners and selectors that glue emoji together. */
const EMOJI = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|[\u{1F3FB}-\u{1F3FF}]|\u{FE0F}|\u{200D}|\u{20E3}/gu;

/** Removes `*bold*` markup (channels without markup). */
export function stripMarkup(text: string): string {
  return text.replace(/\*([^*\n]+)\*/g, '$1');
}

/** Removes emoji and the joiners that glue them, then the spaces they leave behind. */
export function stripEmoji(text: string): string {
  return text
    .replace(EMOJI, '')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/^[ \t]+|[ \t]+$/gm, '');
}

/** Options of `renderText`. */
export interface RenderTextOptions {
  /** Leave the choices out (the adapter shows them as buttons or a template). Default: by `caps.buttons`. */
  omitChoices?: boolean;
  /** Leave the links out (the adapter shows them itself). Default: left out on SMS and HTML channels. */
  omitLinks?: boolean;
}

/**
 * Plain-text form of one reply for `caps`: markup converted or stripped, emoji removed where the
 * channel pays for them, choices numbered unless the channel shows them as buttons, links as
 * "title: url" lines where the channel has room for them.
 */
export function renderText(reply: Reply, caps: ChannelCapabilities, options: RenderTextOptions = {}): string {
  let text = reply.text;
  if (caps.markup === 'none') text = stripMarkup(text);
  else if (caps.markup === 'markdown') text = text.replace(/\*([^*\n]+)\*/g, '**$1**');
  if (!caps.emoji) text = stripEmoji(text);
  const parts = [text.trim()];
  const omitChoices = options.omitChoices ?? caps.buttons === 'inline';
  if (!omitChoices && reply.choices?.length) parts.push(numberedChoices(reply.choices));
  const omitLinks = options.omitLinks ?? (caps.lengthUnit === 'segments' || caps.markup === 'html');
  if (!omitLinks && reply.links?.length) {
    parts.push(reply.links.map((l) => `${l.title}: ${l.url}`).join('\n'));
  }
  return parts.filter((p) => p.length > 0).join('\n\n');
}

/**
 * One reply as the messages a channel sends: `renderText`, then split to the channel's maximum
 * length at paragraph boundaries.
 */
export function renderChunks(reply: Reply, caps: ChannelCapabilities, options: RenderTextOptions = {}): string[] {
  return splitText(renderText(reply, caps, options), caps.maxLength, caps.lengthUnit);
}
