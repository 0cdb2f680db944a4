/**
 * Evaluation metrics for intent matching (pure): top-1 accuracy, in-scope accuracy, macro-F1,
 * out-of-scope precision and recall, per language and overall, and the most confused pairs.
 */

/** One evaluated message: its gold label and the predicted one (`oosLabel` for out of scope). */
export interface EvalItem {
  lang: string;
  gold: string;
  predicted: string;
}

/** Metrics of a set of items. Ratios in [0, 1]; `null` when undefined (no such item). */
export interface EvalStats {
  n: number;
  inScope: number;
  outOfScope: number;
  /** Top-1 accuracy over every item (out of scope counts as a label). */
  accuracy: number;
  /** Accuracy over in-scope items (answering out of scope counts as wrong). */
  inScopeAccuracy: number | null;
  /** Macro-F1 over all labels seen (gold or predicted), out-of-scope included. */
  macroF1: number;
  oosPrecision: number | null;
  oosRecall: number | null;
}

/** A full evaluation report. */
export interface EvalReport {
  overall: EvalStats;
  byLang: Record<string, EvalStats>;
  confusions: Array<{ gold: string; predicted: string; count: number }>;
}

function stats(items: readonly EvalItem[], oosLabel: string): EvalStats {
  let ok = 0;
  let inScope = 0;
  let inOk = 0;
  let oos = 0;
  let oosTp = 0;
  let oosPred = 0;
  const tp = new Map<string, number>();
  const goldCount = new Map<string, number>();
  const predCount = new Map<string, number>();
  for (const it of items) {
    goldCount.set(it.gold, (goldCount.get(it.gold) ?? 0) + 1);
    predCount.set(it.predicted, (predCount.get(it.predicted) ?? 0) + 1);
    const hit = it.gold === it.predicted;
    if (hit) {
      ok++;
      tp.set(it.gold, (tp.get(it.gold) ?? 0) + 1);
    }
    if (it.predicted === oosLabel) oosPred++;
    if (it.gold === oosLabel) {
      oos++;
      if (hit) oosTp++;
    } else {
      inScope++;
      if (hit) inOk++;
    }
  }
  const labels = new Set([...goldCount.keys(), ...predCount.keys()]);
  let f1Sum = 0;
  for (const l of labels) {
    const t = tp.get(l) ?? 0;
    const p = predCount.get(l) ?? 0;
    const g = goldCount.get(l) ?? 0;
    f1Sum += p + g > 0 ? (2 * t) / (p + g) : 0;
  }
  return {
    n: items.length,
    inScope,
    outOfScope: oos,
    accuracy: items.length ? ok / items.length : 0,
    inScopeAccuracy: inScope ? inOk / inScope : null,
    macroF1: labels.size ? f1Sum / labels.size : 0,
    oosPrecision: oosPred ? oosTp / oosPred : null,
    oosRecall: oos ? oosTp / oos : null,
  };
}

/** Evaluates predictions; `oosLabel` names the out-of-scope label in `gold` and `predicted`. */
export function evaluate(items: readonly EvalItem[], oosLabel: string, topConfusions = 10): EvalReport {
  const byLangItems = new Map<string, EvalItem[]>();
  for (const it of items) byLangItems.set(it.lang, [...(byLangItems.get(it.lang) ?? []), it]);
  const byLang: Record<string, EvalStats> = {};
  for (const [lang, list] of [...byLangItems].sort((a, b) => (a[0] < b[0] ? -1 : 1))) byLang[lang] = stats(list, oosLabel);
  const pairs = new Map<string, number>();
  for (const it of items) if (it.gold !== it.predicted) pairs.set(`${it.gold}\u0000${it.predicted}`, (pairs.get(`${it.gold}\u0000${it.predicted}`) ?? 0) + 1);
  const confusions = [...pairs]
    .map(([k, count]) => {
      const [gold = '', predicted = ''] = k.split('\u0000');
      return { gold, predicted, count };
    })
    .sort((a, b) => b.count - a.count || (a.gold < b.gold ? -1 : 1))
    .slice(0, topConfusions);
  return { overall: stats(items, oosLabel), byLang, confusions };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : (100 * x).toFixed(1));

/** The report as Markdown tables. */
export function formatReport(report: EvalReport, title = 'Evaluation'): string {
  const head = '| set | n | in-scope | oos | top-1 acc | in-scope acc | macro-F1 | oos precision | oos recall |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|';
  const row = (name: string, s: EvalStats): string =>
    `| ${name} | ${s.n} | ${s.inScope} | ${s.outOfScope} | ${pct(s.accuracy)} | ${pct(s.inScopeAccuracy)} | ${pct(s.macroF1)} | ${pct(s.oosPrecision)} | ${pct(s.oosRecall)} |`;
  const lines = [`### ${title}`, '', head];
  for (const [lang, s] of Object.entries(report.byLang)) lines.push(row(lang, s));
  lines.push(row('**all**', report.overall), '');
  if (report.confusions.length) {
    lines.push('Most confused (gold -> predicted, count):', '');
    for (const c of report.confusions) lines.push(`- ${c.gold} -> ${c.predicted}: ${c.count}`);
    lines.push('');
  }
  return lines.join('\n');
}
