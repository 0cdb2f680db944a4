/**
 * `npm run bench:nlu [-- --only heldout|public|SET,SET...] [--dalil-only] [--no-write]`: trains and evaluates Dalil's matcher
 * and NLP.js (node-nlp 4.27) on the same data, side by side: (a) the held-out messages of
 * bench/data/ (never trained on: the blind test set, the blind dev set and the first held-out
 * set), trained on intents/; (b) the public data sets
 * (train split, calibrated on validation where present, reported on test). Each measurement runs
 * in a fresh process (bench/nlu/worker.ts), one after the other. Writes the section
 * "## Matcher (NLU)" of bench/RESULTS.md and the raw figures to bench/nlu/last-run.json.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvalReport, EvalStats } from '../../src/nlu/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKER = path.join(ROOT, 'bench', 'nlu', 'worker.ts');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const HEADING = '## Matcher (NLU)';

interface Run {
  system: string;
  dataset: string;
  trainPhrases: number;
  testMessages: number;
  excluded: number;
  trainSeconds: number;
  heapMB: number;
  rssMB: number;
  latencyMs: { median: number; p99: number; max: number };
  report: EvalReport;
  batches?: Record<string, EvalStats>;
  kinds?: Record<string, EvalStats>;
  safety?: {
    forgetMessages: number;
    forgetRecalled: number;
    forgetErasedDirectly: number;
    falseErasures: number;
    falseConfirms: number;
    urgentMessages: number;
    urgentRecalled: number;
    urgentFalseAlarms: number;
  };
  language?: { accuracy: number; short: number; shortAccuracy: number };
  errors?: string[];
}

/** Public sets with their targets (top-1 accuracy on in-scope test messages; CLINC150 also OOS recall). */
const PUBLIC: ReadonlyArray<{ name: string; target: number; oosTarget?: number }> = [
  { name: 'banking77-en', target: 0.85 },
  { name: 'massive-en', target: 0.75 },
  { name: 'massive-es', target: 0.7 },
  { name: 'arbanking77-ar', target: 0.8 },
  { name: 'clinc150-en', target: 0.85, oosTarget: 0.7 },
];

function run(system: string, dataset: string): Run {
  process.stderr.write(`bench:nlu: ${system} on ${dataset} ...\n`);
  const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', WORKER, system, dataset], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`worker ${system} ${dataset} failed (${res.status}): ${res.stderr}`, { cause: res.error });
  const line = res.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Run;
}

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : (100 * x).toFixed(1));
const ms = (x: number): string => (x < 0.1 ? x.toFixed(3) : x.toFixed(2));
const ok = (pass: boolean): string => (pass ? 'met' : '**not met**');

function machine(): string {
  const cpus = os.cpus();
  return [
    `- Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB memory, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; node-nlp 4.27 (NLP.js) with its fr, en, ar and es languages, default settings`,
    `- Date: ${new Date().toISOString().slice(0, 10)}; load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} (other work was running on the machine: wall times are upper bounds)`,
  ].join('\n');
}

/** The held-out sets, in the order reported; `showErrors` is false for the set that must stay unseen. */
const HELDOUT_SETS: ReadonlyArray<{ dataset: string; title: string; about: string; group: string; showErrors: boolean }> = [
  {
    dataset: 'blind3-test',
    title: 'Third blind test set (bench/data/blind3-test.jsonl): the measure of record',
    about:
      'Written on 2026-12-03 by two writers who read only the taxonomy and the content brief (bench/data/blind3-README.md): Darija in Arabic script and arabizi, MSA, ' +
      'West African English and Pidgin, status-plus-need messages, forget-me and privacy, emergencies in progress, crime requests, other countries, nonsense and off-topic. ' +
      'Measured once, by this run; never looked at message by message (its mistakes are not listed).',
    group: 'style',
    showErrors: false,
  },
  {
    dataset: 'blind3-dev',
    title: 'Third blind dev set (bench/data/blind3-dev.jsonl)',
    about: 'Written with the third test set, in the same way; its figures and mistakes were read while changing the matcher, so it is no longer blind.',
    group: 'style',
    showErrors: true,
  },
  {
    dataset: 'blind2-test',
    title: 'Second blind test set (bench/data/blind2-test.jsonl)',
    about:
      'Written by someone who read only the taxonomy and the content brief (bench/data/blind2-README.md). Looked at as a whole three times in the last round and ' +
      'message by message in this one (it is development data now); never listed here.',
    group: 'style',
    showErrors: false,
  },
  {
    dataset: 'blind2-dev',
    title: 'Second blind dev set (bench/data/blind2-dev.jsonl)',
    about: 'Written with the second test set, in the same way; its mistakes were read to find gaps (new phrases were written fresh, none copied), so it is no longer blind.',
    group: 'style',
    showErrors: true,
  },
  {
    dataset: 'blind-test',
    title: 'First blind test set (bench/data/blind-test.jsonl)',
    about:
      'Written by someone who read only the taxonomy and the content brief, never the phrase files or the matcher; only ever measured, ' +
      'never looked at message by message (so its mistakes are not listed here). All four languages (Arabic: Darija in Arabic script, arabizi, MSA), ' +
      '15% out of scope with more than half near misses, and the styles of the issue: clean, informal, SMS, typos, long stories, code-mixing, pidgin.',
    group: 'style',
    showErrors: false,
  },
  {
    dataset: 'blind-dev',
    title: 'Blind held-out dev set (bench/data/blind-dev.jsonl)',
    about:
      'Written with the test set, in the same way; its mistakes were read to find gaps in the phrases and concept lists (new phrases were written fresh, none copied), so it is no longer blind.',
    group: 'style',
    showErrors: true,
  },
  {
    dataset: 'heldout',
    title: 'First held-out set (bench/data/heldout.jsonl)',
    about:
      'Batch 1 (422 messages) was written before any phrase file existed; batch 2 (196) was written later, to cover the noisier styles ' +
      '(typos, SMS, pidgin, code-mixing, long stories) that batch 1 has little of, before the matcher was run on it. Its author had written the phrase files, so it flatters the matcher.',
    group: 'batch',
    showErrors: true,
  },
];

