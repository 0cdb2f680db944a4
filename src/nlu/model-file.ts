/**
 * A trained matcher as bytes, so that a restart or another instance loads it instead of training
 * again: one line naming the format, the key of what it was trained on and a SHA-256 of the rest,
 * then a JSON header (strings and numbers; each typed array replaced by a reference) and the
 * typed arrays' bytes, each aligned to 8. Reading checks the key and the checksum and refuses
 * anything else with the reason, so a mismatched or damaged file is never used.
 */
import { createHash } from 'node:crypto';
import type { DalilMatcherState } from './matcher.js';

/** The first word of the file; the number changes with the layout. */
const MAGIC = 'dalil-matcher/2';

/** Why a saved model was not used. */
export type ModelRefusal = 'mismatch' | 'corrupt';

/** A saved model that cannot be used, with the reason. */
export class ModelFileError extends Error {
  constructor(
    readonly reason: ModelRefusal,
    detail: string,
  ) {
    super(`saved matcher ${reason}: ${detail}`);
    this.name = 'ModelFileError';
  }
}

type Typed = Float32Array | Float64Array | Int32Array;
const TYPES = { f32: Float32Array, f64: Float64Array, i32: Int32Array } as const;
type TypeName = keyof typeof TYPES;
interface Ref {
  $typed: TypeName;
  offset: number;
  length: number;
}

function typeName(v: Typed): TypeName {
  return v instanceof Float32Array ? 'f32' : v instanceof Float64Array ? 'f64' : 'i32';
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** The bytes of `state`, trained on what `key` names. */
export function encodeModel(state: DalilMatcherState, key: string): Buffer {
  const arrays: Array<{ a: Typed; offset: number }> = [];
  let offset = 0;
  const header = JSON.stringify(state, (_k, v: unknown) => {
    if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array) {
      const ref: Ref = { $typed: typeName(v), offset, length: v.length };
      arrays.push({ a: v, offset });
      offset = align8(offset + v.byteLength);
      return ref;
    }
    return v;
  });
  const headerBytes = Buffer.from(header, 'utf8');
  const start = align8(4 + headerBytes.length);
  const body = Buffer.alloc(start + offset);
  body.writeUInt32LE(headerBytes.length, 0);
  headerBytes.copy(body, 4);
  for (const { a, offset: at } of arrays) Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(body, start + at);
  const sum = createHash('sha256').update(body).digest('hex');
  // The first line is padded to a multiple of 8 bytes, so the arrays can be read in place.
  const line = `${MAGIC} ${key} ${sum}`;
  return Buffer.concat([Buffer.from(`${line.padEnd(align8(line.length + 1) - 1, ' ')}\n`, 'latin1'), body]);
}

/** The key a file was saved under (without checking the rest), or undefined when it is not one. */
export function keyOfModel(bytes: Buffer): string | undefined {
  const nl = bytes.indexOf(10);
  const words = nl > 0 && nl < 300 ? bytes.subarray(0, nl).toString('latin1').trimEnd().split(' ') : [];
  return words[0] === MAGIC && words.length === 3 ? words[1] : undefined;
}

/** The state saved in `bytes`; throws {@link ModelFileError} unless it was saved under `key`, whole. */
export function decodeModel(bytes: Buffer, key: string): DalilMatcherState {
  const nl = bytes.indexOf(10);
  const words = nl > 0 && nl < 300 ? bytes.subarray(0, nl).toString('latin1').trimEnd().split(' ') : [];
  if (words[0] !== MAGIC || words.length !== 3) throw new ModelFileError('corrupt', 'not a saved matcher of this format');
  if (words[1] !== key) throw new ModelFileError('mismatch', 'trained on other phrases or another matcher version');
  const body = bytes.subarray(nl + 1);
  if (createHash('sha256').update(body).digest('hex') !== words[2]) throw new ModelFileError('corrupt', 'checksum differs');
  try {
    const headerLength = body.readUInt32LE(0);
    const start = align8(4 + headerLength);
    // In place when aligned (a file read whole is), else a copy aligned for the typed arrays.
    const at = body.byteOffset + start;
    const data = at % 8 === 0 ? { buffer: body.buffer, base: at } : { buffer: Uint8Array.from(body.subarray(start)).buffer, base: 0 };
    const state = reviveArrays(JSON.parse(body.subarray(4, 4 + headerLength).toString('utf8')) as unknown, data.buffer, data.base) as Partial<DalilMatcherState>;
    if (!state.classifier || !state.languageIdentifier || !state.urgency) throw new Error('a part of the matcher is missing');
    return state as DalilMatcherState;
  } catch (err) {
    throw new ModelFileError('corrupt', err instanceof Error ? err.message : 'unreadable');
  }
}

/** Replaces each typed-array reference of a parsed header by the array (lists of strings are skipped whole). */
function reviveArrays(v: unknown, buffer: ArrayBufferLike, base: number): unknown {
  if (Array.isArray(v)) return v.length > 0 && typeof v[0] === 'object' ? v.map((x) => reviveArrays(x, buffer, base)) : v;
  if (!v || typeof v !== 'object') return v;
  if ('$typed' in v) {
    const r = v as Ref;
    const Type = TYPES[r.$typed];
    if (!Type || base + r.offset + r.length * Type.BYTES_PER_ELEMENT > buffer.byteLength) throw new Error('an array lies outside the file');
    return new Type(buffer as ArrayBuffer, base + r.offset, r.length);
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) o[k] = reviveArrays(o[k], buffer, base);
  return o;
}

/**
 * The key of a matcher trained on `phrases` by the code whose files are `code` (name -> bytes):
 * a change to either, or to the settings, is another key, so a saved model is never used for
 * content or code it was not trained on.
 */
export function modelKey(phrases: ReadonlyArray<{ text: string; intent: string; lang: string }>, settings: unknown, code: ReadonlyMap<string, Buffer>): string {
  const h = createHash('sha256');
  h.update(MAGIC).update('\u0000').update(JSON.stringify(settings ?? null)).update('\u0000');
  for (const name of [...code.keys()].sort()) h.update(name).update('\u0000').update(code.get(name)!).update('\u0000');
  for (const p of phrases) h.update(p.lang).update('\u0001').update(p.intent).update('\u0001').update(p.text).update('\u0000');
  return h.digest('hex').slice(0, 32);
}
