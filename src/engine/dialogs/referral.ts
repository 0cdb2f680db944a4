/**
 * A person behind Dalil: the consent, the short intake and the open case. "Talk to a person"
 * finds the partner a case would go to; without one it lists organisations and numbers as
 * before. The consent names the organisation, what is shared and for how long; the intake asks
 * the topic, the city, whether it is safe to be written to here and (where Dalil has a phone
 * number) whether a call back is wanted, each question skippable. The case is opened by the
 * service (`caseOps`); while it relays, the user's messages go to the case worker.
 */
import { isOpen, isTopicId, nextOpening, validZone, type CaseOp, type ChannelId, type Choice, type Intake, type ReferralState } from '../../domain/index.js';
import { topicLabel } from '../compose/choices.js';
import { emergencyLine } from '../compose/directory.js';
import { partnerName, routableTopic, routingFor, urgencyOfTopic } from '../compose/referral.js';
import { cityName, nearestCity } from '../content.js';
import { andThen, langOf, merge, reply, say, settle, tr, type View } from '../context.js';
import { openingTime } from '../dates.js';
import type { ReferralInput } from '../route-case.js';
import type { Step } from '../types.js';
import { person } from './directory.js';
import { home } from './menu.js';

type IntakeStep = Exclude<ReferralState['step'], 'consent'>;

/** Channels on which Dalil has the user's phone number (only there is a call back asked). */
const PHONE_CHANNELS: ReadonlySet<ChannelId> = new Set<ChannelId>(['sms', 'whatsapp']);
const DEFAULT_CASE_RETENTION_DAYS = 30;

/** The intake's questions on this channel, in order. */
function stepsOf(view: View): IntakeStep[] {
  return PHONE_CHANNELS.has(view.deps.capabilities.channel) ? ['topic', 'city', 'safe', 'callback'] : ['topic', 'city', 'safe'];
}

const choice = (view: View, id: string, key: string): Choice => ({ id, label: tr(view, key) });

/** The consent: what is shared, with whom, for how long, and that the user can stop; yes or no. */
function consent(view: View, partnerId: string): Step {
  const days = tr(view, 'count.days', { count: view.deps.caseRetentionDays ?? DEFAULT_CASE_RETENTION_DAYS });
  const key = view.deps.capabilities.compact ? 'referral.consentShort' : 'referral.consent';
  const text = tr(view, key, { org: partnerName(view, partnerId), days });
  return say(view, 'notice', text, { choices: [choice(view, 'ref:yes', 'referral.yes'), choice(view, 'ref:no', 'referral.no')] });
}

/** "Talk to a person": back to the open case, the consent for a partner, or the organisations and numbers. */
export function talkToPerson(view: View): Step {
  if (view.state.case) return caseResume(view);
  const { view: v, state } = settle(view);
  const routing = routingFor(v);
  if (!routing) return person(view);
  const topic = routableTopic(v.state.lastTopic);
  const urgency = urgencyOfTopic(topic);
  const referral: ReferralState = { step: 'consent', partnerId: routing.partner.id, intake: topic ? { topic } : {}, ...(urgency ? { urgency } : {}) };
  return { ...consent(v, routing.partner.id), state: { ...state, referral } };
}

