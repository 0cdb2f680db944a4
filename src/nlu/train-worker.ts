/**
 * The worker thread of model-store.ts: trains Dalil's matcher on the phrases it is given and posts
 * back the model's bytes (model-file.ts), so the main thread keeps answering while it trains.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainingPhrase } from '../domain/index.js';
import { createMatcher } from './matcher.js';
import { encodeModel } from './model-file.js';

const { phrases, key } = workerData as { phrases: TrainingPhrase[]; key: string };
const matcher = createMatcher({ phrases, cacheSize: 0 });
const bytes = encodeModel(matcher.snapshot(), key);
// The bytes are moved, not copied, when the Buffer owns its whole memory (8 MB or so: it does).
const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
parentPort?.postMessage(bytes, whole ? [bytes.buffer as ArrayBuffer] : []);
