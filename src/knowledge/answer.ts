/**
 * Validation of one answer file (`content/topics/<topic>/<lang>.md`): front matter fields,
 * sources, references, SMS budget and body. Pure, so the admin editor can run the same rules
 * on a draft before saving it.
 */
import {
  ANSWER_STATUSES,
  CHOICE_LABEL_MAX,
  TOPIC_IDS,
  foldedWords,
  gsmFold,
  isTopicId,
  nonGsmChars,
  smsEncoding,
  smsLength,
  smsSegments,
  SMS_LIMITS,
  toGsmSafe,
} from '../domain/index.js';
import type { AnswerStatus, ContentIssue, Lang, Source, TopicAnswer, TopicId } from '../domain/index.js';
import { daysBetween, didYouMean, found, isIsoDate, issueSink, show, suggestion } from './issues.js';
import type { IssueCode, IssueSink } from './issues.js';
import { checkKeys, fieldsOf, isMap, itemsOf, parseYaml } from './yaml-source.js';
import type { Field, YamlSource } from './yaml-source.js';

/** Fields of an answer's front matter. */
export const ANSWER_FIELDS = ['title', 'label', 'status', 'reviewed', 'reviewed_by', 'sources', 'related', 'organisations', 'sms'] as const;
/** Fields of one source. */
export const SOURCE_FIELDS = ['title', 'url', 'ref'] as const;
/** Dates older than this many days get a "review again" warning. */
export const REVIEW_MAX_AGE_DAYS = 365;

/** Language names used in messages. */
export const LANG_NAMES: Record<Lang, string> = { fr: 'French', en: 'English', ar: 'Arabic', es: 'Spanish' };

/** What the validator needs to know besides the text of the file. */
export interface AnswerContext {
  /** Path relative to the project root, used in issues. */
  file: string;
  topic: TopicId;
  lang: Lang;
  /** Segments the SMS short form may use. */
  smsShortFormSegments: number;
  /** Today as YYYY-MM-DD (dates after it are refused). */
  today: string;
  /** Ids of `content/organisations.yaml`; when absent, organisation ids are not checked. */
  organisationIds?: ReadonlySet<string>;
  /**
   * The SMS footer Dalil adds after the short form in this language (see `smsFooterText`): the
   * budget counts it. When absent, the short form alone is counted.
   */
  smsFooter?: (answer: { status: AnswerStatus; reviewed: string; reviewedBy?: string }) => string;
  /** Settings written into texts as `{{retention_days}}` ...; defaults: `DEFAULT_TEXT_SETTINGS`. */
  settings?: Partial<TextSettings>;
}

/** Settings that answers may quote: they come from the configuration, never written as numbers. */
export interface TextSettings {
  /** Days a conversation's state is kept after the last message (STATE_TTL_DAYS). */
  retentionDays: number;
  /** Days an unanswered question is kept for editors (ADMIN_MISSED_RETENTION_DAYS). */
  missedRetentionDays: number;
}

/** The configuration's defaults (STATE_TTL_DAYS, ADMIN_MISSED_RETENTION_DAYS); a test keeps them equal. */
export const DEFAULT_TEXT_SETTINGS: TextSettings = { retentionDays: 30, missedRetentionDays: 30 };

/** The settings answers quote, from the configuration (`STATE_TTL_DAYS`, `ADMIN_MISSED_RETENTION_DAYS`). */
export function textSettingsOf(config: { stateTtlSeconds: number; admin: { missedRetentionDays: number } }): TextSettings {
  return { retentionDays: Math.round(config.stateTtlSeconds / 86_400), missedRetentionDays: config.admin.missedRetentionDays };
}

/** Placeholders answers may use, and the setting each stands for. */
export const TEXT_PLACEHOLDERS: Readonly<Record<string, keyof TextSettings>> = {
  retention_days: 'retentionDays',
  missed_retention_days: 'missedRetentionDays',
};

/**
 * Writes the settings into a text: `{{retention_days}}` becomes the configured number. Unknown
 * placeholders are left as they are (`unknownPlaceholders` reports them).
 */
