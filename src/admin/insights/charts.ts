/**
 * Tiny charts drawn on the server as inline SVG: no script, no library, nothing to download on a
 * phone, allowed by the admin's CSP as they are (presentation attributes, no `style`). Each
 * chart scales with its box (viewBox), has a text alternative, and a `<title>` per mark that a
 * pointer or a screen reader can read. Small counts arrive as `null` (already protected): they
 * are never drawn as a size, and read "<N>".
 */
import { html, type Html } from '../html.js';
import type { Shown, TimeSeries } from './report.js';

/** Colour-blind-safe palette (Okabe–Ito), by series order. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

/** A count as text: the number, or "<N>" for a protected one. */
export function shownText(n: Shown, minCount: number, locale: string): string {
  return n === null ? `<${minCount}` : n.toLocaleString(locale);
}

/** A short period label: `12/03` for a day. */
function shortDay(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}`;
}

/** Options of the charts. */
export interface ChartText {
  /** Accessible name of the chart. */
  label: string;
  /** Name of a series as shown. */
  nameOf: (name: string) => string;
  minCount: number;
  locale: string;
}

/** A legend: a swatch and a name per series. */
export function legend(names: readonly string[], text: Pick<ChartText, 'nameOf'>): Html {
  return html`<ul class="ins-legend">${names.map(
    (n, i) => html`<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${PALETTE[i % PALETTE.length]!}"/></svg> ${text.nameOf(n)}</li>`,
  )}</ul>`;
}

/** Stacked bars over time, one colour per series. */
export function stackedBars(ts: TimeSeries, text: ChartText): Html {
  const W = 640;
  const H = 200;
  const left = 44;
  const bottom = 26;
  const n = ts.periods.length;
  const totals = ts.periods.map((_, i) => ts.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const bw = (W - left) / Math.max(1, n);
  const pad = 10;
  const y = (v: number): number => pad + (H - bottom - pad) * (1 - v / top);
  const grid: Html[] = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(html`<line x1="${left}" x2="${W}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d9d4c7" stroke-width="1"/><text x="${left - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="15" fill="#5b6b66">${v.toLocaleString(text.locale)}</text>`);
  }
  const bars: Html[] = [];
  ts.periods.forEach((p, i) => {
    let base = 0;
    ts.series.forEach((s, j) => {
      const v = s.values[i];
      if (v === null || v === undefined || v === 0) return;
      const y1 = y(base + v);
      bars.push(
        html`<rect x="${(left + i * bw + bw * 0.12).toFixed(1)}" y="${y1.toFixed(1)}" width="${Math.max(1, bw * 0.76).toFixed(1)}" height="${(y(base) - y1).toFixed(1)}" fill="${PALETTE[j % PALETTE.length]!}"><title>${p} · ${text.nameOf(s.name)}: ${v.toLocaleString(text.locale)}</title></rect>`,
      );
      base += v;
    });
    const hidden = ts.series.filter((s) => s.values[i] === null).map((s) => text.nameOf(s.name));
    if (hidden.length > 0) {
      // A small mark says some counts of this period are hidden, without showing their size.
      bars.push(html`<text x="${(left + i * bw + bw / 2).toFixed(1)}" y="${(y(base) - 3).toFixed(1)}" text-anchor="middle" font-size="10" fill="#5b6b66">·<title>${p} · ${hidden.join(', ')}: &lt;${text.minCount}</title></text>`);
    }
  });
  // Axis text stays readable on a phone, where the chart is drawn at about half its width.
  const every = Math.max(1, Math.ceil(n / 6));
  const ticks = ts.periods.map((p, i) =>
    i % every === 0 ? html`<text x="${(left + i * bw + bw / 2).toFixed(1)}" y="${H - 6}" text-anchor="middle" font-size="15" fill="#5b6b66">${shortDay(p)}</text>` : '',
  );
  return html`<svg class="ins-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${text.label}" preserveAspectRatio="xMidYMid meet" direction="ltr">${grid}${bars}${ticks}</svg>`;
}

