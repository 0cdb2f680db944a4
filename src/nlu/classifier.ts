/**
 * A generic text classifier over arbitrary string labels: TF-IDF weighted sparse features
 * (see features.ts) fed to a multinomial logistic regression trained by SGD in pure TypeScript,
 * with a softmax temperature calibrated on held-out examples and an out-of-scope rule
 * (an out-of-scope label and/or a confidence threshold). Nothing here knows Dalil's taxonomy.
 */
import { DEFAULT_FEATURE_OPTIONS, FeatureSpace, messageWords, type FeatureOptions } from './features.js';
import type { NluLang } from './tokenise.js';

/** One labelled training text. */
export interface Example {
  text: string;
  label: string;
  lang: NluLang;
}

/** A label with its calibrated probability. */
export interface LabelScore {
  label: string;
  confidence: number;
}

/** Settings of {@link trainClassifier}. */
export interface TrainOptions {
  features: FeatureOptions;
  epochs: number;
  learningRate: number;
  /** L2 penalty per example step. */
  l2: number;
  /** Drop character n-grams seen in fewer training texts than this (words, stems and concepts are kept). */
  minDf: number;
  /** The label meaning "not covered" (trained like the others, never returned as a candidate). */
  oosLabel?: string | undefined;
  /**
   * Examples to calibrate the temperature and the out-of-scope threshold on. When absent, a
   * stratified slice of `calibrationShare` of the training set is held out, the model is fitted on
   * the rest, calibrated, then trained for `refitEpochs` more epochs on everything.
   */
  calibration?: readonly Example[] | undefined;
  calibrationShare: number;
  /** Epochs on the whole training set after calibrating on a held-out slice. */
  refitEpochs: number;
  /**
   * The threshold is the lowest one that rejects at least this share of the calibration
   * out-of-scope examples (keeping in-scope accuracy as high as possible); when no threshold
   * reaches it, the one maximising (1 - oosRecallWeight) * in-scope accuracy + oosRecallWeight * recall.
   */
  oosRecallTarget: number;
  oosRecallWeight: number;
  /** Floor of the calibrated threshold when there is an out-of-scope label (guards against noise). */
  minThreshold: number;
  /** Fixed threshold instead of a calibrated one. */
  threshold?: number | undefined;
  /** Seed of the shuffles (training is deterministic for a given seed). */
  seed: number;
}

/** Defaults chosen by measurement (bench/RESULTS.md). */
export const DEFAULT_TRAIN_OPTIONS: Readonly<TrainOptions> = {
  features: DEFAULT_FEATURE_OPTIONS,
  epochs: 4,
  learningRate: 1.6,
  l2: 1e-6,
  minDf: 2,
  calibrationShare: 0.15,
  refitEpochs: 2,
  oosRecallTarget: 0.8,
  oosRecallWeight: 0.5,
  minThreshold: 0.2,
  seed: 7,
};

/** What the classifier says about one text. */
export interface Classification {
  /** In-scope labels, best first, with calibrated probabilities (the out-of-scope label excluded). */
  ranked: LabelScore[];
  /** Probability of the out-of-scope label (0 when there is none). */
  oosProbability: number;
  /** The best label, or `oosLabel`/`undefined` when the text is judged out of scope. */
  decision: string | undefined;
  /** Confidence of the decision's label (or of out-of-scope). */
  confidence: number;
}

/** A trained classifier. `classify` is pure and allocation-light. */
export interface TextClassifier {
  readonly labels: readonly string[];
  readonly temperature: number;
  readonly threshold: number;
  readonly featureCount: number;
  /** Normalised words seen in the training texts. */
  readonly vocabulary: ReadonlySet<string>;
  classify(text: string, lang: NluLang): Classification;
  /** Same as `classify` on words already normalised for `lang`. */
  classifyWords(words: readonly string[], lang: NluLang): Classification;
  /** Everything {@link restoreClassifier} needs to rebuild this classifier without training. */
  snapshot(): ClassifierState;
}