export function fillSettings(text: string, settings: Partial<TextSettings> = {}): string {
  const all: TextSettings = { ...DEFAULT_TEXT_SETTINGS, ...settings };
  return text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => {
    const key = TEXT_PLACEHOLDERS[name];
    return key ? String(all[key]) : whole;
  });
}

/** Placeholders of `text` that are not settings. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]!).filter((n) => !(n in TEXT_PLACEHOLDERS));
}

/** The outcome of validating one answer file. */
export interface AnswerValidation {
  /** The answer, when the file is usable (required fields present); unknown references are dropped. */
  answer?: TopicAnswer;
  issues: ContentIssue[];
}

/** A text split into its front matter and body, with line numbers. */
export interface FrontMatterSplit {
  /** YAML text between the `---` lines. */
  yaml: string;
  /** File line of the first YAML line. */
  yamlLine: number;
  body: string;
  /** File line of the first body line. */
  bodyLine: number;
}

/** Splits a Markdown file with front matter; reports a missing or unclosed front matter. */
export function splitFrontMatter(text: string, sink: IssueSink): FrontMatterSplit | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') {
    sink.error(
      1,
      'missing front matter: the file must start with a line "---", then the fields (title, status, reviewed, sources, sms ...), then a line "---"',
      { code: 'frontMatter.missing' },
    );
    return undefined;
  }
  const close = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
  if (close < 0) {
    sink.error(1, 'the front matter that starts on line 1 is never closed: add a line "---" after the last field', { code: 'frontMatter.unclosed' });
    return undefined;
  }
  return {
    yaml: lines.slice(1, close).join('\n'),
    yamlLine: 2,
    body: lines.slice(close + 1).join('\n'),
    bodyLine: close + 2,
  };
}

/** Checks a `YYYY-MM-DD` date field; returns it when valid. */
export function checkDate(field: Field | undefined, name: string, today: string, sink: IssueSink, missingLine: number): string | undefined {
  if (!field) {
    sink.error(missingLine, `"${name}" is missing: add the date the facts were last checked, e.g. "${name}: ${today}"`, { code: 'date.missing', params: { field: name, today } });
    return undefined;
  }
  const v = field.value;
  if (typeof v !== 'string' || !isIsoDate(v)) {
    sink.error(field.line, `"${name}" must be a real date written YYYY-MM-DD, e.g. ${today} (found ${show(v)})`, { code: 'date.invalid', params: { field: name, today, found: found(v) } });
    return undefined;
  }
  const age = daysBetween(v, today);
  if (age < 0) {
    sink.error(field.line, `"${name}" date ${v} is in the future (today is ${today})`, { code: 'date.future', params: { field: name, date: v, today } });
    return undefined;
  }
  if (age > REVIEW_MAX_AGE_DAYS) {
    sink.warning(field.line, `"${name}" date ${v} is ${age} days old: check the facts again and update the date`, { code: 'date.old', params: { field: name, date: v, days: age } });
  }
  return v;
}

/** Checks a list of ids (`related`, `organisations`, `cities`, `topics` ...); returns the known ones. */
export function checkIdList(
  field: Field | undefined,
  src: YamlSource,
  sink: IssueSink,
  opts: { what: string; known?: ReadonlySet<string> | readonly string[]; unknownMessage: (id: string) => string; unknownCode: IssueCode['code']; self?: string },
): string[] {
  if (!field || field.value === null) return [];
  const items = itemsOf(field.node, src, field.line);
  if (!items) {
    sink.error(field.line, `"${field.key}" must be a list of ${opts.what}, e.g. [a, b] (found ${show(field.value)})`, { code: 'list.notList', params: { field: field.key, found: found(field.value) } });
    return [];
  }
  const known = opts.known === undefined ? undefined : new Set(opts.known);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    if (typeof item.value !== 'string' || item.value.trim() === '') {
      sink.error(item.line, `"${field.key}" must list ${opts.what} as plain words (found ${show(item.value)})`, { code: 'list.notWord', params: { field: field.key, found: found(item.value) } });
      continue;
    }
    const id = item.value.trim();
    if (seen.has(id)) {
      sink.warning(item.line, `"${id}" is listed twice in "${field.key}"`, { code: 'list.duplicate', params: { field: field.key, id } });
      continue;
    }
    seen.add(id);
    if (known && !known.has(id)) {
      sink.error(item.line, opts.unknownMessage(id) + didYouMean(id, known), { code: opts.unknownCode, params: { id, known: [...known].join(', '), ...suggestion(id, known) } });
      continue;
    }
    if (opts.self !== undefined && id === opts.self) {
      sink.warning(item.line, `"${field.key}" lists this topic itself ("${id}")`, { code: 'list.self', params: { field: field.key, id } });
      continue;
    }
    out.push(id);
  }
  return out;
}

