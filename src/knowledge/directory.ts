/**
 * Validation of the directory files: `content/cities.yaml` and `content/organisations.yaml`.
 * Pure (text in, records and issues out), shared by the loader and the admin editor.
 */
import { LANGS, TOPIC_IDS, URGENCY_KINDS, isTopicId, urgentContacts } from '../domain/index.js';
import type { City, Contact, ContentIssue, KnowledgeBase, Lang, Organisation } from '../domain/index.js';
import { checkDate, checkIdList, LANG_NAMES, notASource, notASourceReason } from './answer.js';
import { codedIssue, found, issueSink, show } from './issues.js';
import type { IssueSink } from './issues.js';
import { checkKeys, fieldsOf, isMap, isSeq, itemsOf, parseYaml } from './yaml-source.js';
import type { Field, YamlSource } from './yaml-source.js';
import type { YAMLMap } from 'yaml';

/** Fields of an organisation. */
export const ORGANISATION_FIELDS = [
  'id',
  'name',
  'names',
  'description',
  'cities',
  'contacts',
  'languages',
  'topics',
  'verified',
  'verified_by',
  'emergency',
  'police',
  'urgency',
] as const;
/** Fields of a contact. */
export const CONTACT_FIELDS = ['kind', 'value', 'note', 'source', 'weak', 'checked', 'checked_by', 'urgency'] as const;
/** Kinds of contact that must name the public page they come from. */
const SOURCED_KINDS: ReadonlySet<string> = new Set(['phone', 'whatsapp', 'email', 'address']);
/** Kinds of contact. */
export const CONTACT_KINDS = ['phone', 'whatsapp', 'email', 'web', 'address'] as const;
/** Fields of a city. */
export const CITY_FIELDS = ['id', 'names', 'aliases', 'location'] as const;

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A rough box around Morocco including the southern provinces (lat/lon degrees). */
const MOROCCO_BOX = { minLat: 20.5, maxLat: 36.1, minLon: -17.5, maxLon: -0.9 };

/** Parses a YAML list file and yields its items that are maps (other items are reported). */
function listItems(text: string, sink: IssueSink, what: string, itemName: string): { src: YamlSource; items: Array<{ map: YAMLMap; line: number }> } | undefined {
  const src = parseYaml(text.replace(/^\uFEFF/, ''), 1, sink, what);
  if (!src) return undefined;
  const root = src.doc.contents;
  if (root === null) {
    sink.warning(1, `${what} is empty`, { code: 'list.emptyFile' });
    return { src, items: [] };
  }
  if (!isSeq(root)) {
    sink.error(src.line(root, 1), `${what} must be a list: each ${itemName} starts with "- id: ..."`, { code: 'list.notListFile' });
    return undefined;
  }
  const items: Array<{ map: YAMLMap; line: number }> = [];
  for (const item of itemsOf(root, src, 1) ?? []) {
    if (!isMap(item.node)) {
      sink.error(item.line, `each ${itemName} must have named fields ("id:", "name:" ...) (found ${show(item.value)})`, { code: 'list.itemNotFields', params: { found: found(item.value) } });
      continue;
    }
    items.push({ map: item.node, line: item.line });
  }
  return { src, items };
}

/** Checks a required id; reports duplicates against `seen` (id -> line). */
function checkId(field: Field | undefined, line: number, sink: IssueSink, seen: Map<string, number>, itemName: string): string | undefined {
  if (!field || typeof field.value !== 'string' || field.value.trim() === '') {
    sink.error(field?.line ?? line, `this ${itemName} has no "id" (a short name in lowercase with dashes, e.g. "my-${itemName}")`, { code: 'id.missing' });
    return undefined;
  }
  const id = field.value.trim();
  if (!ID_PATTERN.test(id)) {
    sink.error(field.line, `the id "${id}" must use only lowercase letters, digits and dashes`, { code: 'id.invalid', params: { id } });
    return undefined;
  }
  const first = seen.get(id);
  if (first !== undefined) {
    sink.error(field.line, `the id "${id}" is used twice (first on line ${first})`, { code: 'id.duplicate', params: { id, line: first } });
    return undefined;
  }
  seen.set(id, field.line);
  return id;
}