/** A trained classifier as data (strings and typed arrays): saved with the content version. */
export interface ClassifierState {
  labels: string[];
  oosLabel: string | undefined;
  temperature: number;
  threshold: number;
  features: FeatureOptions;
  /** Feature keys by column. */
  keys: string[];
  /** Words (lang + word) whose features the trained space cached. */
  cacheKeys: string[];
  vocabulary: string[];
  idf: Float32Array;
  w: Float32Array;
  b: Float64Array;
  stride: number;
  scale: number;
}

interface Vector {
  idx: Int32Array;
  val: Float32Array;
}

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feature ids of one text as the feature space encodes them (ids may repeat). */
interface Encoded {
  ids: number[];
  weights: number[];
}

/** Columns kept (document frequency >= minDf), their IDF, and TF-IDF vectorisation. */
class Vocabulary {
  /** Feature-space id -> column, or -1 when dropped. */
  private readonly remap: Int32Array;
  readonly idf: Float32Array;
  private readonly scratch: Float64Array;
  private readonly touched: Int32Array;

  private constructor(remap: Int32Array, idf: Float32Array) {
    this.remap = remap;
    this.idf = idf;
    this.scratch = new Float64Array(idf.length);
    this.touched = new Int32Array(idf.length);
  }

  /** The vocabulary of a restored space, whose feature ids are already columns. */
  static identity(idf: Float32Array): Vocabulary {
    return new Vocabulary(Int32Array.from({ length: idf.length }, (_, i) => i), idf);
  }

  /** The column of feature id `id`, or -1 when it was pruned. */
  columnOf(id: number): number {
    return id < this.remap.length ? this.remap[id]! : -1;
  }

  static build(docs: readonly Encoded[], spaceSize: number, minDf: number, prunable: (id: number) => boolean): Vocabulary {
    const df = new Int32Array(spaceSize);
    const last = new Int32Array(spaceSize).fill(-1);
    docs.forEach((d, di) => {
      for (const id of d.ids) {
        if (last[id] !== di) {
          last[id] = di;
          df[id] = df[id]! + 1;
        }
      }
    });
    const remap = new Int32Array(spaceSize).fill(-1);
    const idf: number[] = [];
    const n = docs.length;
    for (let id = 0; id < spaceSize; id++) {
      const d = df[id]!;
      if (d === 0 || (d < minDf && prunable(id))) continue;
      remap[id] = idf.length;
      idf.push(Math.log((n + 1) / (d + 1)) + 1);
    }
    return new Vocabulary(remap, Float32Array.from(idf));
  }

  /** Sublinear TF times IDF, L2-normalised. */
  vectorise(doc: Encoded): Vector {
    const { scratch, touched } = this;
    let nt = 0;
    for (let i = 0; i < doc.ids.length; i++) {
      const id = doc.ids[i]!;
      const col = id < this.remap.length ? this.remap[id]! : -1;
      if (col < 0) continue;
      if (scratch[col] === 0) touched[nt++] = col;
      scratch[col] = scratch[col]! + doc.weights[i]!;
    }
    const idx = new Int32Array(nt);
    const val = new Float32Array(nt);
    let norm = 0;
    for (let k = 0; k < nt; k++) {
      const col = touched[k]!;
      const tf = scratch[col]!;
      scratch[col] = 0;
      const x = (tf <= 1 ? tf : 1 + Math.log(tf)) * this.idf[col]!;
      idx[k] = col;
      val[k] = x;
      norm += x * x;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < nt; k++) val[k] = val[k]! * inv;
    return { idx, val };
  }
}

interface LinearModel {
  /** Weights, feature-major with a row stride of `stride` (classes rounded up to a multiple of 4). */
  w: Float32Array;
  b: Float64Array;
  stride: number;
  scale: number;
}

