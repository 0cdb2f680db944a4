/**
 * The Insights page: filters, headline numbers, then charts people can take in at a glance
 * (server-side SVG, see charts.ts), each with its numbers in a table below, and the exports.
 * Everything shown comes from a protected `Report`: small counts are already `null` ("<N>").
 */
import { CHANNEL_IDS, LANGS, type Lang } from '../../domain/index.js';
import { html, type Html } from '../html.js';
import { CONTENT_LANG_NAMES } from '../i18n.js';
import { page, type ViewContext } from '../views/layout.js';
import { cityMap, hBars, legend, shownText, sparkline, stackedBars } from './charts.js';
import { insightsText, type InsightsKey } from './locales.js';
import type { Report, Shown, TimeSeries } from './report.js';

/** Channel names as editors know them. */
export const CHANNEL_NAMES: Record<string, string> = { web: 'Web', telegram: 'Telegram', whatsapp: 'WhatsApp', sms: 'SMS', botframework: 'Teams / Bot Framework', cli: 'Terminal' };

/** Periods offered by the filter (days). */
export const PERIODS = [7, 30, 90, 365] as const;

/** What the page needs besides the report. */
export interface InsightsView {
  report: Report;
  /** The filter as chosen (period in days). */
  filter: { period: number; channel: string; lang: string };
  topicTitle: (topic: string) => string;
  cities: ReadonlyMap<string, { name: string; lat: number; lon: number }>;
  /** Shown counts are multiples of this (1: exact). */
  roundTo: number;
  price: number;
  currency: string;
}

const LOCALES = { fr: 'fr-FR', en: 'en-GB', ar: 'ar-MA-u-nu-latn' } as const;

