/**
 * JSON body parser with a nesting bound. `JSON.parse` of a few megabytes of `[[[[…]]]]` builds
 * millions of arrays and exhausts the heap (the start script caps it): the raw body is scanned
 * first, and a body nested deeper than `MAX_JSON_DEPTH` is refused with 400 before it is parsed.
 */

import { AsyncResource } from 'node:async_hooks';

/** A connect-style middleware (express's, as the adapters hand it in). */
type Middleware<Req, Res> = (req: Req, res: Res, next: (err?: unknown) => void) => void;

/** What `express.json` takes here. */
interface JsonOptions {
  limit: string;
  strict: boolean;
  verify: (req: never, res: never, buf: Buffer) => void;
}

/** Deepest nesting accepted: the platforms' payloads nest fewer than 10 levels. */
export const MAX_JSON_DEPTH = 64;

/** Whether JSON text nests objects or arrays deeper than `max` (strings are skipped; invalid JSON is left to the parser). */
export function jsonTooDeep(buf: Uint8Array, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The error a too-deep body becomes: a 400 for the app's error handler. */
class TooDeepError extends Error {
  status = 400;
  statusCode = 400;
  type = 'entity.too_deep';
  constructor() {
    super('request body nested too deeply');
    this.name = 'TooDeepError';
  }
}

/** A body that could not be read or parsed: the status and `type` body-parser gives the same failure. */
class BodyError extends Error {
  readonly statusCode: number;
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = status === 400 ? 'BadRequestError' : 'HttpError';
    this.statusCode = status;
  }
}

/** `64kb`, `1mb`, `20000`: the sizes config accepts for MAX_BODY_SIZE, in bytes (NaN for anything else). */
export function byteSize(limit: string): number {
  const m = /^(\d{1,9})(b|kb|mb)?$/i.exec(limit.trim());
  if (!m) return Number.NaN;
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

/** `application/json`, alone or with a UTF-8 charset: the type every platform and the web page send. */
const PLAIN_JSON = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;

/** The parts of a Node request the fast path reads. */
interface NodeRequest {
  headers: Record<string, string | string[] | undefined>;
  readable: boolean;
  body?: unknown;
  on(event: 'data', fn: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', fn: () => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
}

/**
 * The length of a body the fast path takes: plain JSON, not compressed, with a Content-Length
 * within `limit`; -1 for anything else (body-parser then handles it as before: other charsets,
 * compressed or chunked bodies, too large, empty).
 */
function plainJsonLength(req: NodeRequest, limit: number): number {
  const h = req.headers;
  if (!req.readable || h['transfer-encoding'] !== undefined) return -1;
  const encoding = h['content-encoding'];
  if (encoding !== undefined && (typeof encoding !== 'string' || encoding.toLowerCase() !== 'identity')) return -1;
  const type = h['content-type'];
  if (typeof type !== 'string' || !PLAIN_JSON.test(type)) return -1;
  const length = h['content-length'];
  if (typeof length !== 'string' || !/^\d{1,9}$/.test(length)) return -1;
  const n = Number(length);
  return n > 0 && n <= limit ? n : -1;
}

/** Reads exactly `length` bytes of the request; the error of a request cut short is body-parser's. */
function readBody(req: NodeRequest, length: number, done: (err: BodyError | undefined, body?: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  let finished = false;
  // The socket's events run outside the request's async context: `done` runs back inside it
  // (the request id of its log lines), as raw-body does for body-parser.
  const finish = AsyncResource.bind((err: BodyError | undefined, body?: Buffer): void => {
    if (finished) return;
    finished = true;
    done(err, body);
  });
  req.on('data', (chunk) => {
    received += chunk.length;
    if (received <= length) chunks.push(chunk);
  });
  req.on('end', () => {
    if (received !== length) finish(new BodyError(400, 'request.size.invalid', 'request size did not match content length'));
    else finish(undefined, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length));
  });
  // 'close' also follows every 'end': the error is built only for a request cut short.
  const aborted = (): void => {
    if (!finished) finish(new BodyError(400, 'request.aborted', 'request aborted'));
  };
  req.on('error', aborted);
  req.on('close', aborted);
}

/** Parses a strict JSON body (an object or an array) as body-parser does, BOM included. */
function parseStrict(buf: Buffer): unknown {
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let i = 0;
  // JSON's whitespace: space, tab, line feed, carriage return.
  for (let c = text.charCodeAt(0); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(++i));
  const first = text[i];
  if (first !== '{' && first !== '[') throw new BodyError(400, 'entity.parse.failed', 'body is not a JSON object or array');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new BodyError(400, 'entity.parse.failed', err instanceof Error ? err.message : 'malformed JSON');
  }
}

/**
 * `express.json` (strict, given by the adapter: only adapters import express) with `limit`,
 * refusing bodies nested deeper than `MAX_JSON_DEPTH`. A plain JSON body with its length given
 * (what the platforms and the web page send) is read and parsed here directly, with the same
 * checks, statuses and error types; any other body goes through express.json. The fast path
 * spares body-parser's content-type, charset and stream machinery, a few per cent of a turn's CPU.
 */
export function jsonBody<Req, Res>(json: (options: JsonOptions) => Middleware<Req, Res>, limit: string): Middleware<Req, Res> {
  const parse = json({
    limit,
    strict: true,
    verify: (_req, _res, buf) => {
      if (jsonTooDeep(buf)) throw new TooDeepError();
    },
  });
  const limitBytes = byteSize(limit);
  return (req, res, next) => {
    const node = req as unknown as NodeRequest;
    const length = Number.isFinite(limitBytes) ? plainJsonLength(node, limitBytes) : -1;
    if (length > 0) {
      readBody(node, length, (err, buf) => {
        if (err || !buf) return next(err);
        if (jsonTooDeep(buf)) return next(new TooDeepError());
        try {
          node.body = parseStrict(buf);
        } catch (e) {
          return next(e);
        }
        next();
      });
      return;
    }
    parse(req, res, (err?: unknown) => {
      // body-parser turns a verify error into a 403; a body nested too deeply is the client's mistake.
      if (err && (err as { type?: unknown }).type === 'entity.too_deep') next(new TooDeepError());
      else next(err);
    });
  };
}