function checkText(field: Field | undefined, name: string, sink: IssueSink, missingLine: number, example: string): string | undefined {
  if (!field) {
    sink.error(missingLine, `"${name}" is missing: add a line such as "${name}: ${example}"`, { code: 'field.missing', params: { field: name } });
    return undefined;
  }
  const v = field.value;
  if (typeof v !== 'string' && typeof v !== 'number') {
    sink.error(field.line, `"${name}" must be text (found ${show(v)})`, { code: 'field.notText', params: { field: name, found: found(v) } });
    return undefined;
  }
  const text = String(v).trim();
  if (text === '') {
    sink.error(field.line, `"${name}" is empty`, { code: 'field.empty', params: { field: name } });
    return undefined;
  }
  return text;
}

/**
 * Checks the short label of menu items and buttons: at most `CHOICE_LABEL_MAX` characters (code
 * points), the WhatsApp quick-reply limit, so no channel cuts it; a warning when there is none
 * (the title is shown instead, and cut on WhatsApp). Returns it when usable.
 */
export function checkLabel(field: Field | undefined, sink: IssueSink, missingLine: number): string | undefined {
  const v = field?.value;
  if (field === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    sink.warning(
      field?.line ?? missingLine,
      `"label" is missing: add a short label for menus and buttons (at most ${CHOICE_LABEL_MAX} characters), e.g. "label: Carte de séjour"; until then the title is shown, cut on WhatsApp`,
      { code: 'label.missing', params: { max: CHOICE_LABEL_MAX } },
    );
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number') {
    sink.error(field.line, `"label" must be text (found ${show(v)})`, { code: 'field.notText', params: { field: 'label', found: found(v) } });
    return undefined;
  }
  const label = String(v).trim().replace(/\s+/g, ' ');
  const length = Array.from(label).length;
  if (length > CHOICE_LABEL_MAX) {
    sink.error(
      field.line,
      `"label" is ${length} characters long: WhatsApp buttons take at most ${CHOICE_LABEL_MAX}; shorten it by ${length - CHOICE_LABEL_MAX} (found ${show(label)})`,
      { code: 'label.tooLong', params: { length, max: CHOICE_LABEL_MAX, over: length - CHOICE_LABEL_MAX } },
    );
    return undefined;
  }
  return label;
}

function checkStatus(field: Field | undefined, sink: IssueSink, missingLine: number): AnswerStatus | undefined {
  const allowed = ANSWER_STATUSES.join(', ');
  if (!field) {
    sink.error(missingLine, `"status" is missing: add "status: published" (or ${allowed})`, { code: 'status.missing', params: { allowed } });
    return undefined;
  }
  const v = field.value;
  if (typeof v !== 'string' || !(ANSWER_STATUSES as readonly string[]).includes(v)) {
    const hint = typeof v === 'string' ? didYouMean(v, ANSWER_STATUSES) : '';
    sink.error(field.line, `"status" must be one of ${allowed} (found ${show(v)})${hint}`, {
      code: 'status.invalid',
      params: { allowed, found: found(v), ...(typeof v === 'string' ? suggestion(v, ANSWER_STATUSES) : {}) },
    });
    return undefined;
  }
  if (v === 'needs-verification') {
    sink.warning(
      field.line,
      'needs verification: users see this answer marked "not yet checked"; a reviewer must check its facts against the sources and record the check in the editors\' app (Review: checked and publish)',
      { code: 'status.needsVerification' },
    );
  }
  return v as AnswerStatus;
}

/**
 * Why an address is not a source, or undefined when it may be one: a page whose text is filler
 * (lorem ipsum), a test server, or a document-sharing site that copies documents without their
 * author (Scribd, 123dok, Yumpu, doczz, docslib, studylib ...). Cite the original instead.
 */