/** Checks a per-language text map ({fr, en, ar, es}); missing languages are filled from another one. */
function checkLangMap(field: Field | undefined, line: number, src: YamlSource, sink: IssueSink, name: string): Record<Lang, string> | undefined {
  if (!field || !isMap(field.node)) {
    sink.error(field?.line ?? line, `"${name}" must give the text in each language: fr, en, ar and es`, { code: 'langMap.notFields', params: { field: name } });
    return undefined;
  }
  const fields = checkKeys(fieldsOf(field.node, src, field.line), LANGS, sink, `in "${name}" (languages are fr, en, ar, es)`);
  const out: Partial<Record<Lang, string>> = {};
  for (const lang of LANGS) {
    const f = fields.get(lang);
    const v = f?.value;
    if (typeof v !== 'string' || v.trim() === '') {
      sink.error(f?.line ?? field.line, `the ${LANG_NAMES[lang]} (${lang}) text of "${name}" is missing or empty`, { code: 'langMap.missing', params: { field: name, language: lang } });
      continue;
    }
    out[lang] = v.trim();
  }
  const any = LANGS.map((l) => out[l]).find((v) => v !== undefined);
  if (any === undefined) return undefined;
  return { fr: out.fr ?? out.en ?? any, en: out.en ?? out.fr ?? any, ar: out.ar ?? any, es: out.es ?? out.fr ?? any };
}

function checkStringList(field: Field | undefined, src: YamlSource, sink: IssueSink, what: string): string[] {
  return checkIdList(field, src, sink, { what, unknownMessage: () => '', unknownCode: 'list.unknown' });
}

function checkContacts(field: Field | undefined, src: YamlSource, sink: IssueSink, today: string): Contact[] {
  if (!field || field.value === null) return [];
  const items = itemsOf(field.node, src, field.line);
  if (!items) {
    sink.error(field.line, '"contacts" must be a list, each item starting with "- kind:"', { code: 'contacts.notList' });
    return [];
  }
  const out: Contact[] = [];
  for (const item of items) {
    if (!isMap(item.node)) {
      sink.error(item.line, `a contact needs "kind:" and "value:" (found ${show(item.value)})`, { code: 'contact.notFields', params: { found: found(item.value) } });
      continue;
    }
    const f = checkKeys(fieldsOf(item.node, src, item.line), CONTACT_FIELDS, sink, 'in a contact');
    const kind = f.get('kind')?.value;
    const rawValue = f.get('value')?.value;
    const note = f.get('note')?.value;
    if (typeof kind !== 'string' || !(CONTACT_KINDS as readonly string[]).includes(kind)) {
      sink.error(f.get('kind')?.line ?? item.line, `a contact's "kind" must be one of ${CONTACT_KINDS.join(', ')} (found ${show(kind)})`, {
        code: 'contact.badKind',
        params: { known: CONTACT_KINDS.join(', '), found: found(kind) },
      });
      continue;
    }
    if ((typeof rawValue !== 'string' && typeof rawValue !== 'number') || String(rawValue).trim() === '') {
      sink.error(f.get('value')?.line ?? item.line, `this ${kind} contact has no "value"`, { code: 'contact.noValue', params: { kind } });
      continue;
    }
    const value = String(rawValue).trim();
    const valueLine = f.get('value')!.line;
    if ((kind === 'phone' || kind === 'whatsapp') && !/^\+?[0-9][0-9 ().-]*[0-9]$/.test(value)) {
      sink.error(valueLine, `the ${kind} number ${show(value)} may contain only digits, spaces, dashes, dots, brackets and a leading +`, { code: 'contact.badNumber', params: { found: found(value) } });
      continue;
    }
    if (kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      sink.error(valueLine, `${show(value)} is not an email address`, { code: 'contact.badEmail', params: { found: found(value) } });
      continue;
    }
    if (kind === 'web' && !/^https?:\/\/[^\s/]+\.[^\s]+$/.test(value)) {
      sink.error(valueLine, `the web address must start with https:// (found ${show(value)})`, { code: 'contact.badWeb', params: { found: found(value) } });
      continue;
    }
    const contact: Contact = { kind: kind as Contact['kind'], value };
    const noteField = f.get('note');
    if (noteField && isMap(noteField.node)) {
      const notes = checkLangMap(noteField, item.line, src, sink, 'note');
      if (notes) {
        contact.notes = notes;
        contact.note = notes.en;
      }
    } else if (note !== undefined && note !== null) {
      if (typeof note !== 'string') {
        sink.error(noteField!.line, `a contact's "note" must be text (found ${show(note)})`, { code: 'field.notText', params: { field: 'note', found: found(note) } });
      } else if (note.trim() !== '') {
        contact.note = note.trim();
        sink.warning(noteField!.line, `this note is in one language only: give it in fr, en, ar and es ("note:" then one line per language)`, { code: 'contact.noteOneLanguage' });
      }
    }
    const source = f.get('source');
    if (source && source.value !== null) {
      if (typeof source.value !== 'string' || !/^https:\/\/[^\s/]+\.[^\s]+$/.test(source.value.trim())) {
        sink.error(source.line, `a contact's "source" must be the web address (https://...) of the public page that gives it (found ${show(source.value)})`, {
          code: 'contact.badSource',
          params: { found: found(source.value) },
        });
      } else {
        const why = notASourceReason(source.value.trim());
        if (why) sink.error(source.line, `${show(source.value)} is not a source: ${notASource(source.value.trim())}`, { code: `notSource.${why}`, params: { url: found(source.value) } });
        else contact.source = source.value.trim();
      }
    } else if (SOURCED_KINDS.has(kind)) {
      sink.error(valueLine, `this ${kind} has no "source": write the address of the public page that gives it (never a number from memory)`, { code: 'contact.noSource', params: { kind } });
      continue;
    }
    const weak = f.get('weak');
    if (weak && weak.value !== null) {
      if (typeof weak.value !== 'boolean') sink.error(weak.line, `"weak" must be true or false (found ${show(weak.value)})`, { code: 'field.notBoolean', params: { field: 'weak', found: found(weak.value) } });
      else if (weak.value) contact.weak = true;
    }
    const checkedField = f.get('checked');
    const byField = f.get('checked_by');
    if (checkedField || byField) {
      const date = checkedField ? checkDate(checkedField, 'checked', today, sink, item.line) : undefined;
      const by = byField?.value;
      if (typeof by !== 'string' || by.trim() === '' || date === undefined) {
        sink.error(
          (checkedField ?? byField)!.line,
          'a checked contact needs both "checked" (date) and "checked_by" (the reviewer), recorded by a reviewer\'s action in the editors\' app',
          { code: 'contact.checkIncomplete' },
        );
      } else {
        contact.checked = date;
        contact.checkedBy = by.trim();
      }
    }
    const urgency = checkIdList(f.get('urgency'), src, sink, {
      what: 'urgency kinds',
      known: URGENCY_KINDS,
      unknownMessage: (u) => `unknown urgency "${u}" (allowed: ${URGENCY_KINDS.join(', ')})`,
      unknownCode: 'urgency.unknown',
    });
    if (urgency.length > 0) contact.urgency = urgency;
    out.push(contact);
  }
  return out;
}

