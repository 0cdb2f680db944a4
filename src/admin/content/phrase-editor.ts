/**
 * The phrase editor: the training phrases of one intent in one language, added and removed
 * line by line, checked against the other intents' phrases.
 */
import type { Request, Response } from 'express';
import { isIntentId, isLang, isTopicId, type ContentIssue, type IntentId, type Lang } from '../../domain/index.js';
import { phrasesKey } from '../../knowledge/publish.js';
import { hasRole } from '../auth/accounts.js';
import type { AdminHttp } from '../http/context.js';
import { asArray, str } from '../http/form.js';
import { titleOf } from '../http/titles.js';
import type { DraftEditorKind } from './draft-editor.js';
import { editPhrases, phrasesOf } from './phrases.js';
import { phrasesPage, type PhrasesView } from './views.js';

/** A phrase file named by the URL. */
export interface IntentLang {
  intent: IntentId;
  lang: Lang;
}

/** The intent and language of `/phrases/:intent/:lang`, if valid. */
function intentLang(req: Request): IntentLang | undefined {
  const { intent, lang } = req.params as { intent?: string; lang?: string };
  return intent && isIntentId(intent) && isLang(lang) ? { intent, lang } : undefined;
}

/** The phrase editor on the shared draft-editor path. */
export function phraseEditor(http: AdminHttp): DraftEditorKind<IntentLang, never> {
  return {
    path: '/phrases/:intent/:lang',
    target: intentLang,
    key: (t) => phrasesKey(t.lang, t.intent),
    url: (t) => `/phrases/${t.intent}/${t.lang}`,
    withNote: false,
    edit(body, file, publishing) {
      const base = file.draft?.text ?? file.published ?? '';
      const text = editPhrases(base, str(body.add).split(/\r?\n/), asArray(body.remove));
      if (text !== base) return { text };
      // Nothing added or removed: publishing still publishes the draft there is.
      return publishing ? {} : 'unchanged';
    },
    async page(req, res, t, submitted) {
      const ctx = await http.ctxOf(req, res);
      return phrasesPage(ctx, await phrasesView(http, t, res, ctx.lang, submitted?.refused));
    },
  };
}

/** Everything the phrase editor page shows. */
async function phrasesView(http: AdminHttp, { intent, lang }: IntentLang, res: Response, uiLang: string, refused?: ContentIssue[]): Promise<PhrasesView> {
  const ws = http.workspace;
  const key = phrasesKey(lang, intent);
  const [draft, published] = await Promise.all([ws.draft(key), ws.published(key)]);
  const text = draft?.text ?? published ?? '';
  return {
    intent,
    lang,
    title: isTopicId(intent) ? titleOf(ws.kb(), intent, lang) : intent,
    topicTitle: isTopicId(intent) ? titleOf(ws.kb(), intent, uiLang) : intent,
    phrases: phrasesOf(text),
    ...(draft ? { draft } : {}),
    issues: ws.check(key, text).map((i) => ({ severity: i.severity, message: i.message, line: i.line, ...(i.code ? { code: i.code, params: i.params } : {}) })),
    canPublish: hasRole(http.me(res).role, 'reviewer'),
    ...(refused ? { refused } : {}),
  };
}
