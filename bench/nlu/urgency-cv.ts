/**
 * `npx tsx bench/nlu/urgency-cv.ts [--folds 5] [--dev FILE.jsonl,...]`: chooses the urgency
 * model's threshold. (a) K-fold cross-validation on the written examples
 * (src/nlu/data/urgency-examples.json): each fold's model is trained on the other folds and the
 * knowledge base's phrases, and the fold is read by the patterns, then by the model; (b) with
 * --dev, the model trained on every example, on development sets in the blind sets' format
 * (never a test half). For each threshold: recall of emergencies, and false alarms on the rest.
 */
import path from 'node:path';
import { productionKnowledge, readJsonl } from './dev-data.js';
import { readUrgencyCues } from '../../src/nlu/urgency.js';
import { trainUrgencyModel, urgencyExamples, type UrgencyExample, type UrgencyModel } from '../../src/nlu/urgency-model.js';
import type { Lang } from '../../src/domain/index.js';

const THRESHOLDS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

interface Case {
  text: string;
  lang: Lang;
  urgent: boolean;
}

interface Tally {
  urgent: number;
  caught: number;
  rest: number;
  alarms: number;
  patternsCaught: number;
  patternsAlarms: number;
}

function readCase(model: UrgencyModel, c: Case, t: Tally[]): void {
  const cues = readUrgencyCues(c.text);
  const byPatterns = cues.kind !== undefined;
  const res = cues.blocked ? undefined : model.read(c.text, c.lang);
  THRESHOLDS.forEach((th, i) => {
    const tally = t[i]!;
    const urgent = byPatterns || (res !== undefined && res.probability >= th);
    if (c.urgent) {
      tally.urgent++;
      if (urgent) tally.caught++;
      if (byPatterns) tally.patternsCaught++;
    } else {
      tally.rest++;
      if (urgent) tally.alarms++;
      if (byPatterns) tally.patternsAlarms++;
    }
  });
}

const fresh = (): Tally[] => THRESHOLDS.map(() => ({ urgent: 0, caught: 0, rest: 0, alarms: 0, patternsCaught: 0, patternsAlarms: 0 }));

function print(title: string, t: Tally[]): void {
  const first = t[0]!;
  process.stdout.write(`${title}: ${first.urgent} emergencies, ${first.rest} others; patterns alone: recall ${((100 * first.patternsCaught) / Math.max(1, first.urgent)).toFixed(1)}%, ${first.patternsAlarms} false alarms\n`);
  THRESHOLDS.forEach((th, i) => {
    const x = t[i]!;
    process.stdout.write(`  >= ${th.toFixed(2)}: recall ${((100 * x.caught) / Math.max(1, x.urgent)).toFixed(1)}% (${x.caught}/${x.urgent}), false alarms ${x.alarms}/${x.rest} (${((100 * x.alarms) / Math.max(1, x.rest)).toFixed(1)}%)\n`);
  });
}

async function readDev(file: string): Promise<Case[]> {
  const rows = await readJsonl<{ text: string; lang: Lang; urgent?: boolean; label?: string }>(file);
  return rows.map((r) => ({ text: r.text, lang: r.lang, urgent: r.urgent ?? r.label === 'urgent' }));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const folds = argv.includes('--folds') ? Number(argv[argv.indexOf('--folds') + 1]) : 5;
  const dev = argv.includes('--dev') ? (argv[argv.indexOf('--dev') + 1] ?? '').split(',').filter(Boolean) : [];
  const kb = await productionKnowledge();
  const examples = urgencyExamples();
  const cv = fresh();
  for (let k = 0; k < folds; k++) {
    const train: UrgencyExample[] = examples.filter((_, i) => i % folds !== k);
    const model = trainUrgencyModel(kb.phrases, { examples: train, min: 0 });
    examples.forEach((e, i) => {
      if (i % folds === k) readCase(model, { text: e.text, lang: e.lang, urgent: e.kind !== 'none' }, cv);
    });
  }
  print(`${folds}-fold cross-validation on ${examples.length} written examples`, cv);
  if (dev.length) {
    const model = trainUrgencyModel(kb.phrases, { min: 0 });
    for (const f of dev) {
      const t = fresh();
      for (const c of await readDev(f)) readCase(model, c, t);
      print(path.basename(f), t);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