function heldoutSection(runs: readonly Run[], set: (typeof HELDOUT_SETS)[number]): string {
  const langs = ['fr', 'en', 'ar', 'es'];
  const name: Record<string, string> = {
    dalil: 'Dalil',
    nlpjs: 'NLP.js (own language guess)',
    'nlpjs-gold': 'NLP.js (given the gold language)',
  };
  const first = runs[0];
  const lines = [
    `### ${set.title}`,
    '',
    `${first?.testMessages ?? 0} messages never trained on (${first?.excluded ?? 0} more were skipped because a phrase file contains them word for word), ` +
      `${first?.report.overall.outOfScope ?? 0} out of scope. Both matchers trained on the same ${first?.trainPhrases ?? 0} phrases of intents/ ` +
      '(Dalil also adds greeting/thanks variants of 30% of the topic phrases at startup, and its city list). ' +
      set.about,
    '',
    '| matcher | in-scope top-1 fr | en | ar | es | all | OOS precision | OOS recall | top-1 (all messages) | macro-F1 | training s | median ms | p99 ms | heap MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of runs) {
    const by = r.report.byLang;
    const o = r.report.overall;
    lines.push(
      `| ${name[r.system] ?? r.system} | ${langs.map((l) => pct(by[l]?.inScopeAccuracy)).join(' | ')} | ${pct(o.inScopeAccuracy)} | ${pct(o.oosPrecision)} | ${pct(o.oosRecall)} | ${pct(o.accuracy)} | ${pct(o.macroF1)} | ${r.trainSeconds.toFixed(2)} | ${ms(r.latencyMs.median)} | ${ms(r.latencyMs.p99)} | ${r.heapMB.toFixed(1)} |`,
    );
  }
  lines.push('', `| matcher | ${set.group} | messages | in-scope top-1 | OOS precision | OOS recall | top-1 (all) |`, '|---|---|---:|---:|---:|---:|---:|');
  for (const r of runs) {
    for (const [b, s] of Object.entries(r.batches ?? {})) {
      lines.push(`| ${name[r.system] ?? r.system} | ${b} | ${s.n} | ${pct(s.inScopeAccuracy)} | ${pct(s.oosPrecision)} | ${pct(s.oosRecall)} | ${pct(s.accuracy)} |`);
    }
  }
  if (runs.some((r) => r.kinds)) {
    lines.push('', '| matcher | kind | messages | in-scope top-1 | OOS precision | OOS recall | top-1 (all) |', '|---|---|---:|---:|---:|---:|---:|');
    for (const r of runs) {
      for (const [k, s] of Object.entries(r.kinds ?? {})) {
        lines.push(`| ${name[r.system] ?? r.system} | ${k} | ${s.n} | ${pct(s.inScopeAccuracy)} | ${pct(s.oosPrecision)} | ${pct(s.oosRecall)} | ${pct(s.accuracy)} |`);
      }
    }
  }
  if (runs.some((r) => r.safety)) {
    lines.push(
      '',
      'Safety (forget-me: erased or asked to confirm; false erasure: another message erased without asking; urgent: the emergency block comes first; NLP.js erases whenever it says forget-me and has no urgent block):',
      '',
      '| matcher | forget-me recall | erased without asking | false erasures | false "erase?" questions | urgent recall | urgent false alarms |',
      '|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const r of runs) {
      const s = r.safety;
      if (!s) continue;
      lines.push(
        `| ${name[r.system] ?? r.system} | ${pct(s.forgetRecalled / Math.max(1, s.forgetMessages))} (${s.forgetRecalled}/${s.forgetMessages}) | ${s.forgetErasedDirectly} | ${s.falseErasures} | ${s.falseConfirms} | ${pct(s.urgentRecalled / Math.max(1, s.urgentMessages))} (${s.urgentRecalled}/${s.urgentMessages}) | ${s.urgentFalseAlarms} |`,
      );
    }
  }
  const dalil = runs.find((r) => r.system === 'dalil');
  const nlpjs = runs.find((r) => r.system === 'nlpjs');
  const gold = runs.find((r) => r.system === 'nlpjs-gold');
  if (dalil) {
    const d = dalil.report;
    const minLang = Math.min(...langs.map((l) => d.byLang[l]?.inScopeAccuracy ?? 0));
    const second = dalil.dataset.startsWith('blind2') || dalil.dataset.startsWith('blind3');
    lines.push('', 'Targets:', '');
    lines.push(`- in-scope top-1 >= 92% in each language: lowest ${pct(minLang)}: ${ok(minLang >= 0.92)}`);
    if (second) {
      const styles = ['msa', 'darija-arabic-script', 'arabizi', 'en-westafrican'];
      const minStyle = Math.min(...styles.map((s) => dalil.batches?.[s]?.inScopeAccuracy ?? 0));
      lines.push(`- in-scope top-1 >= 92% in each Arabic script/style and West African English: lowest ${pct(minStyle)}: ${ok(minStyle >= 0.92)}`);
      const s = dalil.safety;
      if (s) {
        const fr = s.forgetRecalled / Math.max(1, s.forgetMessages);
        const ur = s.urgentRecalled / Math.max(1, s.urgentMessages);
        lines.push(`- forget-me recall >= 98% with no false erasure: ${pct(fr)}, ${s.falseErasures} false: ${ok(fr >= 0.98 && s.falseErasures === 0)}`);
        lines.push(`- urgent recall >= 95%: ${pct(ur)}: ${ok(ur >= 0.95)}`);
      }
    }
    lines.push(`- out-of-scope precision >= 90%: ${pct(d.overall.oosPrecision)}: ${ok((d.overall.oosPrecision ?? 0) >= 0.9)}`);
    const oosTarget = second ? 0.85 : 0.8;
    lines.push(`- out-of-scope recall >= ${pct(oosTarget).replace('.0', '')}%: ${pct(d.overall.oosRecall)}: ${ok((d.overall.oosRecall ?? 0) >= oosTarget)}`);
    for (const other of [nlpjs, gold]) {
      if (!other) continue;
      const inGap = 100 * ((d.overall.inScopeAccuracy ?? 0) - (other.report.overall.inScopeAccuracy ?? 0));
      const allGap = 100 * (d.overall.accuracy - other.report.overall.accuracy);
      lines.push(
        `- >= 10 points better than ${name[other.system]}: +${inGap.toFixed(1)} points in-scope top-1, +${allGap.toFixed(1)} points top-1 over all messages (out of scope counted): ${ok(inGap >= 10)} / ${ok(allGap >= 10)}`,
      );
    }
    lines.push(`- classification p99 < 2 ms (full matcher: language, intent, urgency, city): ${ms(dalil.latencyMs.p99)} ms: ${ok(dalil.latencyMs.p99 < 2)}`);
    lines.push(`- training at startup < 2 s: ${dalil.trainSeconds.toFixed(2)} s (cold process): ${ok(dalil.trainSeconds < 2)}`);
    if (dalil.language) {
      lines.push(
        '',
        `Language identification (Dalil, fr/en/ar/es, arabizi and Darija as ar): ${pct(dalil.language.accuracy)}% of the held-out messages, ` +
          `${pct(dalil.language.shortAccuracy)}% of the ${dalil.language.short} messages of one to three words.`,
      );
    }
    if (set.showErrors && dalil.errors?.length) {
      lines.push('', `Dalil's ${dalil.errors.length} mistakes (language, gold -> predicted: message):`, '');
      for (const e of dalil.errors) lines.push(`- ${e.replace(/\|/g, '/')}`);
    }
  }
  return lines.join('\n');
}

