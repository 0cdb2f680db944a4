/**
 * Shared helpers of the engine tests: channel capabilities, dependencies over the fixture
 * knowledge base and the real locales, and a scripted conversation that carries the state.
 */
import type { ChannelCapabilities, ChannelId, ConversationState, InboundMessage, Lang, Reply, Translate } from '../../src/domain/index.js';
import { fitTurn, handleTurn, type EngineDeps, type EngineTurnResult } from '../../src/engine/index.js';
import { CAPABILITIES, smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { createSmsFitter } from '../../src/channels/shared/sms.js';
import { createTranslator } from '../../src/i18n/index.js';
import { LOCALES_DIR, fakeMatcher, fixtureKb } from '../helpers/kb-fixture.js';

/** The channels' own capabilities (SMS with a 3-segment budget, as configured by default). */
export const CAPS: Record<'web' | 'whatsapp' | 'sms' | 'telegram', ChannelCapabilities> = {
  web: CAPABILITIES.web,
  telegram: CAPABILITIES.telegram,
  whatsapp: CAPABILITIES.whatsapp,
  sms: smsCapabilities(3),
};

let translator: Promise<Translate> | undefined;
/** The real translator over `locales/` (loaded once per test file). */
export function loadT(): Promise<Translate> {
  translator ??= createTranslator(LOCALES_DIR);
  return translator;
}

/** Engine dependencies over the fixture; `over` replaces any of them. */
export async function makeDeps(over: Partial<EngineDeps> = {}): Promise<EngineDeps> {
  return {
    kb: fixtureKb(),
    matcher: fakeMatcher(),
    t: await loadT(),
    capabilities: CAPS.web,
    defaultLang: 'fr',
    ...over,
  };
}

/** What a test sends: text, or any message fields. */
export type Input = string | Partial<InboundMessage>;

/**
 * A conversation with the engine that carries the state from turn to turn. On a channel that
 * fits its replies (SMS), each turn goes through the channel's fitter as the conversation
 * service runs it, so pages behind MORE are kept in the state.
 */
export class Chat {
  state: ConversationState | undefined;
  last!: EngineTurnResult;
  private now = 1_700_000_000_000;

  constructor(
    readonly deps: EngineDeps,
    state?: ConversationState,
  ) {
    this.state = state;
  }

  /** Sends one message; returns the turn's result. */
  send(input: Input): EngineTurnResult {
    this.now += 60_000;
    const channel: ChannelId = this.deps.capabilities.channel;
    const msg: InboundMessage = typeof input === 'string' ? { channel, text: input, receivedAt: this.now } : { channel, receivedAt: this.now, ...input };
    const turn = handleTurn(msg, this.state, this.deps);
    this.last = this.deps.capabilities.compact ? fitTurn(turn, createSmsFitter(this.deps.capabilities, this.deps.t)) : turn;
    this.state = this.last.state ?? undefined;
    return this.last;
  }

  /** Sends and returns the replies. */
  say(input: Input): Reply[] {
    return this.send(input).replies;
  }
}

/** A chat already past the language choice, in `lang`. */
export async function chatIn(lang: Lang, over: Partial<EngineDeps> = {}): Promise<Chat> {
  const chat = new Chat(await makeDeps(over));
  chat.send('');
  chat.send({ choiceId: `lang:${lang}` });
  return chat;
}

/** The reply of a kind (the first one), failing clearly when absent. */
export function replyOf(replies: Reply[], kind: Reply['kind']): Reply {
  const r = replies.find((x) => x.kind === kind);
  if (!r) throw new Error(`no ${kind} reply in: ${JSON.stringify(replies.map((x) => x.kind))}`);
  return r;
}

/** Choice ids of a reply. */
export function ids(reply: Reply | undefined): string[] {
  return (reply?.choices ?? []).map((c) => c.id);
}

/** The same residence-card question in each language (the fixture matcher knows them). */
export const QUESTIONS: Record<Lang, string> = {
  en: 'How do I get a residence card in Morocco',
  fr: 'Comment avoir la carte de sejour au Maroc',
  ar: 'كيف أحصل على بطاقة الإقامة في المغرب',
  es: 'Como consigo la tarjeta de residencia en Marruecos',
};