export function notASource(url: string): string | undefined {
  const reason = notASourceReason(url);
  return reason === undefined ? undefined : NOT_A_SOURCE[reason];
}

/** Why an address is not a source (see `notASource`), as the last part of an issue code `notSource.<reason>`. */
export type NotASourceReason = 'notUrl' | 'copy' | 'testServer' | 'filler';

const NOT_A_SOURCE: Record<NotASourceReason, string> = {
  notUrl: 'not a web address',
  copy: "a document-sharing copy, not the original: cite the author's own page",
  testServer: 'a test server',
  filler: 'a page of filler text (lorem ipsum)',
};

/** The reason an address is not a source (see `notASource`), or undefined when it may be one. */
export function notASourceReason(url: string): NotASourceReason | undefined {
  let host: string;
  let rest: string;
  try {
    const u = new URL(url);
    host = u.hostname.toLowerCase();
    rest = (u.pathname + u.search).toLowerCase();
  } catch {
    return 'notUrl';
  }
  if (/(^|\.)(scribd\.com|123dok\.(net|com|org)|yumpu\.com|doczz\.(fr|net)|docslib\.org|studylib(fr)?\.(com|net|fr)|fdocuments\.[a-z]+|vdocuments\.[a-z]+|pdfhall\.com|calameo\.com)$/.test(host)) {
    return 'copy';
  }
  if (/(^|[.-])(test|staging|preprod|dev)[.-]/.test(host) || /^(open-)?test\./.test(host)) return 'testServer';
  if (/lorem|ipsum|sociosqu|litora-torquent|consectetur|adipiscing/.test(rest)) return 'filler';
  return undefined;
}

/** Checks the `sources` list; returns the usable sources. */
export function checkSources(field: Field | undefined, src: YamlSource, sink: IssueSink, missingLine: number): Source[] {
  const hint = 'each source needs a "title" and a "url" (https://...) or a legal reference "ref"';
  if (!field || field.value === null) {
    sink.error(field?.line ?? missingLine, `no sources: list at least one under "sources:" (${hint})`, { code: 'sources.missing' });
    return [];
  }
  const items = itemsOf(field.node, src, field.line);
  if (!items) {
    sink.error(field.line, `"sources" must be a list, each item starting with "- title:" (${hint})`, { code: 'sources.notList' });
    return [];
  }
  if (items.length === 0) {
    sink.error(field.line, `"sources" is empty: list at least one source (${hint})`, { code: 'sources.missing' });
    return [];
  }
  const out: Source[] = [];
  items.forEach((item, i) => {
    const n = i + 1;
    if (!isMap(item.node)) {
      sink.error(item.line, `source ${n} must have named fields "title:" and "url:" or "ref:" (found ${show(item.value)})`, { code: 'source.notMap', params: { n, found: found(item.value) } });
      return;
    }
    const fields = checkKeys(fieldsOf(item.node, src, item.line), SOURCE_FIELDS, sink, `in source ${n}`);
    const str = (key: string): string | undefined => {
      const f = fields.get(key);
      if (!f || f.value === null) return undefined;
      if (typeof f.value !== 'string' && typeof f.value !== 'number') {
        sink.error(f.line, `"${key}" of source ${n} must be text (found ${show(f.value)})`, { code: 'field.notText', params: { field: key, found: found(f.value) } });
        return undefined;
      }
      const s = String(f.value).trim();
      return s === '' ? undefined : s;
    };
    const title = str('title');
    const url = str('url');
    const ref = str('ref');
    let ok = true;
    if (title === undefined) {
      sink.error(fields.get('title')?.line ?? item.line, `source ${n} has no title`, { code: 'source.noTitle', params: { n } });
      ok = false;
    }
    if (url === undefined && ref === undefined) {
      sink.error(item.line, `source ${n} needs a "url" (https://...) or a legal reference "ref"`, { code: 'source.noUrl', params: { n } });
      ok = false;
    }
    if (url !== undefined) {
      const line = fields.get('url')!.line;
      if (/^http:\/\/\S+$/.test(url)) {
        sink.warning(line, `the url of source ${n} starts with http://: use the https:// address if the site has one`, { code: 'source.http', params: { n } });
      } else if (!/^https:\/\/[^\s/]+\.[^\s]+$/.test(url)) {
        sink.error(line, `the url of source ${n} must be a full web address starting with https:// (found ${show(url)})`, { code: 'source.badUrl', params: { n, found: found(url) } });
        ok = false;
      }
      const why = notASourceReason(url);
      if (why) {
        sink.error(line, `source ${n} (${show(url)}) is not a source: ${NOT_A_SOURCE[why]}`, { code: `notSource.${why}`, params: { url: found(url) } });
        ok = false;
      }
    }
    if (ok && title !== undefined) {
      const s: Source = { title };
      if (url !== undefined) s.url = url;
      if (ref !== undefined) s.ref = ref;
      out.push(s);
    }
  });
  return out;
}

