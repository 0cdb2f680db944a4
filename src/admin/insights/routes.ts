/**
 * The Insights page (administrators and reviewers): GET /insights with its filters, the CSV and
 * JSON exports, their README and the page's stylesheet. Every number goes through `buildReport`
 * or `exportRows`, which hide small counts.
 */
import type { Request, Router } from 'express';
import { CHANNEL_IDS, dayOf, isTopicId, LANGS } from '../../domain/index.js';
import type { AdminHttp } from '../http/context.js';
import { str } from '../http/form.js';
import { titleOf } from '../http/titles.js';
import { exportReadme, toCsv, toJson } from './export.js';
import { buildReport, exportRows, type InsightsQuery } from './report.js';
import { INSIGHTS_CSS, insightsPage, PERIODS } from './views.js';

/** The filter of a request: a period offered (default 30 days) ending today, a channel, a language. */
function filterOf(req: Request, today: string): { period: number; channel: string; lang: string; query: InsightsQuery } {
  const asked = Number(str(req.query.period));
  const period = (PERIODS as readonly number[]).includes(asked) ? asked : 30;
  const channel = (CHANNEL_IDS as readonly string[]).includes(str(req.query.channel)) ? str(req.query.channel) : '';
  const lang = (LANGS as readonly string[]).includes(str(req.query.lang)) ? str(req.query.lang) : '';
  const from = dayOf(Date.parse(`${today}T00:00:00Z`) - (period - 1) * 86_400_000);
  return { period, channel, lang, query: { from, to: today, ...(channel ? { channel } : {}), ...(lang ? { lang } : {}) } };
}

/** Adds the Insights routes to the admin router (nothing when the admin has no recorder). */
export function mountInsightsRoutes(router: Router, http: AdminHttp): void {
  const { insights } = http;
  if (!insights) return;
  const { recorder, settings } = insights;
  const today = (): string => dayOf(http.now());

  router.get('/insights/insights.css', (_req, res) => {
    res.set('Cache-Control', 'private, max-age=300').type('text/css').send(INSIGHTS_CSS);
  });

  router.get('/insights', http.need('reviewer'), async (req, res) => {
    const ctx = await http.ctxOf(req, res);
    const f = filterOf(req, today());
    const report = buildReport(await recorder.read(f.query.from, f.query.to), f.query, { minCount: settings.minCount, roundTo: settings.roundTo, smsSegmentPrice: settings.smsSegmentPrice });
    const kb = http.workspace.kb();
    const cities = new Map([...kb.cities].map(([id, c]) => [id, { name: c.names[ctx.lang] || c.names.fr || id, lat: c.location.lat, lon: c.location.lon }]));
    res.type('html').send(
      insightsPage(ctx, {
        report,
        filter: { period: f.period, channel: f.channel, lang: f.lang },
        topicTitle: (topic) => (isTopicId(topic) ? titleOf(kb, topic, ctx.lang) : topic),
        cities,
        roundTo: settings.roundTo,
        price: settings.smsSegmentPrice,
        currency: settings.smsCurrency,
      }),
    );
  });

  router.get('/insights/export.:format', http.need('reviewer'), async (req, res) => {
    const format = req.params.format;
    if (format !== 'csv' && format !== 'json') return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    const f = filterOf(req, today());
    const rows = exportRows(await recorder.read(f.query.from, f.query.to), f.query, { minCount: settings.minCount, roundTo: settings.roundTo });
    const name = `dalil-insights-${f.query.from}-${f.query.to}.${format}`;
    res.set('Content-Disposition', `attachment; filename="${name}"`);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(toCsv(rows, settings.minCount));
    else res.type('application/json; charset=utf-8').send(toJson(rows, f.query, settings.minCount));
  });

  router.get('/insights/README.md', http.need('reviewer'), (_req, res) => {
    res.type('text/markdown; charset=utf-8').send(exportReadme(settings.minCount, settings.roundTo, recorder.retentionDays));
  });
}
