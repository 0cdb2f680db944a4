/**
 * Partner organisations that take cases, as admins set them in the editors' app: kept in the
 * admin store (collection `partners`: files on the embedded default, Redis when instances share
 * it), read into memory so the engine routes a case without I/O, and reloaded on every instance
 * when an admin changes one (the store's `signal`, plus a slow poll in case a signal was missed).
 */
import { isLang, LANGS, type KnowledgeBase, type Lang, type Logger, type OpeningHours, type Partner, type PartnerRegistry, type Weekday } from '../../domain/index.js';
import type { MessageKey } from '../locales/en.js';
import type { AdminStore } from '../store/port.js';

/** Partner ids: 2-40 lowercase letters, digits and dashes (the contract's `Partner.id`). */
export const PARTNER_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;
/** The time zone of every partner's hours. */
export const PARTNER_TZ = 'Africa/Casablanca';
/** Weekdays in the order the form shows them (Monday first). */
export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];
/** The signal that tells every instance to reload the partners. */
export const PARTNERS_SIGNAL = 'partners';

/** The partners in memory, reloaded when one changes. */
export interface PartnerBook extends PartnerRegistry {
  /** Reads every partner from the store again. */
  reload(): Promise<void>;
  /** Writes a partner and tells every instance. */
  save(partner: Partner): Promise<void>;
  /** Calls `listener` after each reload; returns the unsubscribe function. */
  onChange(listener: (partners: readonly Partner[]) => void): () => void;
  close(): void;
}

/** Loads the partners and keeps them current; resolves once the first load is done. */
export async function createPartnerBook(opts: { store: AdminStore; logger: Logger; pollSeconds?: number }): Promise<PartnerBook> {
  const { store, logger } = opts;
  let partners: readonly Partner[] = [];
  let byId = new Map<string, Partner>();
  const listeners = new Set<(partners: readonly Partner[]) => void>();
  const reload = async (): Promise<void> => {
    const loaded = (await store.list<Partner>('partners')).filter((p) => typeof p?.id === 'string').sort((a, b) => (a.id < b.id ? -1 : 1));
    partners = Object.freeze(loaded);
    byId = new Map(loaded.map((p) => [p.id, p]));
    for (const l of listeners) l(partners);
  };
  const quietReload = (): void => {
    reload().catch((err: unknown) => logger.warn('admin.partners.reload_failed', { error: err instanceof Error ? err.name : 'Error' }));
  };
  await reload().catch((err: unknown) => logger.warn('admin.partners.load_failed', { error: err instanceof Error ? err.name : 'Error' }));
  await store.onSignal((name) => {
    if (name === PARTNERS_SIGNAL) quietReload();
  });
  const every = (opts.pollSeconds ?? 30) * 1000;
  const timer = store.shared && every > 0 ? setInterval(quietReload, every) : undefined;
  timer?.unref();
  return {
    list: () => partners,
    get: (id) => byId.get(id),
    reload,
    async save(partner) {
      await store.put('partners', partner.id, partner);
      await reload();
      await store.signal(PARTNERS_SIGNAL).catch(() => undefined);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (timer) clearInterval(timer);
    },
  };
}

/** A mistake in the partner form: the field and the message to show next to it. */
export interface PartnerFieldError {
  field: string;
  key: MessageKey;
  vars?: Record<string, string>;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Parses one day's hours as typed: ranges `HH:MM-HH:MM` separated by commas (`09:00-12:30,
 * 14:00-17:00`); empty: closed. Resolves the ranges, or the text that is wrong.
 */
export function parseDayHours(text: string): { ok: true; ranges: Array<[string, string]> } | { ok: false; bad: string } {
  const ranges: Array<[string, string]> = [];
  for (const part of text.split(/[,;]/).map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/.exec(part);
    const from = m?.[1]?.padStart(5, '0');
    const to = m?.[2]?.padStart(5, '0');
    if (!from || !to || !TIME.test(from) || !TIME.test(to) || minutes(from) >= minutes(to)) return { ok: false, bad: part };
    ranges.push([from, to]);
  }
  ranges.sort((a, b) => minutes(a[0]) - minutes(b[0]));
  for (let i = 1; i < ranges.length; i++) if (minutes(ranges[i]![0]) < minutes(ranges[i - 1]![1])) return { ok: false, bad: `${ranges[i]![0]}-${ranges[i]![1]}` };
  return { ok: true, ranges };
}

/** One day's ranges as the form shows them. */
export const dayHoursText = (hours: OpeningHours, day: Weekday): string => (hours.days[day] ?? []).map(([a, b]) => `${a}-${b}`).join(', ');

/** What the partner form sends, already read as strings and lists. */
export interface PartnerInput {
  id: string;
  orgId: string;
  topics: string[];
  cities: string[];
  langs: string[];
  /** Per weekday (0 = Sunday), the text typed. */
  hours: Partial<Record<Weekday, string>>;
  active: boolean;
}

/** Checks the form against the knowledge base; `creating`: the id must be new. */
export function checkPartner(input: PartnerInput, kb: Pick<KnowledgeBase, 'organisations' | 'cities' | 'answers'>, existing: PartnerRegistry, creating: boolean): { ok: true; partner: Partner } | { ok: false; errors: PartnerFieldError[] } {
  const errors: PartnerFieldError[] = [];
  if (!PARTNER_ID.test(input.id)) errors.push({ field: 'id', key: 'partners.err.id' });
  else if (creating && existing.get(input.id)) errors.push({ field: 'id', key: 'partners.err.exists' });
  if (!kb.organisations.has(input.orgId)) errors.push({ field: 'orgId', key: 'partners.err.org' });
  const badTopic = input.topics.find((t) => !kb.answers.has(t as never));
  if (badTopic !== undefined) errors.push({ field: 'topics', key: 'partners.err.topic', vars: { value: badTopic } });
  const badCity = input.cities.find((c) => !kb.cities.has(c));
  if (badCity !== undefined) errors.push({ field: 'cities', key: 'partners.err.city', vars: { value: badCity } });
  const langs = LANGS.filter((l) => input.langs.includes(l));
  if (input.langs.some((l) => !isLang(l))) errors.push({ field: 'langs', key: 'error.badRequest' });
  else if (langs.length === 0) errors.push({ field: 'langs', key: 'partners.err.langs' });
  const days: OpeningHours['days'] = {};
  for (const day of WEEKDAYS) {
    const parsed = parseDayHours(input.hours[day] ?? '');
    if (!parsed.ok) errors.push({ field: `hours_${day}`, key: 'partners.err.hours', vars: { value: parsed.bad } });
    else if (parsed.ranges.length > 0) days[day] = parsed.ranges;
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    partner: {
      id: input.id,
      orgId: input.orgId,
      topics: [...new Set(input.topics)],
      cities: [...new Set(input.cities)],
      langs: langs as Lang[],
      hours: { tz: PARTNER_TZ, days },
      active: input.active,
    },
  };
}
