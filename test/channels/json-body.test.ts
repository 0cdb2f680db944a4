/**
 * The JSON body parser of the webhooks and `/api/chat`: a plain JSON body with its length is read
 * directly, anything else by express.json; both give the same bodies, statuses and error types.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteSize, jsonBody } from '../../src/channels/shared/json-body.js';

let base = '';
let close: () => void = () => {};

beforeAll(async () => {
  const app = express();
  app.post('/echo', jsonBody(express.json, '1kb'), (req, res) => {
    res.json({ body: (req.body as unknown) ?? null });
  });
  app.use((err: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err.status ?? 500).json({ type: err.type ?? 'unknown' });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

/** Posts raw bytes with exactly the headers given (no Content-Length unless given: then chunked). */
function post(body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/echo`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sized = (body: Buffer | string, type = 'application/json'): Record<string, string> => ({ 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('jsonBody', () => {
  it('parses plain JSON, with or without a UTF-8 charset or a byte order mark', async () => {
    const text = JSON.stringify({ user: 'u1', text: 'مرحبا, ça va ?' });
    for (const headers of [sized(text), sized(text, 'application/json; charset=utf-8'), sized(text, 'Application/JSON;charset="UTF-8"')]) {
      expect(await post(text, headers)).toEqual({ status: 200, json: { body: { user: 'u1', text: 'مرحبا, ça va ?' } } });
    }
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(' \n{"a":1}')]);
    expect(await post(bom, sized(bom))).toEqual({ status: 200, json: { body: { a: 1 } } });
  });

  it('gives the same answers on both paths (length given, or chunked through express.json)', async () => {
    const chunked = { 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
    for (const [body, status, expected] of [
      ['{"a":[1,2]}', 200, { body: { a: [1, 2] } }],
      ['42', 400, { type: 'entity.parse.failed' }],
      ['"text"', 400, { type: 'entity.parse.failed' }],
      ['{"a":', 400, { type: 'entity.parse.failed' }],
      [nested(65), 400, { type: 'entity.too_deep' }],
      [nested(64), 200, { body: JSON.parse(nested(64)) as unknown }],
      ['x'.repeat(2000), 413, { type: 'entity.too.large' }],
    ] as const) {
      expect(await post(body, sized(body)), `${body.slice(0, 20)} with a length`).toEqual({ status, json: expected });
      expect(await post(body, chunked), `${body.slice(0, 20)} chunked`).toEqual({ status, json: expected });
    }
  });

  it('leaves other bodies to express.json: compressed JSON is read, other types are not parsed', async () => {
    const gz = gzipSync('{"a":1}');
    expect(await post(gz, { ...sized(gz), 'content-encoding': 'gzip' })).toEqual({ status: 200, json: { body: { a: 1 } } });
    expect(await post('{"a":1}', sized('{"a":1}', 'text/plain'))).toEqual({ status: 200, json: { body: null } });
    expect((await post('{"a":1}', sized('{"a":1}', 'application/json; charset=latin1'))).status).toBe(415);
  });

  it('reads the sizes config accepts', () => {
    expect(byteSize('64kb')).toBe(65_536);
    expect(byteSize('1mb')).toBe(1_048_576);
    expect(byteSize('20000')).toBe(20_000);
    expect(byteSize('lots')).toBeNaN();
  });
});