/** The Insights page. */
export function insightsPage(ctx: ViewContext, v: InsightsView): string {
  const t = insightsText(ctx.lang);
  const { report: r } = v;
  const locale = LOCALES[ctx.lang];
  const min = r.minCount;
  // "<5" is isolated left to right: in an Arabic page it would otherwise read "5>".
  const show = (n: Shown): Html | string => (n === null ? html`<bdi dir="ltr">&lt;${min}</bdi>` : shownText(n, min, locale));
  const b = ctx.base;
  const query = new URLSearchParams({ period: String(v.filter.period), ...(v.filter.channel ? { channel: v.filter.channel } : {}), ...(v.filter.lang ? { lang: v.filter.lang } : {}) }).toString();
  const editLang: Lang = (LANGS as readonly string[]).includes(v.filter.lang) ? (v.filter.lang as Lang) : 'fr';
  const step = t(r.step);
  const seriesText = (label: string, nameOf: (n: string) => string) => ({ label, nameOf, minCount: min, locale });
  const channelName = (n: string): string => CHANNEL_NAMES[n] ?? n;
  const langName = (n: string): string => CONTENT_LANG_NAMES[n as Lang] ?? n;
  const urgencyName = (n: string): string => t(`urgency.${n}` as InsightsKey);

  const filters = html`<form method="get" action="${b}/insights" class="ins-filters card">
    <label>${t('period')}<select name="period">${PERIODS.map((p) => html`<option value="${p}"${p === v.filter.period ? ' selected' : ''}>${t('last', { n: p })}</option>`)}</select></label>
    <label>${t('channel')}<select name="channel"><option value="">${t('all')}</option>${CHANNEL_IDS.filter((c) => c !== 'cli').map((c) => html`<option value="${c}"${c === v.filter.channel ? ' selected' : ''}>${channelName(c)}</option>`)}</select></label>
    <label>${t('language')}<select name="lang"><option value="">${t('all')}</option>${LANGS.map((l) => html`<option value="${l}"${l === v.filter.lang ? ' selected' : ''}>${langName(l)}</option>`)}</select></label>
    <button type="submit" class="primary">${t('apply')}</button>
  </form>`;

  const tile = (label: string, value: Html | string, id: string): Html => html`<div class="ins-tile" data-tile="${id}"><dt>${label}</dt><dd>${value}</dd></div>`;
  const tiles = html`<dl class="ins-tiles">
    ${tile(t('questions'), show(r.totals.questions), 'questions')}
    ${tile(t('answered'), show(r.totals.answered), 'answered')}
    ${tile(t('unanswered'), show(r.totals.unanswered), 'unanswered')}
    ${tile(t('helpful'), html`${show(r.totals.helpfulYes)} / ${show(r.totals.helpfulNo)}`, 'helpful')}
    ${tile(t('latency'), r.medianLatencyMs !== undefined ? t('ms', { n: r.medianLatencyMs.toLocaleString(locale) }) : '–', 'latency')}
    ${tile(t('smsSegments'), show(r.totals.smsSegments), 'sms')}
    ${r.smsCost !== null ? tile(t('smsCost'), `${r.smsCost.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${v.currency}`, 'cost') : ''}
  </dl>`;

  const table = (ts: TimeSeries, nameOf: (n: string) => string): Html =>
    html`<details><summary>${t('data')}</summary><div class="scroll"><table class="ins-data"><thead><tr><th scope="col"></th>${ts.series.map((s) => html`<th scope="col">${nameOf(s.name)}</th>`)}</tr></thead>
      <tbody>${ts.periods.map((p, i) => html`<tr><th scope="row">${p}</th>${ts.series.map((s) => html`<td>${show(s.values[i] ?? 0)}</td>`)}</tr>`)}</tbody>
      <tfoot><tr><th scope="row">Σ</th>${ts.series.map((s) => html`<td>${show(s.total)}</td>`)}</tr></tfoot></table></div></details>`;
  const seriesCard = (id: string, title: string, ts: TimeSeries, nameOf: (n: string) => string): Html =>
    html`<section class="card ins-card" id="${id}"><h2>${title}</h2>
      ${ts.series.length === 0 ? html`<p class="empty">${t('none')}</p>` : html`${legend(ts.series.map((s) => s.name), { nameOf })}${stackedBars(ts, seriesText(title, nameOf))}${table(ts, nameOf)}`}</section>`;

  const topTopics = html`<section class="card ins-card" id="topics"><h2>${t('topTopics')}</h2>
    ${r.topTopics.length === 0 ? html`<p class="empty">${t('none')}</p>` : html`<div class="scroll"><table class="ins-data"><thead><tr><th scope="col">${t('topic')}</th><th scope="col">${t('answers')}</th><th scope="col">${t('trend')}</th></tr></thead><tbody>
      ${r.topTopics.map((x) => html`<tr><th scope="row"><a href="${b}/topics/${x.topic}/${editLang}">${v.topicTitle(x.topic)}</a></th><td>${show(x.answered)}</td><td>${sparkline(x.trend, `${t('trend')} · ${v.topicTitle(x.topic)}`)}</td></tr>`)}
    </tbody></table></div>`}</section>`;

  const problems = html`<section class="card ins-card" id="problems"><h2>${t('problemTopics')}</h2><p class="hint">${t('problemLead')}</p>
    ${r.problemTopics.length === 0 ? html`<p class="empty">${t('none')}</p>` : html`<div class="scroll"><table class="ins-data"><thead><tr><th scope="col">${t('topic')}</th><th scope="col">${t('unanswered')}</th><th scope="col">${t('notHelpful')}</th><th scope="col">${t('helpfulYes')}</th></tr></thead><tbody>
      ${r.problemTopics.map((x) => html`<tr data-topic="${x.topic}"><th scope="row">${v.topicTitle(x.topic)}
        <span class="ins-links"><a href="${b}/topics/${x.topic}/${editLang}">${t('edit')}</a> · <a href="${b}/missed">${t('missed')}</a></span></th><td>${show(x.unanswered)}</td><td>${show(x.helpfulNo)}</td><td>${show(x.helpfulYes)}</td></tr>`)}
    </tbody></table></div>`}</section>`;

  const cityRows = r.cities.map((c) => ({ ...c, place: v.cities.get(c.city) }));
  const cities = html`<section class="card ins-card" id="cities"><h2>${t('cities')}</h2><p class="hint">${t('citiesLead', { min })}</p>
    ${cityRows.length === 0 ? html`<p class="empty">${t('none')}</p>` : html`<div class="ins-split">
      ${cityMap(cityRows.filter((c) => c.place).map((c) => ({ name: c.place!.name, lat: c.place!.lat, lon: c.place!.lon, value: c.turns })), { label: t('cities'), minCount: min, locale })}
      ${hBars(cityRows.map((c) => ({ label: c.place?.name ?? c.city, value: c.turns })), { label: t('cities'), minCount: min, locale })}</div>`}</section>`;

  const smsSeries: TimeSeries = { periods: r.sms.map((s) => s.period), series: [{ name: 'sms', values: r.sms.map((s) => s.segments), total: r.totals.smsSegments }] };
  const sms = html`<section class="card ins-card" id="sms"><h2>${t('sms')}</h2>
    <p class="hint">${v.price > 0 ? t('smsLead', { price: v.price.toLocaleString(locale), currency: v.currency }) : t('smsNoPrice')}</p>
    ${r.totals.smsSegments === 0 ? html`<p class="empty">${t('none')}</p>` : html`${stackedBars(smsSeries, seriesText(t('sms'), () => t('segments')))}
    <details><summary>${t('data')}</summary><div class="scroll"><table class="ins-data"><thead><tr><th scope="col"></th><th scope="col">${t('segments')}</th>${v.price > 0 ? html`<th scope="col">${t('cost')} (${v.currency})</th>` : ''}</tr></thead><tbody>
      ${r.sms.map((s) => html`<tr><th scope="row">${s.period}</th><td>${show(s.segments)}</td>${v.price > 0 ? html`<td class="ins-money">${s.cost === null ? '–' : s.cost.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}</td>` : ''}</tr>`)}
    </tbody></table></div></details>`}</section>`;

  const exports = html`<section class="card ins-card" id="export"><h2>${t('export')}</h2><p class="hint">${t('exportLead', { min })}</p>
    <p class="ins-export"><a class="button" href="${b}/insights/export.csv?${query}" download>CSV</a> <a class="button" href="${b}/insights/export.json?${query}" download>JSON</a> <a href="${b}/insights/README.md">${t('readme')}</a></p></section>`;

  return page(
    ctx,
    t('title'),
    html`<link rel="stylesheet" href="${b}/insights/insights.css">
    <h1>${t('title')}</h1><p class="lead">${t('lead', { min })}${v.roundTo > 1 ? html` ${t('rounded', { n: v.roundTo })}` : ''}</p>
    ${filters}${tiles}
    <div class="ins-grid">
      ${seriesCard('by-channel', t('byChannel', { step }), r.byChannel, channelName)}
      ${seriesCard('by-lang', t('byLang', { step }), r.byLang, langName)}
      ${topTopics}${problems}${cities}${sms}
      ${seriesCard('urgent', t('urgent'), r.urgentByWeek, urgencyName)}
      ${exports}
    </div>`,
  );
}

/** The page's own styles (served by the insights routes; the admin's CSP allows only its own files). */
export const INSIGHTS_CSS = `
.ins-filters { display:flex; flex-wrap:wrap; gap:.6rem 1rem; align-items:flex-end; }
.ins-filters label { flex:1 1 9rem; margin:0; }
.ins-filters button { flex:0 0 auto; }
.ins-tiles { display:grid; grid-template-columns:repeat(auto-fill, minmax(9.5rem, 1fr)); gap:.6rem; margin:.8rem 0; }
.ins-tile { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:.5rem .8rem; margin:0; }
.ins-tile dt { color:var(--muted); font-size:.85rem; }
.ins-tile dd { margin:0; font-size:1.5rem; font-weight:700; font-variant-numeric:tabular-nums; }
.ins-grid { display:grid; grid-template-columns:1fr; gap:0 1rem; }
@media (min-width:1000px) { .ins-grid { grid-template-columns:1fr 1fr; } }
.ins-card { min-width:0; margin:.5rem 0; }
.ins-card h2 { font-size:1.05rem; margin:.1rem 0 .4rem; }
.ins-chart { width:100%; height:auto; display:block; }
.ins-legend { list-style:none; display:flex; flex-wrap:wrap; gap:.2rem .9rem; padding:0; margin:.2rem 0 .4rem; font-size:.85rem; }
.ins-legend li { display:flex; align-items:center; gap:.3rem; }
.ins-data { font-size:.85rem; font-variant-numeric:tabular-nums; }
.ins-data td { text-align:end; }
.ins-data thead th { white-space:nowrap; }
.ins-data tbody th { min-width:8rem; }
.ins-links { display:block; font-weight:normal; font-size:.8rem; white-space:nowrap; }
.ins-split { display:grid; grid-template-columns:1fr; gap:.8rem; align-items:start; }
@media (min-width:600px) { .ins-split { grid-template-columns:minmax(0, 1fr) minmax(0, 1fr); } }
.ins-map { width:100%; max-width:360px; height:auto; }
.ins-hbars { list-style:none; padding:0; margin:0; font-size:.9rem; }
.ins-hbars li { display:grid; grid-template-columns:7.5rem 1fr 3rem; gap:.4rem; align-items:center; margin:.15rem 0; }
.ins-hbars svg { width:100%; height:.8rem; }
.ins-hv { text-align:end; font-variant-numeric:tabular-nums; }

.ins-export .button { margin-inline-end:.4rem; }
details summary { cursor:pointer; color:var(--muted); font-size:.85rem; }
`;