/** A sparkline of a series (gaps where counts are hidden). */
export function sparkline(values: readonly Shown[], label: string): Html {
  const W = 120;
  const H = 28;
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const x = (i: number): number => (values.length <= 1 ? W / 2 : (i / (values.length - 1)) * (W - 4) + 2);
  const y = (v: number): number => H - 3 - (v / max) * (H - 6);
  const parts: string[] = [];
  let open = false;
  values.forEach((v, i) => {
    if (v === null) {
      open = false;
      return;
    }
    parts.push(`${open ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`);
    open = true;
  });
  return html`<svg class="ins-spark" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${label}" direction="ltr"><path d="${parts.join(' ')}" fill="none" stroke="${PALETTE[0]}" stroke-width="2" stroke-linejoin="round"/></svg>`;
}

/** Horizontal bars (top topics, cities): a label and a bar per row. */
export function hBars(rows: ReadonlyArray<{ label: string; value: Shown; href?: string }>, text: Pick<ChartText, 'minCount' | 'locale' | 'label'>): Html {
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  return html`<ul class="ins-hbars" aria-label="${text.label}">${rows.map(
    (r) => html`<li><span class="ins-hl">${r.href ? html`<a href="${r.href}">${r.label}</a>` : r.label}</span>
      <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect width="${r.value === null ? 0 : Math.max(1, (r.value / max) * 100).toFixed(1)}" height="10" rx="1" fill="${PALETTE[0]}"/></svg>
      <span class="ins-hv">${r.value === null ? html`<bdi dir="ltr">&lt;${text.minCount}</bdi>` : shownText(r.value, text.minCount, text.locale)}</span></li>`,
  )}</ul>`;
}

/**
 * Cities as circles at their place (an equirectangular projection fitted to the cities shown),
 * sized by count; a hidden count is a thin ring with no size. Names of the largest go beside them.
 */
export function cityMap(points: ReadonlyArray<{ name: string; lat: number; lon: number; value: Shown }>, text: Pick<ChartText, 'minCount' | 'locale' | 'label'>): Html {
  const W = 320;
  const H = 300;
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const midLat = ((Math.min(...lats) + Math.max(...lats)) / 2) * (Math.PI / 180);
  const kx = Math.cos(midLat);
  const spanX = Math.max(2, (Math.max(...lons) - Math.min(...lons)) * kx);
  const spanY = Math.max(2, Math.max(...lats) - Math.min(...lats));
  const scale = Math.min((W - 90) / spanX, (H - 50) / spanY);
  const cx = ((Math.max(...lons) + Math.min(...lons)) / 2) * kx;
  const cy = (Math.max(...lats) + Math.min(...lats)) / 2;
  const x = (lon: number): number => W / 2 - 20 + (lon * kx - cx) * scale;
  const y = (lat: number): number => H / 2 - (lat - cy) * scale;
  const max = Math.max(1, ...points.map((p) => p.value ?? 0));
  const sorted = [...points].sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const marks = sorted.map((p, i) => {
    const r = p.value === null ? 3 : 3 + Math.sqrt(p.value / max) * 14;
    const tip = `${p.name}: ${shownText(p.value, text.minCount, text.locale)}`;
    const label = i < 10 ? html`<text x="${(x(p.lon) + r + 3).toFixed(1)}" y="${(y(p.lat) + 4).toFixed(1)}" font-size="11" fill="#1d2b27">${p.name}</text>` : '';
    return html`<g><circle cx="${x(p.lon).toFixed(1)}" cy="${y(p.lat).toFixed(1)}" r="${r.toFixed(1)}" fill="${p.value === null ? 'none' : PALETTE[0]}" fill-opacity="0.5" stroke="${PALETTE[0]}" stroke-width="1.5"><title>${tip}</title></circle>${label}</g>`;
  });
  return html`<svg class="ins-map" viewBox="0 0 ${W} ${H}" role="img" aria-label="${text.label}" direction="ltr"><rect x="1" y="1" width="${W - 2}" height="${H - 2}" rx="8" fill="#eef3f1" stroke="#d9d4c7"/>${marks.reverse()}</svg>`;
}

/** A step for the value axis: 1, 2 or 5 times a power of ten, about four lines. */
function niceStep(max: number): number {
  const raw = max / 4;
  const pow = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  for (const m of [1, 2, 5, 10]) if (raw <= m * pow) return m * pow;
  return 10 * pow;
}