/** The text sent by SMS for a short form: the short form, a blank line, then the footer Dalil adds. */
export function smsWithFooter(sms: string, footer?: string): string {
  return footer ? `${sms.trim()}\n\n${footer}` : sms.trim();
}

/**
 * Checks the SMS short form against its segment budget (counting the footer Dalil adds, when
 * given) and encoding; returns it when present. `given.text` is the short form with the settings
 * written in (defaults to the field's text).
 */
export function checkSms(
  field: Field | undefined,
  lang: Lang,
  budget: number,
  sink: IssueSink,
  missingLine: number,
  given: { text?: string; footer?: string } = {},
): string | undefined {
  const sms = given.text ?? checkText(field, 'sms', sink, missingLine, 'Short answer for SMS. Reply 1 for more.');
  if (sms === undefined || !field) return undefined;
  // Counted as the SMS adapter sends it: folded to GSM-7 where the text allows (`gsmFold`).
  const sent = gsmFold(smsWithFooter(sms, given.footer));
  const encoding = smsEncoding(sent);
  const length = smsLength(sent, encoding);
  const segments = smsSegments(sent);
  const limits = SMS_LIMITS[encoding];
  const max = budget <= 1 ? limits.single : budget * limits.multi;
  if (segments > budget) {
    const withFooter = given.footer ? ` with the footer Dalil adds (${JSON.stringify(given.footer)})` : '';
    sink.error(
      field.line,
      `the SMS short form is too long${withFooter}: ${segments} SMS segments in ${encoding} (${length} characters); ` +
        `the limit is ${budget} segment${budget === 1 ? '' : 's'}, i.e. ${max} ${encoding} characters: shorten it by at least ${Math.max(1, length - max)} character${length - max > 1 ? 's' : ''}`,
      { code: 'sms.tooLong', params: { segments, encoding, length, budget, max, over: Math.max(1, length - max) } },
    );
  }
  for (const { word, correct } of foldedWords(sms, lang)) {
    sink.warning(field.line, `"${word}" in the SMS short form: write "${correct}" (that letter exists in GSM-7 and costs nothing extra)`, {
      code: 'sms.foldedWord',
      params: { word, correct },
    });
  }
  if (encoding === 'UCS-2' && lang !== 'ar') {
    const chars = nonGsmChars(sent);
    const safe = toGsmSafe(sent);
    const fix =
      smsEncoding(safe) === 'GSM-7'
        ? 'replace the typographic characters with plain ones (\' " - ...)'
        : 'these characters have no GSM-7 form: write the text without them';
    sink.warning(
      field.line,
      `the SMS short form needs UCS-2 (only ${SMS_LIMITS['UCS-2'].single} characters per SMS instead of ${SMS_LIMITS['GSM-7'].single}) ` +
        `because of ${chars.map((c) => JSON.stringify(c)).join(' ')}: ${fix}`,
      { code: smsEncoding(safe) === 'GSM-7' ? 'sms.ucs2Typographic' : 'sms.ucs2', params: { chars: chars.join(' '), single: SMS_LIMITS['UCS-2'].single, gsm: SMS_LIMITS['GSM-7'].single } },
    );
  }
  return sms;
}

/**
 * An HTML tag or comment (`<script>`, `</b>`, `<img src=x onerror=…>`, `<!-- -->`): answers go as
 * text to chat apps and, through `/api/chat`, to partner sites that may insert them into a page,
 * so they must never carry markup. A lone "<" ("< 18 ans", "<3") is text.
 */