/** Row stride for `classes` classes: the loops below work on blocks of four classes. */
function strideOf(classes: number): number {
  return Math.ceil(classes / 4) * 4;
}

/**
 * Logits of one sparse vector into `out` (length >= stride). Blocks of four classes accumulate in
 * locals, which V8 keeps in registers: about three times faster than `out[c] += ...`.
 */
function accumulate(w: Float32Array, stride: number, idx: Int32Array, val: Float32Array, scale: number, out: Float64Array): void {
  const nnz = idx.length;
  for (let c = 0; c < stride; c += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < nnz; k++) {
      const base = idx[k]! * stride + c;
      const x = val[k]!;
      s0 += x * w[base]!;
      s1 += x * w[base + 1]!;
      s2 += x * w[base + 2]!;
      s3 += x * w[base + 3]!;
    }
    out[c] = s0 * scale;
    out[c + 1] = s1 * scale;
    out[c + 2] = s2 * scale;
    out[c + 3] = s3 * scale;
  }
}

function trainLinear(
  vectors: readonly Vector[],
  ys: Int32Array,
  classes: number,
  features: number,
  opt: Pick<TrainOptions, 'epochs' | 'learningRate' | 'l2' | 'seed'>,
  init?: LinearModel,
): LinearModel {
  // Hot loops: typed arrays indexed within bounds by construction, hence the non-null assertions.
  const C = classes;
  const stride = strideOf(C);
  const w = init?.w ?? new Float32Array(features * stride);
  const b = init?.b ?? new Float64Array(C);
  let scale = init?.scale ?? 1;
  const n = vectors.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = rng(opt.seed);
  const z = new Float64Array(stride);
  const g = new Float64Array(stride);
  let t = 0;
  const total = Math.max(1, opt.epochs * n);
  for (let epoch = 0; epoch < opt.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    for (let oi = 0; oi < n; oi++) {
      const ex = order[oi]!;
      const { idx, val } = vectors[ex]!;
      const y = ys[ex]!;
      // Linearly decaying learning rate.
      const lr = opt.learningRate * (1 - (0.9 * t) / total);
      t++;
      accumulate(w, stride, idx, val, scale, z);
      let max = -Infinity;
      for (let c = 0; c < C; c++) {
        const v = z[c]! + b[c]!;
        z[c] = v;
        if (v > max) max = v;
      }
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const e = Math.exp(z[c]! - max);
        z[c] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let c = 0; c < C; c++) {
        let gc = z[c]! * inv;
        if (c === y) gc -= 1;
        g[c] = gc;
        b[c] = b[c]! - lr * gc;
      }
      if (opt.l2 > 0) {
        scale *= 1 - lr * opt.l2;
        if (scale < 1e-3) {
          for (let i = 0; i < w.length; i++) w[i] = w[i]! * scale;
          scale = 1;
        }
      }
      const step = lr / scale;
      const nnz = idx.length;
      for (let c = 0; c < stride; c += 4) {
        const g0 = g[c]! * step;
        const g1 = g[c + 1]! * step;
        const g2 = g[c + 2]! * step;
        const g3 = g[c + 3]! * step;
        // Skip blocks whose classes are already near zero gradient (most of them after an epoch).
        if (Math.abs(g0) + Math.abs(g1) + Math.abs(g2) + Math.abs(g3) < 1e-5 * step) continue;
        for (let k = 0; k < nnz; k++) {
          const base = idx[k]! * stride + c;
          const x = val[k]!;
          w[base] = w[base]! - x * g0;
          w[base + 1] = w[base + 1]! - x * g1;
          w[base + 2] = w[base + 2]! - x * g2;
          w[base + 3] = w[base + 3]! - x * g3;
        }
      }
    }
  }
  return { w, b, stride, scale };
}