/** What the organisations validator needs besides the text. */
export interface OrganisationsContext {
  file: string;
  today: string;
  /** Ids of `content/cities.yaml`; when absent, city ids are not checked. */
  cityIds?: ReadonlySet<string>;
}

/**
 * Validates `content/organisations.yaml` and returns its usable entries, plus every id declared
 * (also those of entries dropped for an error, so references to them are not reported twice). Pure.
 */
export function validateOrganisations(
  text: string,
  ctx: OrganisationsContext,
): { organisations: Organisation[]; issues: ContentIssue[]; ids: string[] } {
  const issues: ContentIssue[] = [];
  const sink = issueSink(ctx.file, issues);
  const parsed = listItems(text, sink, 'the organisations file', 'organisation');
  if (!parsed) return { organisations: [], issues, ids: [] };
  const { src } = parsed;
  const seen = new Map<string, number>();
  const organisations: Organisation[] = [];
  for (const { map, line } of parsed.items) {
    const f = checkKeys(fieldsOf(map, src, line), ORGANISATION_FIELDS, sink, 'in an organisation');
    const id = checkId(f.get('id'), line, sink, seen, 'organisation');
    const nameField = f.get('name');
    const name = typeof nameField?.value === 'string' ? nameField.value.trim() : '';
    if (name === '') {
      sink.error(nameField?.line ?? line, id ? `organisation "${id}" has no "name"` : 'this organisation has no "name"', { code: 'organisation.noName' });
    }
    const description = checkLangMap(f.get('description'), line, src, sink, 'description');
    const cities = checkIdList(f.get('cities'), src, sink, {
      what: 'city ids',
      known: ctx.cityIds,
      unknownMessage: (c) => `unknown city "${c}" in "cities" (ids are those of content/cities.yaml)`,
      unknownCode: 'cities.unknown',
    });
    const contacts = checkContacts(f.get('contacts'), src, sink, ctx.today);
    const namesField = f.get('names');
    const names = namesField ? checkLangMap(namesField, line, src, sink, 'names') : undefined;
    const languages = checkStringList(f.get('languages'), src, sink, 'language codes');
    const topics = checkIdList(f.get('topics'), src, sink, {
      what: 'topic ids',
      known: TOPIC_IDS,
      unknownMessage: (t) => `unknown topic "${t}" in "topics" (topic ids are listed in taxonomy.md)`,
      unknownCode: 'topics.unknown',
    }).filter(isTopicId);
    const verifiedField = f.get('verified');
    const verifiedByField = f.get('verified_by');
    let verified: string | undefined = '';
    let verifiedBy: string | undefined;
    if (verifiedField || verifiedByField) {
      verified = verifiedField ? checkDate(verifiedField, 'verified', ctx.today, sink, line) : undefined;
      const by = verifiedByField?.value;
      if (verified !== undefined && (typeof by !== 'string' || by.trim() === '')) {
        sink.error(
          (verifiedField ?? verifiedByField)!.line,
          '"verified" needs "verified_by" (and the other way round): the date and the reviewer are recorded by a reviewer\'s action ' +
            'in the editors\' app; remove the date until a reviewer has checked the details',
          { code: 'organisation.verifiedIncomplete' },
        );
        verified = undefined;
      } else if (typeof by === 'string') verifiedBy = by.trim();
    }
    const emergencyField = f.get('emergency');
    if (emergencyField && typeof emergencyField.value !== 'boolean') {
      sink.error(emergencyField.line, `"emergency" must be true or false (found ${show(emergencyField.value)})`, { code: 'field.notBoolean', params: { field: 'emergency', found: found(emergencyField.value) } });
    }
    const policeField = f.get('police');
    if (policeField && typeof policeField.value !== 'boolean') {
      sink.error(policeField.line, `"police" must be true or false (found ${show(policeField.value)})`, { code: 'field.notBoolean', params: { field: 'police', found: found(policeField.value) } });
    }
    const urgency = checkIdList(f.get('urgency'), src, sink, {
      what: 'urgency kinds',
      known: URGENCY_KINDS,
      unknownMessage: (u) => `unknown urgency "${u}" (allowed: ${URGENCY_KINDS.join(', ')})`,
      unknownCode: 'urgency.unknown',
    });
    if (policeField?.value === true && urgency.includes('arrest')) {
      sink.error(
        f.get('urgency')!.line,
        `"${id ?? name}" is the police or the gendarmerie: it must never be shown for an arrest or a detention (remove "arrest" from "urgency")`,
        { code: 'organisation.policeArrest', params: { id: id ?? name } },
      );
    }
    if (id === undefined || name === '' || description === undefined || verified === undefined) continue;
    const org: Organisation = { id, name, description, cities, contacts, languages, topics, verified };
    if (names) org.names = names;
    if (verifiedBy) org.verifiedBy = verifiedBy;
    if (emergencyField?.value === true) org.emergency = true;
    if (policeField?.value === true) org.police = true;
    if (urgency.length > 0) org.urgency = urgency;
    organisations.push(org);
  }
  return { organisations, issues, ids: [...seen.keys()] };
}

