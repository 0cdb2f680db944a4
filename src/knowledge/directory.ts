/**
 * Validation of the directory files: `content/cities.yaml` and `content/organisations.yaml`.
 * Pure (text in, records and issues out), shared by the loader and the admin editor.
 */
import { LANGS, TOPIC_IDS, URGENCY_KINDS, isTopicId } from '../domain/index.js';
import type { City, Contact, ContentIssue, Lang, Organisation } from '../domain/index.js';
import { checkDate, checkIdList, LANG_NAMES } from './answer.js';
import { issueSink, show } from './issues.js';
import type { IssueSink } from './issues.js';
import { checkKeys, fieldsOf, isMap, isSeq, itemsOf, parseYaml } from './yaml-source.js';
import type { Field, YamlSource } from './yaml-source.js';
import type { YAMLMap } from 'yaml';

/** Fields of an organisation. */
export const ORGANISATION_FIELDS = [
  'id',
  'name',
  'description',
  'cities',
  'contacts',
  'languages',
  'topics',
  'verified',
  'emergency',
  'urgency',
] as const;
/** Fields of a contact. */
export const CONTACT_FIELDS = ['kind', 'value', 'note'] as const;
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
    sink.warning(1, `${what} is empty`);
    return { src, items: [] };
  }
  if (!isSeq(root)) {
    sink.error(src.line(root, 1), `${what} must be a list: each ${itemName} starts with "- id: ..."`);
    return undefined;
  }
  const items: Array<{ map: YAMLMap; line: number }> = [];
  for (const item of itemsOf(root, src, 1) ?? []) {
    if (!isMap(item.node)) {
      sink.error(item.line, `each ${itemName} must have named fields ("id:", "name:" ...) (found ${show(item.value)})`);
      continue;
    }
    items.push({ map: item.node, line: item.line });
  }
  return { src, items };
}

/** Checks a required id; reports duplicates against `seen` (id -> line). */
function checkId(field: Field | undefined, line: number, sink: IssueSink, seen: Map<string, number>, itemName: string): string | undefined {
  if (!field || typeof field.value !== 'string' || field.value.trim() === '') {
    sink.error(field?.line ?? line, `this ${itemName} has no "id" (a short name in lowercase with dashes, e.g. "my-${itemName}")`);
    return undefined;
  }
  const id = field.value.trim();
  if (!ID_PATTERN.test(id)) {
    sink.error(field.line, `the id "${id}" must use only lowercase letters, digits and dashes`);
    return undefined;
  }
  const first = seen.get(id);
  if (first !== undefined) {
    sink.error(field.line, `the id "${id}" is used twice (first on line ${first})`);
    return undefined;
  }
  seen.set(id, field.line);
  return id;
}

/** Checks a per-language text map ({fr, en, ar, es}); missing languages are filled from another one. */
function checkLangMap(field: Field | undefined, line: number, src: YamlSource, sink: IssueSink, name: string): Record<Lang, string> | undefined {
  if (!field || !isMap(field.node)) {
    sink.error(field?.line ?? line, `"${name}" must give the text in each language: fr, en, ar and es`);
    return undefined;
  }
  const fields = checkKeys(fieldsOf(field.node, src, field.line), LANGS, sink, `in "${name}" (languages are fr, en, ar, es)`);
  const out: Partial<Record<Lang, string>> = {};
  for (const lang of LANGS) {
    const f = fields.get(lang);
    const v = f?.value;
    if (typeof v !== 'string' || v.trim() === '') {
      sink.error(f?.line ?? field.line, `the ${LANG_NAMES[lang]} (${lang}) text of "${name}" is missing or empty`);
      continue;
    }
    out[lang] = v.trim();
  }
  const any = LANGS.map((l) => out[l]).find((v) => v !== undefined);
  if (any === undefined) return undefined;
  return { fr: out.fr ?? out.en ?? any, en: out.en ?? out.fr ?? any, ar: out.ar ?? any, es: out.es ?? out.fr ?? any };
}

function checkStringList(field: Field | undefined, src: YamlSource, sink: IssueSink, what: string): string[] {
  return checkIdList(field, src, sink, { what, unknownMessage: () => '' });
}