/** Logits (length C) of a vector; `scratch` (length >= stride) avoids an allocation in hot paths. */
function logits(model: LinearModel, v: Vector, C: number, out: Float64Array, scratch?: Float64Array): Float64Array {
  const tmp = scratch ?? new Float64Array(model.stride);
  accumulate(model.w, model.stride, v.idx, v.val, model.scale, tmp);
  for (let c = 0; c < C; c++) out[c] = tmp[c]! + model.b[c]!;
  return out;
}

function softmaxInto(z: Float64Array, temperature: number, out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) if ((z[c] ?? 0) > max) max = z[c] ?? 0;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp(((z[c] ?? 0) - max) / temperature);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) out[c] = (out[c] ?? 0) / sum;
  return out;
}

/** Fits the softmax temperature minimising the negative log-likelihood (golden-section search on log T). */
function fitTemperature(allLogits: readonly Float64Array[], ys: readonly number[]): number {
  if (allLogits.length === 0) return 1;
  const nll = (logT: number): number => {
    const T = Math.exp(logT);
    let s = 0;
    for (let i = 0; i < allLogits.length; i++) {
      const z = allLogits[i];
      if (!z) continue;
      let max = -Infinity;
      for (let c = 0; c < z.length; c++) if ((z[c] ?? 0) > max) max = z[c] ?? 0;
      let sum = 0;
      for (let c = 0; c < z.length; c++) sum += Math.exp(((z[c] ?? 0) - max) / T);
      s += Math.log(sum) - ((z[ys[i] ?? 0] ?? 0) - max) / T;
    }
    return s / allLogits.length;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - phi * (hi - lo);
  let x2 = lo + phi * (hi - lo);
  let f1 = nll(x1);
  let f2 = nll(x2);
  for (let it = 0; it < 40; it++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = nll(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = nll(x2);
    }
  }
  return Math.exp((lo + hi) / 2);
}

interface Prediction {
  /** Best label index among all labels (the out-of-scope one included). */
  top: number;
  /** Probability of the best in-scope label. */
  inScopeTop: number;
  inScopeProb: number;
}

/**
 * Chooses the confidence threshold under which a text counts as out of scope: the lowest whose
 * out-of-scope recall on the calibration predictions reaches `recallTarget`, else the one
 * maximising (1 - w) * in-scope accuracy + w * out-of-scope recall.
 */
function fitThreshold(preds: readonly Prediction[], ys: readonly number[], oosIndex: number, recallTarget: number, recallWeight: number): number {
  const inCount = ys.filter((y) => y !== oosIndex).length;
  const oosCount = ys.length - inCount;
  if (oosCount === 0) return 0;
  const candidates = new Set<number>([0]);
  for (const p of preds) candidates.add(Math.round(p.inScopeProb * 100) / 100);
  let best = 0;
  let bestScore = -Infinity;
  for (const th of [...candidates].sort((a, b) => a - b)) {
    let inOk = 0;
    let oosOk = 0;
    for (let i = 0; i < preds.length; i++) {
      const p = preds[i]!;
      const rejected = p.top === oosIndex || p.inScopeProb < th;
      if (ys[i] === oosIndex) {
        if (rejected) oosOk++;
      } else if (!rejected && p.inScopeTop === ys[i]) inOk++;
    }
    const recall = oosOk / oosCount;
    if (recall >= recallTarget) return th;
    const score = (1 - recallWeight) * (inOk / Math.max(1, inCount)) + recallWeight * recall;
    if (score > bestScore + 1e-9) {
      bestScore = score;
      best = th;
    }
  }
  return best;
}

function stratifiedSplit(labels: Int32Array, share: number, seed: number): { train: number[]; held: number[] } {
  const byLabel = new Map<number, number[]>();
  labels.forEach((y, i) => {
    const list = byLabel.get(y) ?? [];
    list.push(i);
    byLabel.set(y, list);
  });
  const rand = rng(seed ^ 0x5bd1e995);
  const train: number[] = [];
  const held: number[] = [];
  for (const list of byLabel.values()) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const tmp = list[i]!;
      list[i] = list[j]!;
      list[j] = tmp;
    }
    const k = list.length >= 4 ? Math.max(1, Math.round(list.length * share)) : 0;
    held.push(...list.slice(0, k));
    train.push(...list.slice(k));
  }
  return { train: train.sort((x, y) => x - y), held };
}