const HTML_TAG = /<(?:\/?[A-Za-z][A-Za-z0-9-]{0,30}(?:[\s/>]|$)|!--|!\[CDATA\[|![A-Za-z])/;

/** Whether `text` contains HTML markup (see `HTML_TAG`). */
export function containsHtml(text: string): boolean {
  return HTML_TAG.test(text);
}

const HTML_MESSAGE = 'HTML is not allowed in answers (found a tag such as <b> or <script>): write plain text, *bold* with stars';

/** Checks the body (full answer); returns it trimmed when not empty. */
export function checkBody(body: string, bodyLine: number, sink: IssueSink): string | undefined {
  const lines = body.split(/\r?\n/);
  lines.forEach((l, i) => {
    const line = bodyLine + i;
    if (containsHtml(l)) sink.error(line, HTML_MESSAGE, { code: 'body.html' });
    if (/^\s{0,3}#{1,6}\s/.test(l)) {
      sink.warning(line, 'headings (#) are not shown on chat channels: use a *bold* line instead', { code: 'body.heading' });
    }
    if (l.includes('**')) sink.warning(line, 'bold is written with single stars: *bold*, not **bold**', { code: 'body.doubleStars' });
    if (/\[[^\]]+\]\([^)]+\)/.test(l)) {
      sink.warning(line, 'Markdown links [text](url) are not shown on chat channels: write the address itself', { code: 'body.markdownLink' });
    }
  });
  const trimmed = body.trim();
  if (trimmed === '') {
    sink.error(bodyLine - 1, 'the answer has no text: write the full answer below the closing "---"', { code: 'body.empty' });
    return undefined;
  }
  return trimmed;
}

/**
 * Checks the reviewer record: `reviewed` (date) and `reviewed_by` (the reviewer) go together and
 * are written by a reviewer's action in the editors' app; `status: published` needs them. An
 * answer nobody has checked has neither (it is shown as "not yet checked"). Returns the record,
 * `reviewed: ''` when there is none; undefined on an error that makes the answer unusable.
 */
export function checkReview(
  dateField: Field | undefined,
  byField: Field | undefined,
  status: AnswerStatus | undefined,
  today: string,
  sink: IssueSink,
): { reviewed: string; reviewedBy?: string } | undefined {
  const by = byField === undefined || byField.value === null ? undefined : byField.value;
  if (by !== undefined && (typeof by !== 'string' || by.trim() === '')) {
    sink.error(byField!.line, `"reviewed_by" must be the user name of the reviewer (found ${show(by)})`, { code: 'review.byNotText', params: { found: found(by) } });
    return undefined;
  }
  const hasDate = dateField !== undefined && dateField.value !== null;
  const reviewed = hasDate ? checkDate(dateField, 'reviewed', today, sink, dateField.line) : '';
  if (reviewed === undefined) return undefined;
  if (hasDate && by === undefined) {
    sink.error(
      dateField.line,
      '"reviewed" has no "reviewed_by": a checked date is recorded only by a reviewer\'s action in the editors\' app, ' +
        'with the reviewer\'s name; remove the date until a reviewer has checked the facts',
      { code: 'review.dateWithoutBy' },
    );
    return undefined;
  }
  if (!hasDate && by !== undefined) {
    sink.error(byField!.line, '"reviewed_by" needs the date of the review in "reviewed"', { code: 'review.byWithoutDate' });
    return undefined;
  }
  if (status === 'published' && !hasDate) {
    sink.error(
      1,
      '"status: published" needs a reviewer record ("reviewed" and "reviewed_by"), written when a reviewer approves the answer ' +
        'in the editors\' app: set "status: needs-verification" until then',
      { code: 'status.publishedUnreviewed' },
    );
    return undefined;
  }
  return by === undefined ? { reviewed } : { reviewed, reviewedBy: (by as string).trim() };
}

/**
 * Validates one answer file and builds its `TopicAnswer`. Pure (no I/O, no clock): the same
 * rules serve `content:check`, the loader and the admin editor.
 */
