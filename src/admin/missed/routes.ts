/**
 * Missed questions: the masked questions Dalil could not answer well, grouped; attaching one to a
 * topic as a training phrase (a draft), or dismissing them.
 */
import type { Router } from 'express';
import { isLang, isTopicId, TOPIC_IDS } from '../../domain/index.js';
import { phrasesKey } from '../../knowledge/publish.js';
import { editPhrases } from '../content/phrases.js';
import type { AdminHttp } from '../http/context.js';
import { asArray, formOf, str } from '../http/form.js';
import { titleOf } from '../http/titles.js';
import { groupMissed } from './missed-log.js';
import { missedPage } from './views.js';

/** Adds the routes of the missed questions to the admin router. */
export function mountMissedRoutes(router: Router, http: AdminHttp): void {
  const { missed, workspace: ws } = http;

  router.get('/missed', http.need('editor'), async (req, res) => {
    http.missedChanged();
    const ctx = await http.ctxOf(req, res);
    const kb = ws.kb();
    const topics = TOPIC_IDS.map((id) => ({ id, label: titleOf(kb, id, ctx.lang) }));
    res.type('html').send(missedPage(ctx, groupMissed(await missed.list()).slice(0, 200), topics, Math.min(30, http.settings.missedRetentionDays)));
  });

  router.post('/missed/attach', http.forms, http.need('editor'), async (req, res) => {
    const body = formOf(req);
    const q = await missed.get(str(body.id));
    const topic = str(body.topic);
    const lang = q?.lang ?? str(body.lang);
    if (!q || !isTopicId(topic) || !isLang(lang)) return http.sendError(req, res, 400, 'error.title', 'error.badRequest');
    const phrase = q.text.replace(/\[(?:email|phone|number)\]/g, ' ').replace(/\s+/g, ' ').trim();
    const key = phrasesKey(lang, topic);
    const base = (await ws.draft(key))?.text ?? (await ws.published(key)) ?? '';
    const text = editPhrases(base, [phrase], []);
    if (text !== base) await ws.saveDraft(key, text, http.me(res).username, 'missed');
    await missed.remove([q.id]);
    http.missedChanged();
    http.back(res, `${req.baseUrl}/missed`, 'attached');
  });

  router.post('/missed/dismiss', http.forms, http.need('editor'), async (req, res) => {
    await missed.remove(asArray(formOf(req).ids).slice(0, 1000));
    http.missedChanged();
    http.back(res, `${req.baseUrl}/missed`, 'dismissed');
  });

}
