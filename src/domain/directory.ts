/**
 * Choosing the contacts to show: for an urgency, for "talk to a person", and in what order.
 * Pure functions over the directory's types, shared by the engine (what users see) and
 * `content:check` (what must be there).
 */
import type { Contact, KnowledgeBase, Organisation } from './knowledge.js';
import type { Lang } from './lang.js';
import type { UrgencyKind } from './taxonomy.js';

/** Kinds of contact that carry a number to call or write to. */
const NUMBER_KINDS: ReadonlySet<Contact['kind']> = new Set(['phone', 'whatsapp']);

/** True when a reviewer has checked this contact (date and reviewer recorded by the editors' app). */
export function isContactChecked(contact: Contact): boolean {
  return contact.checked !== undefined && contact.checked !== '' && contact.checkedBy !== undefined && contact.checkedBy !== '';
}

/** An organisation's name in `lang` (the translated name when there is one). */
export function organisationName(org: Organisation, lang: Lang): string {
  return org.names?.[lang]?.trim() || org.name;
}

/** A contact's note in `lang` (English, then any, when that language has none). */
export function contactNote(contact: Contact, lang: Lang): string | undefined {
  return contact.notes?.[lang] ?? contact.note;
}

/** One contact to show, with the organisation it belongs to and whether it is still unchecked. */
export interface ChosenContact {
  org: Organisation;
  contact: Contact;
  /** True until a reviewer has checked it: show the "not yet checked" mark next to it. */
  unchecked: boolean;
}

/**
 * The contacts of an organisation in the order to show them: non-weak before weak, then by kind
 * (phone, WhatsApp, web, email, address). A weak contact (old page, third-party copy) is left out
 * when the organisation has a better contact of the same kind.
 */
export function usableContacts(org: Organisation): Contact[] {
  const order: Contact['kind'][] = ['phone', 'whatsapp', 'web', 'email', 'address'];
  const strong = new Set(org.contacts.filter((c) => !c.weak).map((c) => c.kind));
  return org.contacts
    .filter((c) => !c.weak || !strong.has(c.kind))
    .map((c, i) => ({ c, i }))
    .sort((a, b) => Number(a.c.weak ?? false) - Number(b.c.weak ?? false) || order.indexOf(a.c.kind) - order.indexOf(b.c.kind) || a.i - b.i)
    .map((x) => x.c);
}

/**
 * The numbered contacts to show for an urgency, in the order of `content/organisations.yaml`:
 * only organisations whose `urgency` lists the kind (chosen for it), never the police or the
 * gendarmerie for an arrest or a detention, and for each one the contact marked for that kind
 * (`urgency` on the contact), else its first phone or WhatsApp number. Weak contacts come after
 * every other choice. Nothing is added to fill the list: the emergency services are shown for an
 * urgency only when they list it. The engine's urgent reply and `content:check` use this.
 */
export function urgentContacts(kb: Pick<KnowledgeBase, 'organisations'>, kind: UrgencyKind, limit = 4): ChosenContact[] {
  const picked: ChosenContact[] = [];
  for (const org of kb.organisations.values()) {
    if (!org.urgency?.includes(kind)) continue;
    if (kind === 'arrest' && org.police) continue;
    const numbers = usableContacts(org).filter((c) => NUMBER_KINDS.has(c.kind));
    const contact = numbers.find((c) => c.urgency?.includes(kind)) ?? numbers[0];
    if (contact) picked.push({ org, contact, unchecked: !isContactChecked(contact) });
  }
  const ordered = [...picked.filter((p) => !p.contact.weak), ...picked.filter((p) => p.contact.weak)];
  return ordered.slice(0, limit);
}

/**
 * Organisations to offer when someone asks to talk to a person (and in the SMS find-help list):
 * the given ones (a topic's, a city's) that have a contact to show, police and emergency services
 * left out, each with its first usable contact and whether that contact is still unchecked.
 */
export function personContacts(orgs: readonly Organisation[], limit = 3): ChosenContact[] {
  const out: ChosenContact[] = [];
  for (const org of orgs) {
    if (org.emergency || org.police) continue;
    const contact = usableContacts(org)[0];
    if (contact) out.push({ org, contact, unchecked: !isContactChecked(contact) });
    if (out.length >= limit) break;
  }
  return out;
}