/**
 * Trains a classifier on labelled texts. Labels are any strings; `oosLabel` (if present among
 * them) is the out-of-scope class. Deterministic for a given seed.
 */
export function trainClassifier(examples: readonly Example[], options: Partial<TrainOptions> = {}): TextClassifier {
  const opt: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options, features: { ...DEFAULT_FEATURE_OPTIONS, ...options.features } };
  if (examples.length === 0) throw new Error('trainClassifier: no training examples');
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i] as const));
  const C = labels.length;
  const oosIndex = opt.oosLabel !== undefined ? (labelIndex.get(opt.oosLabel) ?? -1) : -1;

  const space = new FeatureSpace(opt.features);
  const encode = (words: readonly string[], lang: NluLang): Encoded => {
    const doc: Encoded = { ids: [], weights: [] };
    space.encode(words, lang, doc.ids, doc.weights);
    return doc;
  };
  const vocabulary = new Set<string>();
  const docs = examples.map((e) => {
    const words = messageWords(e.text, e.lang);
    for (const w of words) vocabulary.add(w);
    return encode(words, e.lang);
  });
  space.freeze();
  const vocab = Vocabulary.build(docs, space.size, opt.minDf, (id) => space.isCharGram(id));
  const vectors = docs.map((d) => vocab.vectorise(d));
  const ys = Int32Array.from(examples, (e) => labelIndex.get(e.label) ?? 0);
  const F = vocab.idf.length;

  // Calibration: temperature and threshold, on given examples or on a held-out slice.
  let temperature = 1;
  let threshold = opt.threshold ?? 0;
  const calibrate = (m: LinearModel, cal: readonly Vector[], calYs: readonly number[]): void => {
    const zs = cal.map((v) => logits(m, v, C, new Float64Array(C)));
    temperature = fitTemperature(zs, calYs);
    if (opt.threshold === undefined && oosIndex >= 0) {
      const p = new Float64Array(C);
      const preds = zs.map((z) => predictionOf(softmaxInto(z, temperature, p), oosIndex));
      threshold = Math.max(opt.minThreshold, fitThreshold(preds, calYs, oosIndex, opt.oosRecallTarget, opt.oosRecallWeight));
    }
  };
  let model: LinearModel;
  const given = (opt.calibration ?? []).filter((e) => labelIndex.has(e.label));
  if (given.length > 0) {
    model = trainLinear(vectors, ys, C, F, opt);
    calibrate(
      model,
      given.map((e) => vocab.vectorise(encode(messageWords(e.text, e.lang), e.lang))),
      given.map((e) => labelIndex.get(e.label) ?? 0),
    );
  } else if (opt.calibrationShare > 0 && examples.length >= 20) {
    // Fit on most of the data, calibrate on the rest, then keep training on everything.
    const { train, held } = stratifiedSplit(ys, opt.calibrationShare, opt.seed);
    model = trainLinear(train.map((i) => vectors[i]!), Int32Array.from(train, (i) => ys[i]!), C, F, opt);
    calibrate(model, held.map((i) => vectors[i]!), held.map((i) => ys[i]!));
    model = trainLinear(vectors, ys, C, F, { ...opt, epochs: opt.refitEpochs, learningRate: opt.learningRate * 0.5 }, model);
  } else {
    model = trainLinear(vectors, ys, C, F, opt);
  }

  const snapshotOf = (): ClassifierState => ({
    labels,
    oosLabel: opt.oosLabel,
    temperature,
    threshold,
    features: opt.features,
    ...space.snapshot((id) => vocab.columnOf(id), F),
    vocabulary: [...vocabulary],
    idf: vocab.idf,
    w: model.w,
    b: model.b,
    stride: model.stride,
    scale: model.scale,
  });
  return assemble({ labels, oosLabel: opt.oosLabel, temperature, threshold, vocabulary, space, vocab, model }, snapshotOf);
}

