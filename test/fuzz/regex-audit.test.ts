/**
 * Static audit of every regular expression in `src/`: none may nest unbounded quantifiers
 * ("star height" above 1, as in `(a+)+` or `(\s*\w+)*`), the shape that backtracks
 * exponentially on a crafted message. Literals are found with the TypeScript parser (regex
 * literals and `new RegExp("...")` with a literal pattern). The fuzz tests then time the
 * polynomial cases on 10,000-character inputs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { noHang } from './support.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Where a pattern was found. */
interface Found {
  file: string;
  line: number;
  pattern: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : name.endsWith('.ts') ? [p] : [];
  });
}

/** Every regex pattern of a source file. */
export function patternsOf(file: string, source: string): Found[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const out: Found[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(sf);
      out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, pattern: text.slice(1, text.lastIndexOf('/')) });
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      const arg = node.arguments?.[0];
      if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) {
        out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, pattern: arg.text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * The star height of a pattern: how deeply unbounded quantifiers (`*`, `+`, `{n,}`) nest.
 * Bounded ones (`?`, `{n}`, `{n,m}`) do not count. Character classes and escapes are atoms.
 */
export function starHeight(pattern: string): number {
  let i = 0;
  /** Reads a quantifier at `i`, if any; returns whether it is unbounded. */
  const quantifier = (): boolean | undefined => {
    const c = pattern[i];
    if (c === '*' || c === '+') {
      i += 1;
      if (pattern[i] === '?' || pattern[i] === '+') i += 1;
      return true;
    }
    if (c === '?') {
      i += 1;
      if (pattern[i] === '?') i += 1;
      return false;
    }
    if (c === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(pattern.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      if (pattern[i] === '?') i += 1;
      return m[2] === ',' && m[3] === '';
    }
    return undefined;
  };
  /** Parses a sequence until `)` or the end; returns its height. */
  const sequence = (): number => {
    let height = 0;
    while (i < pattern.length && pattern[i] !== ')') {
      let inner = 0;
      const c = pattern[i];
      if (c === '\\') {
        i += 2;
      } else if (c === '[') {
        i += 1;
        if (pattern[i] === '^') i += 1;
        if (pattern[i] === ']') i += 1;
        while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
        i += 1;
      } else if (c === '(') {
        i += 1;
        if (pattern[i] === '?') {
          // (?:  (?=  (?!  (?<=  (?<!  (?<name>
          i += 1;
          if (pattern[i] === '<' && pattern[i + 1] !== '=' && pattern[i + 1] !== '!') {
            while (i < pattern.length && pattern[i] !== '>') i += 1;
          }
          i += 1;
        }
        inner = sequence();
        i += 1; // ')'
      } else {
        i += 1;
      }
      const q = quantifier();
      height = Math.max(height, q === true ? inner + 1 : inner);
    }
    return height;
  };
  let height = 0;
  while (i < pattern.length) {
    height = Math.max(height, sequence());
    if (pattern[i] === ')') i += 1; // unbalanced: keep going
  }
  return height;
}

/**
 * Nested quantifiers that were reviewed and are linear: each repetition of the outer group must
 * start with a character the inner quantifier cannot match, so a text splits one way only. Each is
 * also run on inputs crafted against it below.
 */
const REVIEWED: Record<string, { why: string; attacks: string[] }> = {
  '^[a-z0-9]+(?:-[a-z0-9]+)*$': {
    why: 'ids of content files (not user input); every repetition starts with "-", which [a-z0-9] cannot match',
    attacks: ['a'.repeat(50_000) + '!', 'a-'.repeat(25_000) + '!', '-'.repeat(50_000), 'a-a'.repeat(16_000) + '-!'],
  },
};

describe('regular expressions of src/', () => {
  it('the analyser tells nested unbounded quantifiers from safe patterns', () => {
    expect(starHeight('(a+)+')).toBe(2);
    expect(starHeight('(?:\\s*\\w+)*$')).toBe(2);
    expect(starHeight('^(\\d+\\.)*\\d+$')).toBe(2);
    expect(starHeight('(?:[ .-]?\\d\\d){4}')).toBe(0);
    expect(starHeight('\\+?\\d[\\d\\s-]{5,}\\d')).toBe(1);
    expect(starHeight('[(+*)]+')).toBe(1);
    expect(starHeight('(?<name>a{2,})x')).toBe(1);
    expect(starHeight('\\(a+\\)+')).toBe(1);
  });

  it('never nest unbounded quantifiers (no catastrophic backtracking)', () => {
    const found = tsFiles(SRC).flatMap((f) => patternsOf(path.relative(SRC, f), readFileSync(f, 'utf8')));
    expect(found.length).toBeGreaterThan(50);
    const risky = found.filter((f) => starHeight(f.pattern) > 1 && !(f.pattern in REVIEWED)).map((f) => `src/${f.file}:${f.line}: /${f.pattern}/`);
    expect(risky, `patterns that can backtrack exponentially:\n${risky.join('\n')}`).toEqual([]);
  });

  it('the reviewed nested patterns stay fast on inputs crafted against them', () => {
    for (const [pattern, { attacks }] of Object.entries(REVIEWED)) {
      const re = new RegExp(pattern);
      for (const attack of attacks) noHang(`/${pattern}/ on ${attack.length} chars`, () => re.test(attack));
    }
  });
});