function checkContacts(field: Field | undefined, src: YamlSource, sink: IssueSink): Contact[] {
  if (!field || field.value === null) return [];
  const items = itemsOf(field.node, src, field.line);
  if (!items) {
    sink.error(field.line, '"contacts" must be a list, each item starting with "- kind:"');
    return [];
  }
  const out: Contact[] = [];
  for (const item of items) {
    if (!isMap(item.node)) {
      sink.error(item.line, `a contact needs "kind:" and "value:" (found ${show(item.value)})`);
      continue;
    }
    const f = checkKeys(fieldsOf(item.node, src, item.line), CONTACT_FIELDS, sink, 'in a contact');
    const kind = f.get('kind')?.value;
    const rawValue = f.get('value')?.value;
    const note = f.get('note')?.value;
    if (typeof kind !== 'string' || !(CONTACT_KINDS as readonly string[]).includes(kind)) {
      sink.error(f.get('kind')?.line ?? item.line, `a contact's "kind" must be one of ${CONTACT_KINDS.join(', ')} (found ${show(kind)})`);
      continue;
    }
    if ((typeof rawValue !== 'string' && typeof rawValue !== 'number') || String(rawValue).trim() === '') {
      sink.error(f.get('value')?.line ?? item.line, `this ${kind} contact has no "value"`);
      continue;
    }
    const value = String(rawValue).trim();
    const valueLine = f.get('value')!.line;
    if ((kind === 'phone' || kind === 'whatsapp') && !/^\+?[0-9][0-9 ().-]*[0-9]$/.test(value)) {
      sink.error(valueLine, `the ${kind} number ${show(value)} may contain only digits, spaces, dashes, dots, brackets and a leading +`);
      continue;
    }
    if (kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      sink.error(valueLine, `${show(value)} is not an email address`);
      continue;
    }
    if (kind === 'web' && !/^https?:\/\/[^\s/]+\.[^\s]+$/.test(value)) {
      sink.error(valueLine, `the web address must start with https:// (found ${show(value)})`);
      continue;
    }
    if (note !== undefined && note !== null && typeof note !== 'string') {
      sink.error(f.get('note')!.line, `a contact's "note" must be text (found ${show(note)})`);
    }
    const contact: Contact = { kind: kind as Contact['kind'], value };
    if (typeof note === 'string' && note.trim() !== '') contact.note = note.trim();
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
      sink.error(nameField?.line ?? line, id ? `organisation "${id}" has no "name"` : 'this organisation has no "name"');
    }
    const description = checkLangMap(f.get('description'), line, src, sink, 'description');
    const cities = checkIdList(f.get('cities'), src, sink, {
      what: 'city ids',
      known: ctx.cityIds,
      unknownMessage: (c) => `unknown city "${c}" in "cities" (ids are those of content/cities.yaml)`,
    });
    const contacts = checkContacts(f.get('contacts'), src, sink);
    const languages = checkStringList(f.get('languages'), src, sink, 'language codes');
    const topics = checkIdList(f.get('topics'), src, sink, {
      what: 'topic ids',
      known: TOPIC_IDS,
      unknownMessage: (t) => `unknown topic "${t}" in "topics" (topic ids are listed in taxonomy.md)`,
    }).filter(isTopicId);
    const verified = checkDate(f.get('verified'), 'verified', ctx.today, sink, line);
    const emergencyField = f.get('emergency');
    if (emergencyField && typeof emergencyField.value !== 'boolean') {
      sink.error(emergencyField.line, `"emergency" must be true or false (found ${show(emergencyField.value)})`);
    }
    const urgency = checkIdList(f.get('urgency'), src, sink, {
      what: 'urgency kinds',
      known: URGENCY_KINDS,
      unknownMessage: (u) => `unknown urgency "${u}" (allowed: ${URGENCY_KINDS.join(', ')})`,
    });
    if (id === undefined || name === '' || description === undefined || verified === undefined) continue;
    const org: Organisation = { id, name, description, cities, contacts, languages, topics, verified };
    if (emergencyField?.value === true) org.emergency = true;
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
          sink.error(s.line, `"${s.text}" is also a name of city "${other.city}" (line ${other.line}): a spelling may belong to one city only`);
        } else if (!other) {
          spellings.set(key, { city: id, line: s.line });
        }
      }
    }
    const loc = f.get('location');
    let location: City['location'] | undefined;
    if (!loc || !isMap(loc.node)) {
      sink.error(loc?.line ?? line, '"location" must give "lat:" and "lon:" in degrees');
    } else {
      const lf = checkKeys(fieldsOf(loc.node, src, loc.line), ['lat', 'lon'], sink, 'in "location"');
      const lat = lf.get('lat')?.value;
      const lon = lf.get('lon')?.value;
      if (typeof lat !== 'number' || lat < -90 || lat > 90) {
        sink.error(lf.get('lat')?.line ?? loc.line, `"lat" must be a number of degrees between -90 and 90 (found ${show(lat)})`);
      } else if (typeof lon !== 'number' || lon < -180 || lon > 180) {
        sink.error(lf.get('lon')?.line ?? loc.line, `"lon" must be a number of degrees between -180 and 180 (found ${show(lon)})`);
      } else {
        location = { lat, lon };
        const b = MOROCCO_BOX;
        if (lat < b.minLat || lat > b.maxLat || lon < b.minLon || lon > b.maxLon) {
          sink.warning(loc.line, `the location ${lat}, ${lon} is outside Morocco: check the coordinates (lat before lon)`);
        }
      }
    }
    if (id === undefined || names === undefined || location === undefined) continue;
    cities.push({ id, names, aliases, location });
  }
  return { cities, issues, ids: [...seen.keys()] };
}