/** Folds a city name or alias for comparison (case, accents and spacing ignored). */
export function foldPlaceName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s'’-]+/g, ' ')
    .trim();
}

/** Validates `content/cities.yaml`: usable entries and every id declared. Pure. */
export function validateCities(text: string, ctx: { file: string }): { cities: City[]; issues: ContentIssue[]; ids: string[] } {
  const issues: ContentIssue[] = [];
  const sink = issueSink(ctx.file, issues);
  const parsed = listItems(text, sink, 'the cities file', 'city');
  if (!parsed) return { cities: [], issues, ids: [] };
  const { src } = parsed;
  const seen = new Map<string, number>();
  /** Folded name or alias -> the city that has it and the line. */
  const spellings = new Map<string, { city: string; line: number }>();
  const cities: City[] = [];
  for (const { map, line } of parsed.items) {
    const f = checkKeys(fieldsOf(map, src, line), CITY_FIELDS, sink, 'in a city');
    const id = checkId(f.get('id'), line, sink, seen, 'city');
    const names = checkLangMap(f.get('names'), line, src, sink, 'names');
    const aliasField = f.get('aliases');
    const aliases = checkStringList(aliasField, src, sink, 'spellings');
    // Every name and alias must point to one city only, or the matcher cannot tell them apart.
    if (id !== undefined) {
      const own: Array<{ text: string; line: number }> = [
        ...LANGS.map((l) => ({ text: names?.[l] ?? '', line: f.get('names')?.line ?? line })),
        ...(itemsOf(aliasField?.node, src, aliasField?.line ?? line) ?? []).map((i) => ({ text: typeof i.value === 'string' ? i.value : '', line: i.line })),
      ];
      for (const s of own) {
        const key = foldPlaceName(s.text);
        if (key === '') continue;
        const other = spellings.get(key);
        if (other && other.city !== id) {
          sink.error(s.line, `"${s.text}" is also a name of city "${other.city}" (line ${other.line}): a spelling may belong to one city only`, {
            code: 'city.sharedSpelling',
            params: { spelling: s.text, city: other.city, line: other.line },
          });
        } else if (!other) {
          spellings.set(key, { city: id, line: s.line });
        }
      }
    }
    const loc = f.get('location');
    let location: City['location'] | undefined;
    if (!loc || !isMap(loc.node)) {
      sink.error(loc?.line ?? line, '"location" must give "lat:" and "lon:" in degrees', { code: 'city.noLocation' });
    } else {
      const lf = checkKeys(fieldsOf(loc.node, src, loc.line), ['lat', 'lon'], sink, 'in "location"');
      const lat = lf.get('lat')?.value;
      const lon = lf.get('lon')?.value;
      if (typeof lat !== 'number' || lat < -90 || lat > 90) {
        sink.error(lf.get('lat')?.line ?? loc.line, `"lat" must be a number of degrees between -90 and 90 (found ${show(lat)})`, { code: 'city.badLatitude', params: { found: found(lat) } });
      } else if (typeof lon !== 'number' || lon < -180 || lon > 180) {
        sink.error(lf.get('lon')?.line ?? loc.line, `"lon" must be a number of degrees between -180 and 180 (found ${show(lon)})`, { code: 'city.badLongitude', params: { found: found(lon) } });
      } else {
        location = { lat, lon };
        const b = MOROCCO_BOX;
        if (lat < b.minLat || lat > b.maxLat || lon < b.minLon || lon > b.maxLon) {
          sink.warning(loc.line, `the location ${lat}, ${lon} is outside Morocco: check the coordinates (lat before lon)`, { code: 'city.outsideMorocco', params: { lat, lon } });
        }
      }
    }
    if (id === undefined || names === undefined || location === undefined) continue;
    cities.push({ id, names, aliases, location });
  }
  return { cities, issues, ids: [...seen.keys()] };
}