export function validateAnswer(text: string, ctx: AnswerContext): AnswerValidation {
  const issues: ContentIssue[] = [];
  const sink = issueSink(ctx.file, issues);
  const split = splitFrontMatter(text, sink);
  if (!split) return { issues };
  const src = parseYaml(split.yaml, split.yamlLine, sink, 'the front matter');
  if (!src) return { issues };
  const root = src.doc.contents;
  if (!isMap(root)) {
    sink.error(
      root ? src.line(root, 2) : 1,
      root ? 'the front matter must be a list of fields such as "title: ..."' : 'the front matter is empty: add title, status, reviewed, sources and sms',
      { code: root ? 'frontMatter.notFields' : 'frontMatter.empty' },
    );
    return { issues };
  }
  const fields = checkKeys(fieldsOf(root, src, 2), ANSWER_FIELDS, sink, 'in the front matter');
  const title = checkText(fields.get('title'), 'title', sink, 1, 'Residence card');
  const label = checkLabel(fields.get('label'), sink, 1);
  const status = checkStatus(fields.get('status'), sink, 1);
  const review = checkReview(fields.get('reviewed'), fields.get('reviewed_by'), status, ctx.today, sink);
  const sources = checkSources(fields.get('sources'), src, sink, 1);
  const related = checkIdList(fields.get('related'), src, sink, {
    what: 'topic ids',
    known: TOPIC_IDS,
    unknownMessage: (id) => `unknown topic "${id}" in "related" (topic ids are listed in taxonomy.md)`,
    unknownCode: 'related.unknown',
    self: ctx.topic,
  }).filter(isTopicId);
  const organisations = checkIdList(fields.get('organisations'), src, sink, {
    what: 'organisation ids',
    known: ctx.organisationIds,
    unknownMessage: (id) => `unknown organisation "${id}" in "organisations" (ids are those of content/organisations.yaml)`,
    unknownCode: 'organisations.unknown',
  });
  const rawSms = checkText(fields.get('sms'), 'sms', sink, 1, 'Short answer for SMS. Reply 1 for more.');
  for (const [name, value] of [['title', title], ['sms', rawSms]] as const) {
    if (value !== undefined && containsHtml(value)) sink.error(fields.get(name)?.line ?? 1, `"${name}": ${HTML_MESSAGE}`, { code: 'field.html', params: { field: name } });
  }
  const body = checkBody(split.body, split.bodyLine, sink);
  for (const [name, text, line] of [
    ['sms', rawSms, fields.get('sms')?.line ?? 1],
    ['the answer', body, split.bodyLine],
  ] as const) {
    for (const p of unknownPlaceholders(text ?? '')) {
      const known = Object.keys(TEXT_PLACEHOLDERS).map((k) => `{{${k}}}`).join(', ');
      sink.error(line, `unknown placeholder {{${p}}} in ${name} (known: ${known})`, { code: 'placeholder.unknown', params: { placeholder: `{{${p}}}`, field: name === 'sms' ? 'sms' : 'body', known } });
    }
  }
  const sms = rawSms === undefined ? undefined : fillSettings(rawSms, ctx.settings);
  if (sms !== undefined) {
    // The footer depends on the review record; without a usable one, the short form alone is counted.
    const footer =
      status !== undefined && review !== undefined
        ? ctx.smsFooter?.({ status, reviewed: review.reviewed, ...(review.reviewedBy ? { reviewedBy: review.reviewedBy } : {}) })
        : undefined;
    checkSms(fields.get('sms'), ctx.lang, ctx.smsShortFormSegments, sink, 1, { text: sms, ...(footer ? { footer } : {}) });
  }
  if (title === undefined || status === undefined || review === undefined || sms === undefined || body === undefined) {
    return { issues };
  }
  const answer: TopicAnswer = {
    topic: ctx.topic,
    lang: ctx.lang,
    title,
    sms,
    body: fillSettings(body, ctx.settings),
    sources,
    reviewed: review.reviewed,
    status,
    related,
    organisations,
    file: ctx.file,
  };
  if (label !== undefined) answer.label = label;
  if (review.reviewedBy) answer.reviewedBy = review.reviewedBy;
  if (answer.sms !== rawSms || answer.body !== body) answer.template = { sms: rawSms!, body };
  return { answer, issues };
}
