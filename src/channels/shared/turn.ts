/**
 * What every adapter does between parsing and rendering: hand the message to the injected
 * `TurnHandler`, survive its failure, answer media the engine said nothing about, and log the
 * turn without a user id or a word of the message.
 */
import type { InboundMessage, Lang, Logger, Reply, TurnHandler, TurnRequest } from '../../domain/index.js';
import { ADAPTER_STRINGS, langOfLocale } from './strings.js';

/** The outcome of one turn as the adapter sends it. */
export interface AdapterTurn {
  replies: Reply[];
  lang: Lang;
  /** The delivery was already handled: send nothing. */
  duplicate: boolean;
  /** The handler threw (store down ...). */
  failed: boolean;
}

export interface RunTurnOptions {
  /** Channel name used in log events (`channel.<name>.turn`). */
  channel: string;
  logger: Logger;
  /** Language of adapter strings when the handler could not say (before any state is known). */
  defaultLang: Lang;
  /**
   * Whether a failure gets the short apology. SMS says no: with the store down, the adapter
   * cannot know whether the number sent STOP, and carriers require silence after STOP.
   */
  apologise: boolean;
}

/** What kind of input a message is, for logs (never its content). */
export function inputKind(message: InboundMessage): 'choice' | 'location' | 'media' | 'command' | 'text' | 'empty' {
  if (message.choiceId !== undefined) return 'choice';
  if (message.location !== undefined) return 'location';
  if (message.media !== undefined && !message.text) return 'media';
  if (message.text?.startsWith('/')) return 'command';
  return message.text ? 'text' : 'empty';
}

/** Runs one turn through `handleTurn`; never throws. */
export async function runTurn(handleTurn: TurnHandler, request: TurnRequest, options: RunTurnOptions): Promise<AdapterTurn> {
  const { channel, logger } = options;
  const fallbackLang = langOfLocale(request.message.localeHint) ?? options.defaultLang;
  const started = performance.now();
  let turn: AdapterTurn;
  try {
    const response = await handleTurn(request);
    turn = { replies: response.replies, lang: response.lang, duplicate: response.duplicate, failed: false };
  } catch (error) {
    logger.error(`channel.${channel}.turn_failed`, { error: error instanceof Error ? error.name : typeof error });
    const replies: Reply[] = options.apologise ? [{ kind: 'error', text: ADAPTER_STRINGS[fallbackLang].apology, lang: fallbackLang }] : [];
    return { replies, lang: fallbackLang, duplicate: false, failed: true };
  }
  const { message } = request;
  // Only where the channel carries media: on SMS an empty answer may be the silence STOP requires.
  if (!turn.duplicate && turn.replies.length === 0 && message.media !== undefined && !message.text && request.capabilities.media) {
    turn.replies = [{ kind: 'notice', text: ADAPTER_STRINGS[turn.lang].pleaseType, lang: turn.lang }];
  }
  logger.info(`channel.${channel}.turn`, {
    input: inputKind(message),
    replies: turn.replies.length,
    duplicate: turn.duplicate,
    ms: Math.round(performance.now() - started),
  });
  return turn;
}