function publicSection(runs: readonly Run[]): string {
  const lines = [
    '### Public data sets (../shared/data/public-intents)',
    '',
    'Trained on the train split (both matchers; out-of-scope threshold chosen on the validation split where there is one, ' +
      'with the same rule for both: the lowest threshold that rejects 80% of validation out-of-scope messages), reported on the test split. ' +
      'Accuracy is top-1 on in-scope test messages (answering out of scope counts as wrong).',
    '',
    '| data set | target | Dalil | NLP.js | Dalil OOS recall | NLP.js OOS recall | Dalil training s | NLP.js training s | Dalil median / p99 ms | NLP.js median / p99 ms | Dalil heap MB | NLP.js heap MB | target met |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const p of PUBLIC) {
    const d = runs.find((r) => r.dataset === p.name && r.system === 'dalil');
    const n = runs.find((r) => r.dataset === p.name && r.system === 'nlpjs');
    if (!d) continue;
    const acc = d.report.overall.inScopeAccuracy ?? 0;
    const recall = d.report.overall.oosRecall;
    const met = acc >= p.target && (p.oosTarget === undefined || (recall ?? 0) >= p.oosTarget) && d.trainSeconds < 20;
    lines.push(
      `| ${p.name} | ${pct(p.target)}${p.oosTarget ? ` (OOS recall ${pct(p.oosTarget)})` : ''} | ${pct(acc)} | ${pct(n?.report.overall.inScopeAccuracy)} | ${pct(recall)} | ${pct(n?.report.overall.oosRecall)} | ${d.trainSeconds.toFixed(1)} | ${n ? n.trainSeconds.toFixed(1) : 'n/a'} | ${ms(d.latencyMs.median)} / ${ms(d.latencyMs.p99)} | ${n ? `${ms(n.latencyMs.median)} / ${ms(n.latencyMs.p99)}` : 'n/a'} | ${d.heapMB.toFixed(0)} | ${n ? n.heapMB.toFixed(0) : 'n/a'} | ${ok(met)} |`,
    );
  }
  return lines.join('\n');
}

