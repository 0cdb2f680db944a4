import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { classifyLine, runClassify } from '../../src/cli/nlu-classify.js';
import { matcherFromPhrases, option, positional } from '../../src/cli/nlu-common.js';
import { PHRASES } from './fixtures.js';

describe('nlu:classify', () => {
  const matcher = matcherFromPhrases(PHRASES);

  it('writes one JSON line with intent, confidence, language and alternatives', () => {
    const out = JSON.parse(classifyLine(matcher, JSON.stringify({ text: 'bghit n9ad lakarta 3afak' }))) as Record<string, unknown>;
    expect(out['text']).toBe('bghit n9ad lakarta 3afak');
    expect(out['intent']).toBe('residence-permit');
    expect(out['lang']).toBe('ar');
    expect(typeof out['confidence']).toBe('number');
    const alts = out['alternatives'] as Array<{ intent: string; confidence: number }>;
    expect(alts.length).toBeGreaterThan(0);
    expect(alts.every((a) => a.intent !== 'residence-permit' && a.intent !== 'out-of-scope')).toBe(true);
  });

  it('answers out-of-scope for what Dalil does not cover', () => {
    const out = JSON.parse(classifyLine(matcher, JSON.stringify({ text: 'visa for canada' }))) as { intent: string };
    expect(out.intent).toBe('out-of-scope');
  });

  it('reports bad input lines instead of stopping', () => {
    expect(JSON.parse(classifyLine(matcher, 'not json'))).toHaveProperty('error');
    expect(JSON.parse(classifyLine(matcher, '{"txt": 1}'))).toHaveProperty('error');
  });

  it('trains on a --train file and streams stdin', async () => {
    const lines: string[] = [];
    const file = new URL('./fixtures-train.jsonl', import.meta.url).pathname;
    const input = Readable.from(['{"text":"card blocked"}\n', '\n', '{"text":"tell me a joke"}\n']);
    await runClassify(['--train', file], input, (l) => lines.push(l));
    expect(lines.map((l) => (JSON.parse(l) as { intent: string }).intent)).toEqual(['card_blocked', 'out-of-scope']);
  });
});

describe('argument helpers', () => {
  it('reads options in both forms and positional arguments', () => {
    expect(option(['a.jsonl', '--train', 'b.jsonl'], 'train')).toBe('b.jsonl');
    expect(option(['--train=c.jsonl'], 'train')).toBe('c.jsonl');
    expect(positional(['a.jsonl', '--train', 'b.jsonl', '--json'], ['train'])).toEqual(['a.jsonl']);
  });
});
