/**
 * `tsx bench/nlu/cv.ts [--folds 5]`: k-fold cross-validation of Dalil's matcher on its own phrases
 * (intents/): each fold trains `createMatcher` on the other folds (stratified by intent and
 * language, deterministic) and is classified; prints in-scope top-1 per language, out-of-scope
 * precision/recall and top-1 over all phrases. A check on changes chosen on a dev set: a change
 * that only fits the dev set's messages shows here as no gain or a loss.
 */
import { PROJECT_ROOT, loadConfig } from '../../src/config/index.js';
import { OUT_OF_SCOPE } from '../../src/domain/index.js';
import { loadKnowledge } from '../../src/knowledge/index.js';
import { createMatcher, evaluate } from '../../src/nlu/index.js';
import type { EvalItem } from '../../src/nlu/index.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const folds = argv.includes('--folds') ? Number(argv[argv.indexOf('--folds') + 1]) : 5;
  const config = loadConfig();
  const { kb } = await loadKnowledge({ contentDir: config.contentDir, intentsDir: config.intentsDir, smsShortFormSegments: config.smsShortFormSegments, root: PROJECT_ROOT });
  const phrases = [...kb.phrases];
  // Stratified: the phrases of each (intent, language) are dealt to the folds in turn.
  const seen = new Map<string, number>();
  const foldOf = phrases.map((p) => {
    const key = `${p.intent}\u0000${p.lang}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n % folds;
  });
  const items: EvalItem[] = [];
  for (let f = 0; f < folds; f++) {
    const train = phrases.filter((_, i) => foldOf[i] !== f);
    const test = phrases.filter((_, i) => foldOf[i] === f);
    const m = createMatcher({ phrases: train, cities: [...kb.cities.values()] });
    for (const p of test) items.push({ lang: p.lang, gold: p.intent, predicted: m.match(p.text).intent });
  }
  const r = evaluate(items, OUT_OF_SCOPE);
  const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : (100 * x).toFixed(1));
  const langs = ['fr', 'en', 'ar', 'es'];
  process.stdout.write(
    `${folds}-fold CV on ${phrases.length} phrases: in-scope top-1 ${langs.map((l) => `${l} ${pct(r.byLang[l]?.inScopeAccuracy)}`).join(', ')}, all ${pct(r.overall.inScopeAccuracy)}; ` +
      `OOS P ${pct(r.overall.oosPrecision)} R ${pct(r.overall.oosRecall)}; top-1 (all) ${pct(r.overall.accuracy)}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`cv: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