function writeSection(section: string): void {
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf(HEADING);
  let next: string;
  if (start < 0) {
    next = `${current.trimEnd()}\n\n${section}\n`;
  } else {
    const after = current.slice(start + HEADING.length);
    const m = /\n## /.exec(after);
    const end = m ? start + HEADING.length + m.index + 1 : current.length;
    next = `${current.slice(0, start)}${section}\n${m ? '\n' + current.slice(end) : ''}`;
  }
  writeFileSync(RESULTS, next);
}

function main(): void {
  const argv = process.argv.slice(2);
  // --only heldout | public | a comma-separated list of data sets; --dalil-only skips NLP.js.
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  const named = only && only !== 'heldout' && only !== 'public' ? new Set(only.split(',')) : undefined;
  const systems = (all: string[]): string[] => (argv.includes('--dalil-only') ? ['dalil'] : all);
  const runs: Run[] = [];
  for (const set of HELDOUT_SETS) {
    if (named ? named.has(set.dataset) : !only || only === 'heldout') for (const s of systems(['dalil', 'nlpjs', 'nlpjs-gold'])) runs.push(run(s, set.dataset));
  }
  for (const p of PUBLIC) {
    if (named ? named.has(p.name) : !only || only === 'public') for (const s of systems(['dalil', 'nlpjs'])) runs.push(run(s, p.name));
  }
  const parts = [
    HEADING,
    '',
    'Written by `npm run bench:nlu` (bench/nlu/run.ts). Each figure comes from a fresh process: training time is cold ' +
      '(first use of the code), memory is the heap retained by the trained model after garbage collection, latency is per message ' +
      'after one warm-up pass (held-out: five passes).',
    '',
    machine(),
    '',
  ];
  for (const set of HELDOUT_SETS) {
    const held = runs.filter((r) => r.dataset === set.dataset);
    if (held.length) parts.push(heldoutSection(held, set), '');
  }
  const pub = runs.filter((r) => !HELDOUT_SETS.some((set) => set.dataset === r.dataset));
  if (pub.length) parts.push(publicSection(pub), '');
  const section = parts.join('\n');
  // The test set's mistakes stay unseen, in the raw figures too.
  const kept = runs.map((r) => (HELDOUT_SETS.find((set) => set.dataset === r.dataset)?.showErrors === false ? { ...r, errors: undefined } : r));
  writeFileSync(path.join(ROOT, 'bench', 'nlu', 'last-run.json'), JSON.stringify(kept, null, 1) + '\n');
  if (!argv.includes('--no-write')) writeSection(section);
  process.stdout.write(section + '\n');
}

main();
