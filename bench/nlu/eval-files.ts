/**
 * `npx tsx bench/nlu/eval-files.ts FILE.jsonl [FILE.jsonl ...] [--errors] [--kind K]`: the matcher
 * (trained on intents/ as in production) on messages in the blind sets' format (`text`, `lang`,
 * `style`, `intent`, optional `kind`, `urgent`, `forget`; the safety set's `label` is read too):
 * top-1 on in-scope messages by language, style and kind, out-of-scope precision and recall,
 * urgent and erasure recall, false erasures. A development tool: point it at dev data only; a
 * test set is counted once, by the report that states how often it was looked at.
 */
import { createMatcher } from '../../src/nlu/index.js';
import { productionKnowledge, readJsonl } from './dev-data.js';

interface Row {
  id?: string;
  text: string;
  lang: string;
  style?: string;
  kind?: string;
  intent?: string;
  urgent?: boolean;
  forget?: boolean;
  /** The safety set's label instead of intent/urgent/forget. */
  label?: 'urgent' | 'forget' | 'hard-negative-urgent' | 'hard-negative-forget';
}

interface Tally {
  n: number;
  hit: number;
}

const pct = (t: Tally | undefined): string => (t && t.n ? `${((100 * t.hit) / t.n).toFixed(1)}% (${t.hit}/${t.n})` : '-');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const showErrors = args.includes('--errors');
  const kindFilter = args.includes('--kind') ? args[args.indexOf('--kind') + 1] : undefined;
  const files = args.filter((a, i) => a.endsWith('.jsonl') && args[i - 1] !== '--kind');
  const rows: Row[] = [];
  for (const f of files) rows.push(...(await readJsonl<Row>(f)));
  const kb = await productionKnowledge();
  const m = createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()], cacheSize: 0 });
  const by = new Map<string, Tally>();
  const count = (key: string, hit: boolean): void => {
    const t = by.get(key) ?? { n: 0, hit: 0 };
    t.n += 1;
    if (hit) t.hit += 1;
    by.set(key, t);
  };
  const errors: string[] = [];
  let oosPredicted = 0;
  let oosPredictedRight = 0;
  let falseErasures = 0;
  let falseAlarms = 0;
  for (const r of rows) {
    if (kindFilter && r.kind !== kindFilter) continue;
    const res = m.match(r.text);
    const urgentGold = r.urgent ?? r.label === 'urgent';
    const forgetGold = r.forget ?? r.label === 'forget';
    const urgent = res.urgency !== undefined;
    const forget = res.intent === 'forget-me' || res.forget === 'confirm';
    const erased = res.intent === 'forget-me' && res.forget !== 'confirm';
    const style = r.style ?? r.lang;
    const notes: string[] = [];
    if (urgentGold) {
      count('urgent recall', urgent);
      if (!urgent) notes.push('urgent missed');
    } else if (urgent) {
      falseAlarms += 1;
      notes.push(`false urgent (${res.urgency})`);
    }
    if (forgetGold) {
      count('forget recall', forget);
      count('forget erased directly', erased);
      if (!forget) notes.push('forget missed');
    } else if (erased) {
      falseErasures += 1;
      notes.push('FALSE ERASURE');
    }
    if (r.intent !== undefined) {
      const gold = r.intent;
      const predicted = res.intent;
      if (predicted === 'out-of-scope') {
        oosPredicted += 1;
        if (gold === 'out-of-scope') oosPredictedRight += 1;
      }
      if (gold === 'out-of-scope') count('oos recall', predicted === 'out-of-scope');
      else {
        const ok = predicted === gold;
        count('in-scope', ok);
        count(`lang ${r.lang}`, ok);
        count(`style ${style}`, ok);
        if (r.kind) count(`kind ${r.kind}`, ok);
      }
      if (predicted !== gold) notes.push(`${gold} -> ${predicted} ${res.confidence.toFixed(2)}`);
    }
    if (notes.length) errors.push(`${(r.id ?? '').padEnd(14)} [${style}] ${notes.join('; ')} | ${r.text}`);
  }
  const keys = [...by.keys()].sort();
  for (const k of keys) process.stdout.write(`${k.padEnd(34)} ${pct(by.get(k))}\n`);
  if (oosPredicted) process.stdout.write(`${'oos precision'.padEnd(34)} ${pct({ n: oosPredicted, hit: oosPredictedRight })}\n`);
  process.stdout.write(`false erasures ${falseErasures}, false urgent alarms ${falseAlarms}, messages ${rows.length}\n`);
  if (showErrors) for (const e of errors) process.stdout.write(`${e}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
