/**
 * JSON body parser with a nesting bound. `JSON.parse` of a few megabytes of `[[[[…]]]]` builds
 * millions of arrays and exhausts the heap (the start script caps it): the raw body is scanned
 * first, and a body nested deeper than `MAX_JSON_DEPTH` is refused with 400 before it is parsed.
 */

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

/**
 * `express.json` (strict, given by the adapter: only adapters import express) with `limit`,
 * refusing bodies nested deeper than `MAX_JSON_DEPTH`.
 */
export function jsonBody<Req, Res>(json: (options: JsonOptions) => Middleware<Req, Res>, limit: string): Middleware<Req, Res> {
  const parse = json({
    limit,
    strict: true,
    verify: (_req, _res, buf) => {
      if (jsonTooDeep(buf)) throw new TooDeepError();
    },
  });
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      // body-parser turns a verify error into a 403; a body nested too deeply is the client's mistake.
      if (err && (err as { type?: unknown }).type === 'entity.too_deep') next(new TooDeepError());
      else next(err);
    });
}
