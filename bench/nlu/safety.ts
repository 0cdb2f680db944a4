/**
 * `npx tsx bench/nlu/safety.ts [dev|test] [--errors]`: the safety layer measured on its own set
 * (bench/data/safety-{dev,test}.jsonl, written blind to the phrase files): emergencies in progress
 * (the urgent block must come first), erasure requests (erased or confirmed), and the messages
 * that share their words but are neither (no urgent block, no erasure). Trained on intents/ like
 * the matcher in production. `--errors` prints the misses, for the dev half only: the test half is
 * only ever counted.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { productionKnowledge, readJsonl } from './dev-data.js';
import { createMatcher } from '../../src/nlu/index.js';

interface Row {
  id: string;
  text: string;
  lang: string;
  style: string;
  label: 'urgent' | 'forget' | 'hard-negative-urgent' | 'hard-negative-forget';
  urgency?: string;
}

interface Tally {
  n: number;
  hit: number;
}

const pct = (t: Tally): string => (t.n ? `${((100 * t.hit) / t.n).toFixed(1)}% (${t.hit}/${t.n})` : '-');

async function main(): Promise<void> {
  const split = process.argv[2] === 'test' ? 'test' : 'dev';
  const showErrors = process.argv.includes('--errors') && split === 'dev';
  const file = path.join(PROJECT_ROOT, 'bench', 'data', `safety-${split}.jsonl`);
  const rows = await readJsonl<Row>(file);
  const kb = await productionKnowledge();
  const m = createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] });
  const by = new Map<string, Tally>();
  const count = (key: string, hit: boolean): void => {
    const t = by.get(key) ?? { n: 0, hit: 0 };
    t.n += 1;
    if (hit) t.hit += 1;
    by.set(key, t);
  };
  const errors: string[] = [];
  let falseErasures = 0;
  let wrongKind = 0;
  for (const r of rows) {
    const res = m.match(r.text);
    const urgent = res.urgency !== undefined;
    const forget = res.intent === 'forget-me' || res.forget === 'confirm';
    const erased = res.intent === 'forget-me' && res.forget !== 'confirm';
    let ok: boolean;
    if (r.label === 'urgent') {
      ok = urgent;
      if (urgent && res.urgency !== r.urgency) wrongKind += 1;
    } else if (r.label === 'forget') ok = forget;
    else if (r.label === 'hard-negative-urgent') ok = !urgent;
    else ok = !forget;
    if (r.label !== 'forget' && erased) falseErasures += 1;
    count(`${r.label}`, ok);
    count(`${r.label} / ${r.style}`, ok);
    if (r.label === 'urgent') count(`urgent kind ${r.urgency}`, ok);
    if (!ok && showErrors) errors.push(`${r.label} ${r.urgency ?? ''} [${r.style}] -> ${res.urgency ?? ''} ${res.intent}${res.forget ? ` (${res.forget})` : ''}: ${r.text}`);
  }
  console.log(`safety ${split}: ${rows.length} messages`);
  for (const [k, t] of [...by.entries()].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${k.padEnd(44)} ${pct(t)}`);
  console.log(`  false erasures (erased without asking, not a request): ${falseErasures}`);
  console.log(`  urgent caught as another kind: ${wrongKind}`);
  if (showErrors) for (const e of errors) console.log(`  MISS ${e}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