/** One question of the intake, numbered on compact channels ("(2/4)"). */
function ask(view: View, step: IntakeStep, r: ReferralState): Step {
  const org = partnerName(view, r.partnerId);
  const skip = choice(view, 'ref:skip', 'referral.skip');
  const yesNo = [choice(view, 'ref:yes', 'referral.answerYes'), choice(view, 'ref:no', 'referral.answerNo'), skip];
  let text: string;
  let choices: Choice[];
  if (step === 'topic') {
    const topic = r.intake.topic;
    text = topic && isTopicId(topic) ? tr(view, 'referral.topicKnown', { topic: topicLabel(view, topic) }) : tr(view, 'referral.topicAsk');
    choices = topic ? [choice(view, 'ref:ok', 'referral.ok'), skip] : [skip];
  } else if (step === 'city') {
    const city = r.intake.city ?? view.state.city;
    const known = city && view.deps.kb.cities.has(city) ? cityName(view.deps.kb, city, langOf(view)) : undefined;
    text = known ? tr(view, 'referral.cityKnown', { city: known }) : tr(view, view.deps.capabilities.location ? 'referral.cityAsk' : 'referral.cityAskText');
    choices = known ? [choice(view, 'ref:ok', 'referral.ok'), skip] : [skip];
  } else {
    text = tr(view, step === 'safe' ? 'referral.safe' : 'referral.callback', { org });
    choices = yesNo;
  }
  if (view.deps.capabilities.compact) {
    const steps = stepsOf(view);
    text = `(${steps.indexOf(step) + 1}/${steps.length}) ${text}`;
  }
  return say(view, 'notice', text, { choices });
}

/** The intake with the answer to its current question, or undefined when the question must be asked again. */
function answered(view: View, r: ReferralState, input: ReferralInput): Intake | undefined {
  const value = input.kind === 'choice' ? input.value : undefined;
  const { topic, city, ...rest } = r.intake;
  switch (r.step) {
    case 'topic':
      if (value === 'ok') return r.intake;
      if (value === 'skip' || value === 'no') return { ...rest, ...(city ? { city } : {}) };
      if (input.kind === 'text') return { ...rest, ...(city ? { city } : {}), ...(input.topic ? { topic: input.topic } : {}) };
      return undefined;
    case 'city': {
      const without: Intake = { ...rest, ...(topic ? { topic } : {}) };
      const known = city ?? view.state.city;
      if (value === 'ok') return known && view.deps.kb.cities.has(known) ? { ...without, city: known } : without;
      if (value === 'skip' || value === 'no') return without;
      if (input.kind === 'location') {
        const near = nearestCity(view.deps.kb, input.location);
        return near ? { ...without, city: near.id } : without;
      }
      if (input.kind === 'text') return input.city ? { ...without, city: input.city } : without;
      return undefined;
    }
    default: {
      const field = r.step === 'safe' ? 'safeToContact' : 'callback';
      if (value === 'yes' || value === 'no') return { ...r.intake, [field]: value === 'yes' };
      if (value === 'skip') return r.intake;
      return undefined;
    }
  }
}

/** An answer to the referral's current question: the next question, or the case opened. */
export function referral(view: View, input: ReferralInput): Step {
  const { view: v, state } = settle(view);
  const r = v.state.referral;
  if (!r) return person(view);
  if (r.step === 'consent') {
    if (input.kind === 'choice' && input.value === 'yes') return next(v, state, r);
    if (input.kind === 'choice' && input.value === 'no') {
      return merge({ ...say(v, 'notice', tr(v, 'referral.declined')), state: { ...state, referral: undefined } }, person(v));
    }
    return { ...consent(v, r.partnerId), state };
  }
  const intake = answered(v, r, input);
  if (!intake) return { ...ask(v, r.step, r), state };
  return next(v, state, { ...r, intake });
}

/** The question after the current one, or the case opened after the last. */
function next(view: View, state: Step['state'], r: ReferralState): Step {
  const steps = stepsOf(view);
  const following = r.step === 'consent' ? steps[0] : steps[steps.indexOf(r.step) + 1];
  if (!following) return openCase(view, state, r);
  const moved: ReferralState = { ...r, step: following };
  return { ...ask(view, following, moved), state: { ...state, referral: moved } };
}

/** Buttons of the case's messages: the menu and the end (none where choices are numbered and cost: typed numbers go to the case). */
function caseChoices(view: View): Choice[] {
  if (view.deps.capabilities.compact) return [];
  return [choice(view, 'cmd:menu', 'case.menu'), choice(view, 'case:end', 'case.end')];
}

