import type { ChannelId } from './message.js';

/**
 * What a channel can show, declared as data. The README renders these as a table.
 */
export interface ChannelCapabilities {
  channel: ChannelId;
  /** Maximum length of one outgoing message, in `lengthUnit`. */
  maxLength: number;
  /** `segments` for SMS (GSM-7 153 / UCS-2 67 characters each), `chars` otherwise. */
  lengthUnit: 'chars' | 'segments';
  /** How choices are shown. */
  buttons: 'inline' | 'numbered' | 'none';
  /** Maximum number of buttons when `buttons` is `inline`. */
  maxButtons?: number;
  /** Whether bold/italic markup renders. */
  markup: 'html' | 'whatsapp' | 'markdown' | 'none';
  media: boolean;
  location: boolean;
  emoji: boolean;
  /** Whether asking "was this useful" is cheap enough to do after each answer. */
  cheapFeedback: boolean;
}
