/**
 * The editor's view of an answer file: its fields read leniently from a file text (to fill the
 * form even when the file has problems), read from a submitted form, and written back as the
 * file (`answerToMarkdown`). Validation is left to `validateAnswer` on the written text.
 */
import { ANSWER_STATUSES } from '../../domain/index.js';
import type { AnswerStatus, KnowledgeBase, Source, TopicId } from '../../domain/index.js';
import { splitFrontMatter, yaml } from '../../knowledge/index.js';
import type { AnswerFields } from '../../knowledge/publish.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).map((s) => s.trim()).filter((s) => s !== '') : []);
const status = (v: unknown): AnswerStatus => ((ANSWER_STATUSES as readonly unknown[]).includes(v) ? (v as AnswerStatus) : 'draft');

/** An empty answer. */
export function emptyFields(today: string): AnswerFields {
  return { title: '', label: '', status: 'draft', reviewed: today, sources: [], related: [], organisations: [], sms: '', body: '' };
}

/** Reads the fields of an answer file as well as it can (never throws). */
export function fieldsOfText(text: string, today: string): AnswerFields {
  const out = emptyFields(today);
  const split = splitFrontMatter(text, { file: '', error: () => undefined, warning: () => undefined, add: () => undefined });
  if (!split) {
    out.body = text;
    return out;
  }
  out.body = split.body.trim();
  let fm: unknown;
  try {
    fm = yaml().parse(split.yaml);
  } catch {
    return out;
  }
  if (typeof fm !== 'object' || fm === null) return out;
  const f = fm as Record<string, unknown>;
  out.title = str(f.title).trim();
  out.label = str(f.label).trim();
  out.status = status(f.status);
  out.reviewed = str(f.reviewed).trim() || today;
  out.sms = str(f.sms).trim();
  out.related = strList(f.related);
  out.organisations = strList(f.organisations);
  out.sources = Array.isArray(f.sources)
    ? f.sources
        .filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null)
        .map((s) => {
          const src: Source = { title: str(s.title).trim() };
          if (str(s.ref).trim()) src.ref = str(s.ref).trim();
          if (str(s.url).trim()) src.url = str(s.url).trim();
          return src;
        })
    : [];
  return out;
}

/** The fields of a new translation: sources, links and organisations of the French answer, no text yet. */
export function templateFields(kb: KnowledgeBase, topic: TopicId, today: string): AnswerFields {
  const fr = kb.answers.get(topic)?.get('fr');
  const out = emptyFields(today);
  if (!fr) return out;
  return { ...out, status: fr.status === 'draft' ? 'draft' : 'needs-verification', reviewed: fr.reviewed, sources: fr.sources.map((s) => ({ ...s })), related: [...fr.related], organisations: [...fr.organisations] };
}

const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : v === undefined || v === null ? [] : [str(v)]);

/**
 * Reads the fields of a submitted editor form (urlencoded or JSON): `title`, `label`, `status`, `reviewed`,
 * `sms`, `body`, repeated `source_title` / `source_ref` / `source_url`, repeated `related` and
 * `organisations`. Blank source rows are dropped; line ends become `\n`.
 */
export function fieldsOfForm(body: Record<string, unknown>): AnswerFields {
  const nl = (s: string): string => s.replace(/\r\n?/g, '\n');
  const titles = asArray(body.source_title);
  const refs = asArray(body.source_ref);
  const urls = asArray(body.source_url);
  const sources: Source[] = [];
  for (let i = 0; i < Math.max(titles.length, refs.length, urls.length); i++) {
    const title = (titles[i] ?? '').trim();
    const ref = (refs[i] ?? '').trim();
    const url = (urls[i] ?? '').trim();
    if (!title && !ref && !url) continue;
    const s: Source = { title };
    if (ref) s.ref = ref;
    if (url) s.url = url;
    sources.push(s);
  }
  return {
    title: nl(str(body.title)).replace(/\n/g, ' ').trim(),
    label: nl(str(body.label)).replace(/\n/g, ' ').trim(),
    status: status(body.status),
    reviewed: str(body.reviewed).trim(),
    sms: nl(str(body.sms)).trim(),
    body: nl(str(body.body)).trim(),
    sources,
    related: [...new Set(asArray(body.related).map((s) => s.trim()).filter((s) => s !== ''))],
    organisations: [...new Set(asArray(body.organisations).map((s) => s.trim()).filter((s) => s !== ''))],
  };
}