/** The lines of the "case opened" message: reference, opening time when closed (and emergency numbers when urgent), how to leave. */
function openedText(view: View, ref: string, partnerId: string, urgent: boolean): string {
  const partner = view.deps.partners?.find((p) => p.id === partnerId);
  const org = partnerName(view, partnerId);
  const parts = [tr(view, 'case.opened', { ref, org })];
  const now = view.state.updatedAt;
  if (partner && !isOpen(partner.hours, now)) {
    const at = nextOpening(partner.hours, now);
    if (at !== undefined) {
      const when = openingTime(at, validZone(partner.hours.tz), langOf(view), view.deps.capabilities.compact);
      parts.push(tr(view, 'case.closedNow', { org, when }));
    }
    if (urgent) parts.push(emergencyLine(view) ?? tr(view, 'urgent.none'));
  }
  parts.push(tr(view, 'case.hint', { end: tr(view, 'case.endWord') }));
  return parts.join('\n\n');
}

/** The case opened with the reference the service made for this turn; without one, the organisations and numbers. */
function openCase(view: View, state: Step['state'], r: ReferralState): Step {
  const ref = view.deps.caseRef;
  const partner = view.deps.partners?.find((p) => p.id === r.partnerId && p.active);
  const cleared = { ...state, referral: undefined };
  if (!ref || !partner) return merge({ ...say(view, 'notice', tr(view, 'referral.unavailable')), state: cleared }, person(view));
  const urgency = r.urgency ?? urgencyOfTopic(r.intake.topic);
  const op: CaseOp = { op: 'open', ref, partnerId: partner.id, lang: langOf(view), intake: r.intake, ...(urgency ? { urgency } : {}) };
  const compact = view.deps.capabilities.compact;
  return {
    replies: [reply(view, 'notice', openedText(view, ref, partner.id, urgency !== undefined), { choices: caseChoices(view) })],
    // On compact channels no list stays behind: a typed number then goes to the case worker.
    state: { ...cleared, case: { ref, partnerId: partner.id, relay: true }, ...(compact ? { choices: [] } : {}) },
    caseOps: [op],
  };
}

/** The user's message goes to the case worker, acknowledged (on carrier channels only the first time: every SMS costs). */
export function caseRelay(view: View): Step {
  const { view: v, state } = settle(view);
  const open = v.state.case;
  if (!open) return home(view);
  const caseOps: CaseOp[] = [{ op: 'relay', ref: open.ref }];
  if (v.deps.capabilities.carrier && open.acked) return { replies: [], state, caseOps };
  const text = tr(v, 'case.relayed', { org: partnerName(v, open.partnerId) });
  return { ...say(v, 'notice', text), state: { ...state, case: { ...open, relay: true, acked: true } }, caseOps };
}

/** Back to the open case: what the user writes goes to the case worker again. */
export function caseResume(view: View): Step {
  const { view: v, state } = settle(view);
  const open = v.state.case;
  if (!open) return home(view);
  const text = tr(v, 'case.resumed', { org: partnerName(v, open.partnerId), ref: open.ref });
  return { ...say(v, 'notice', text, { choices: caseChoices(v) }), state: { ...state, case: { ...open, relay: true } } };
}

/** "End your conversation with ...?": yes ends the case, no goes back to it. */
export function caseEnd(view: View): Step {
  const { view: v, state } = settle(view);
  const open = v.state.case;
  if (!open) return home(view);
  const choices = [choice(v, 'case:close', 'case.endYes'), choice(v, 'case:resume', 'case.endNo')];
  const text = tr(v, 'case.endConfirm', { org: partnerName(v, open.partnerId) });
  return { ...say(v, 'notice', text, { choices }), state: { ...state, case: { ...open, relay: true }, awaiting: 'case-close' } };
}

/** The user ends the case: the service closes it; the bot's menu follows. */
export function caseClose(view: View): Step {
  const { view: v, state } = settle(view);
  const open = v.state.case;
  if (!open) return home(view);
  const ended: Step = {
    ...say(v, 'notice', tr(v, 'case.ended', { org: partnerName(v, open.partnerId) })),
    state: { ...state, case: undefined },
    caseOps: [{ op: 'close-by-user', ref: open.ref }],
  };
  return andThen(v, ended, (w) => home(w));
}
