/**
 * Validation of the case fields of a stored conversation state: the referral in progress and the
 * open case. A damaged value is dropped (the user is asked again, or goes back to the bot), never
 * passed to the engine as it is.
 */
import { URGENCY_KINDS, type Intake, type OpenCaseState, type ReferralState } from '../domain/index.js';

type Raw = Record<string, unknown>;

const STEPS: ReadonlyArray<ReferralState['step']> = ['consent', 'topic', 'city', 'safe', 'callback'];
/** Ids and references are short; anything longer is damage. */
const MAX_ID = 80;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;
}

function intakeOf(raw: unknown): Intake | undefined {
  if (!isObject(raw)) return undefined;
  const out: Intake = {};
  if (isId(raw.topic)) out.topic = raw.topic;
  if (isId(raw.city)) out.city = raw.city;
  if (typeof raw.safeToContact === 'boolean') out.safeToContact = raw.safeToContact;
  if (typeof raw.callback === 'boolean') out.callback = raw.callback;
  return out;
}

/** The referral in progress, or undefined when absent or damaged. */
export function referralOf(raw: unknown): ReferralState | undefined {
  if (!isObject(raw)) return undefined;
  const step = STEPS.find((s) => s === raw.step);
  const intake = intakeOf(raw.intake);
  if (!step || !isId(raw.partnerId) || !intake) return undefined;
  const out: ReferralState = { step, partnerId: raw.partnerId, intake };
  const urgency = URGENCY_KINDS.find((k) => k === raw.urgency);
  if (urgency) out.urgency = urgency;
  return out;
}

/** The open case, or undefined when absent or damaged. */
export function openCaseOf(raw: unknown): OpenCaseState | undefined {
  if (!isObject(raw) || !isId(raw.ref) || !isId(raw.partnerId) || typeof raw.relay !== 'boolean') return undefined;
  const out: OpenCaseState = { ref: raw.ref, partnerId: raw.partnerId, relay: raw.relay };
  if (raw.acked === true) out.acked = true;
  return out;
}
