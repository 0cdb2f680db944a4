/**
 * The one delivery pipeline every channel runs for an inbound message: run the turn (the
 * conversation service fits the replies with the channel's fitter inside it), render, send, and
 * mark a user who blocked the bot or opted out as stopped. Parsing and verifying happen before,
 * in each channel's router; rendering and sending are the channel's own functions.
 * It logs each turn without a user id or a word of the message.
 */
import { langOfLocale, smsSegments, type ChannelAdapter, type DeliveryFact, type InboundMessage, type Lang, type Logger, type Reply, type TurnHandler } from '../../domain/index.js';
import type { SendReport } from './send.js';

/** An inbound message as a channel parsed it. */
export interface Inbound {
  /** Raw platform user id: passed to the turn handler (which hashes it) and to `markStopped`, never logged. */
  userId: string;
  /** Platform delivery id, for idempotency. */
  deliveryId?: string;
  message: InboundMessage;
  /** How to reach the user again outside a turn, when the user id is not enough (Bot Framework's conversation reference). */
  address?: unknown;
}

/** What the pipeline is given once per channel. */
export interface PipelineDeps {
  handleTurn: TurnHandler;
  logger: Logger;
  /** Marks the user's conversation stopped when a send says they blocked the bot or opted out. */
  markStopped?: (userId: string) => Promise<void>;
  /** Language of a turn whose handler could not say (before any state is known). */
  defaultLang: Lang;
  /**
   * Told how each turn's sends went, SMS segments included (for `/metrics` and the cost counted
   * on the Insights page); no recipient and no text. Must not throw.
   */
  onDelivered?: (fact: DeliveryFact) => void;
}

/** The turn as the channel renders it. */
export interface DeliveredTurn {
  replies: Reply[];
  lang: Lang;
  /** The delivery was already handled: nothing is sent. */
  duplicate: boolean;
  /** The user has a case open (the web page then polls for the case worker's replies). */
  caseOpen?: boolean;
}

/** How one message's delivery went. */
export interface Delivery<Out> {
  turn: DeliveredTurn;
  /** What was rendered (empty for a duplicate or a silent turn). */
  outgoing: Out[];
  report: SendReport;
}

/** The channel's own steps: render the turn's replies, and send what was rendered. */
export interface ChannelIo<Out> {
  render(replies: readonly Reply[], lang: Lang): Out[];
  /** Sends (or answers the webhook with) the rendered messages; never throws. */
  send(outgoing: Out[], turn: DeliveredTurn): Promise<SendReport>;
}

/** What kind of input a message is, for logs (never its content). */
export function inputKind(message: InboundMessage): 'choice' | 'location' | 'media' | 'command' | 'text' | 'empty' {
  if (message.choiceId !== undefined) return 'choice';
  if (message.location !== undefined) return 'location';
  if (message.media !== undefined && !message.text) return 'media';
  if (message.text?.startsWith('/')) return 'command';
  return message.text ? 'text' : 'empty';
}

/**
 * Runs the turn. The handler never rejects (the conversation service is the error boundary and
 * writes the apology); should it break that promise, the failure is logged and nothing is sent.
 */
async function runTurn(channel: Pick<ChannelAdapter, 'id' | 'capabilities' | 'fit'>, inbound: Inbound, deps: PipelineDeps): Promise<DeliveredTurn> {
  const { id, capabilities, fit } = channel;
  try {
    const response = await deps.handleTurn({
      userId: inbound.userId,
      ...(inbound.deliveryId !== undefined ? { deliveryId: inbound.deliveryId } : {}),
      ...(inbound.address !== undefined ? { address: inbound.address } : {}),
      message: inbound.message,
      capabilities,
      ...(fit ? { fit } : {}),
    });
    return { replies: response.replies, lang: response.lang, duplicate: response.duplicate, ...(response.caseOpen ? { caseOpen: true } : {}) };
  } catch (error) {
    deps.logger.error(`channel.${id}.turn_failed`, { error: error instanceof Error ? error.name : typeof error });
    return { replies: [], lang: langOfLocale(inbound.message.localeHint) ?? deps.defaultLang, duplicate: false };
  }
}

/** Delivers one inbound message end to end; never throws. */
export async function deliver<Out>(
  channel: Pick<ChannelAdapter, 'id' | 'capabilities' | 'fit'>,
  inbound: Inbound,
  io: ChannelIo<Out>,
  deps: PipelineDeps,
): Promise<Delivery<Out>> {
  const started = performance.now();
  const turn = await runTurn(channel, inbound, deps);
  const outgoing = turn.duplicate ? [] : io.render(turn.replies, turn.lang);
  const report = await io.send(outgoing, turn);
  if (report.failure?.kind === 'user-blocked') {
    deps.logger.info(`channel.${channel.id}.user_blocked`, { status: report.failure.status, code: report.failure.code });
    await deps.markStopped?.(inbound.userId);
  }
  reportDelivery(channel, turn.lang, outgoing, report, deps);
  deps.logger.info(`channel.${channel.id}.turn`, {
    input: inputKind(inbound.message),
    replies: turn.replies.length,
    duplicate: turn.duplicate,
    ms: Math.round(performance.now() - started),
  });
  return { turn, outgoing, report };
}

/** Hands how the sends went to `onDelivered`: on a carrier channel, the SMS segments of the bodies that went out. */
function reportDelivery(channel: Pick<ChannelAdapter, 'id' | 'capabilities'>, lang: Lang, outgoing: readonly unknown[], report: SendReport, deps: PipelineDeps): void {
  if (!deps.onDelivered) return;
  let segments = 0;
  if (channel.capabilities.carrier) {
    for (const body of outgoing.slice(0, report.sent)) if (typeof body === 'string') segments += smsSegments(body);
  }
  try {
    deps.onDelivered({ channel: channel.id, lang, sent: report.sent, smsSegments: segments, ...(report.failure ? { failure: report.failure.kind } : {}) });
  } catch (error) {
    // Counting is best effort: a delivery never fails for it.
    deps.logger.warn(`channel.${channel.id}.on_delivered_failed`, { error: error instanceof Error ? error.name : typeof error });
  }
}

/** A send that sends nothing (the web chat answers in the HTTP response, a silent turn has nothing). */
export const NOTHING_SENT: SendReport = Object.freeze({ sent: 0 });