/**
 * What `content:check` says about the urgent contacts: an error when an urgency kind has no
 * numbered contact chosen for it, or when the police or gendarmerie list "arrest"; a warning
 * naming each kind whose numbered contacts are all still unchecked (staff must call them).
 */
export function urgentCoverageIssues(kb: Pick<KnowledgeBase, 'organisations'>, file: string): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const unchecked: string[] = [];
  for (const kind of URGENCY_KINDS) {
    const chosen = urgentContacts(kb, kind, Infinity);
    if (chosen.length === 0) {
      issues.push(
        codedIssue(
          file,
          1,
          'error',
          `urgency "${kind}" has no contact with a number chosen for it: list "${kind}" in "urgency" of an organisation that has a phone or WhatsApp number${kind === 'arrest' ? ' (never the police or the gendarmerie)' : ''}`,
          { code: kind === 'arrest' ? 'urgency.noContactArrest' : 'urgency.noContact', params: { kind } },
        ),
      );
      continue;
    }
    if (chosen.every((c) => c.unchecked)) {
      unchecked.push(`${kind} (${chosen.map((c) => `${c.org.id} ${c.contact.value}`).join(', ')})`);
    }
  }
  for (const org of kb.organisations.values()) {
    if (org.police && org.urgency?.includes('arrest')) {
      const message = `"${org.id}" (police) is listed for urgency "arrest": never send someone who is arrested to the police`;
      issues.push(codedIssue(file, 1, 'error', message, { code: 'organisation.policeArrest', params: { id: org.id } }));
    }
  }
  if (unchecked.length > 0) {
    issues.push(
      codedIssue(
        file,
        1,
        'warning',
        `NOT YET CHECKED: every number shown for these urgencies still waits for a reviewer to call it and record the check in the editors' app: ${unchecked.join('; ')}`,
        { code: 'urgency.unchecked', params: { list: unchecked.join('; ') } },
      ),
    );
  }
  return issues;
}