/** The parts of a classifier, trained or restored. */
interface ClassifierParts {
  labels: string[];
  oosLabel: string | undefined;
  temperature: number;
  threshold: number;
  vocabulary: ReadonlySet<string>;
  space: FeatureSpace;
  vocab: Vocabulary;
  model: LinearModel;
}

/** Rebuilds a classifier from its {@link ClassifierState}: it classifies every text as the trained one did. */
export function restoreClassifier(s: ClassifierState): TextClassifier {
  const space = FeatureSpace.restore(s.features, s.keys, s.cacheKeys);
  const parts: ClassifierParts = {
    labels: s.labels,
    oosLabel: s.oosLabel,
    temperature: s.temperature,
    threshold: s.threshold,
    vocabulary: new Set(s.vocabulary),
    space,
    vocab: Vocabulary.identity(s.idf),
    model: { w: s.w, b: s.b, stride: s.stride, scale: s.scale },
  };
  return assemble(parts, () => s);
}

function assemble(p: ClassifierParts, snapshot: () => ClassifierState): TextClassifier {
  const { labels, temperature, threshold, space, vocab, model } = p;
  const C = labels.length;
  const oosIndex = p.oosLabel !== undefined ? labels.indexOf(p.oosLabel) : -1;
  const zBuf = new Float64Array(C);
  const zScratch = new Float64Array(strideOf(C));
  const pBuf = new Float64Array(C);
  /** Decision from in-scope label probabilities and the out-of-scope probability. */
  const decide = (ranked: LabelScore[], oosProbability: number, empty: boolean): Classification => {
    ranked.sort((a, b) => b.confidence - a.confidence);
    const best = ranked[0];
    const inScopeProb = best?.confidence ?? 0;
    const rejected = empty || (oosIndex >= 0 && oosProbability > inScopeProb) || inScopeProb < threshold;
    return {
      ranked,
      oosProbability,
      decision: rejected ? p.oosLabel : best?.label,
      confidence: rejected ? Math.max(oosProbability, 1 - inScopeProb) : inScopeProb,
    };
  };
  const classifyWords = (words: readonly string[], lang: NluLang): Classification => {
    const ids: number[] = [];
    const weights: number[] = [];
    space.encode(words, lang, ids, weights);
    const v = vocab.vectorise({ ids, weights });
    const probs = softmaxInto(logits(model, v, C, zBuf, zScratch), temperature, pBuf);
    const ranked: LabelScore[] = [];
    for (let c = 0; c < C; c++) if (c !== oosIndex) ranked.push({ label: labels[c] ?? '', confidence: probs[c] ?? 0 });
    return decide(ranked, oosIndex >= 0 ? (probs[oosIndex] ?? 0) : 0, v.idx.length === 0);
  };
  return {
    labels,
    temperature,
    threshold,
    featureCount: vocab.idf.length,
    vocabulary: p.vocabulary,
    classifyWords,
    classify: (text, lang) => classifyWords(messageWords(text, lang), lang),
    snapshot,
  };
}

function predictionOf(p: Float64Array, oosIndex: number): Prediction {
  let top = 0;
  let inScopeTop = -1;
  for (let c = 0; c < p.length; c++) {
    if ((p[c] ?? 0) > (p[top] ?? 0)) top = c;
    if (c !== oosIndex && (inScopeTop < 0 || (p[c] ?? 0) > (p[inScopeTop] ?? 0))) inScopeTop = c;
  }
  return { top, inScopeTop, inScopeProb: inScopeTop >= 0 ? (p[inScopeTop] ?? 0) : 0 };
}
