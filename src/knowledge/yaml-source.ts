/**
 * YAML parsing with positions: every node can be mapped back to its line in the file it came
 * from (front matter is offset by the lines before it), so editors get `file:line` messages.
 */
import { isMap, isScalar, isSeq, yaml } from './yaml-lib.js';
import type { Document, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { IssueCodeName, IssueSink } from './issues.js';
import { didYouMean, suggestion } from './issues.js';

/** Plain-language hints for the YAML mistakes editors make most. */
const YAML_HINTS: ReadonlyArray<readonly [RegExp, string, IssueCodeName]> = [
  [/Nested mappings are not allowed|Implicit keys need to be on a single line/, 'a text that contains ": " must be put between double quotes, and fields start at the beginning of the line', 'yaml.colon'],
  [/Tabs are not allowed/, 'indent with spaces, not tabs', 'yaml.tabs'],
  [/Map keys must be unique/, 'the same field is written twice', 'yaml.duplicateField'],
  [/Flow sequence .*end with a \]/, 'a list such as [a, b] must be closed with ] on the same line', 'yaml.unclosedList'],
  [/Missing closing "?quote/, 'a text opened with a quote must be closed with the same quote', 'yaml.unclosedQuote'],
];

/** A parsed YAML text that knows the file line of each node. */
export interface YamlSource {
  doc: Document.Parsed;
  /** File line (1-based) where `node` starts, or `fallback` for a missing node. */
  line(node: unknown, fallback: number): number;
}

/**
 * Parses `text`, whose first line is line `firstLine` of its file. Reports syntax errors
 * (duplicate keys included) to `sink` and returns `undefined` when there were any.
 */
export function parseYaml(text: string, firstLine: number, sink: IssueSink, what: string): YamlSource | undefined {
  const counter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number): number => counter.linePos(offset).line + firstLine - 1;
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      const known = YAML_HINTS.find(([re]) => re.test(reason));
      const hint = known?.[1];
      sink.error(lineAt(err.pos[0]), `${what} is not valid YAML: ${reason}${hint ? ` (${hint})` : ''}`, { code: known?.[2] ?? 'yaml.invalid', params: { reason } });
    }
    return undefined;
  }
  return {
    doc,
    line(node, fallback) {
      const range = (node as Node | null | undefined)?.range;
      return range ? lineAt(range[0]) : fallback;
    },
  };
}

/** One `key: value` of a YAML map, with the key as text and its line. */
export interface Field {
  key: string;
  line: number;
  /** The value node (`null` when the key has no value). */
  node: unknown;
  /** The plain JavaScript value. */
  value: unknown;
}

/** The fields of a map node, in file order. */
export function fieldsOf(map: YAMLMap, src: YamlSource, fallbackLine: number): Field[] {
  return map.items.map((pair: Pair) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const node = pair.value ?? null;
    return {
      key,
      line: src.line(pair.key, fallbackLine),
      node,
      value: toJs(node),
    };
  });
}

/** The plain JavaScript value of a node. */
export function toJs(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return node.value;
  if (isMap(node) || isSeq(node)) return (node as YAMLMap | YAMLSeq).toJSON();
  return null;
}

/**
 * Checks the keys of a map against the known ones: an unknown key is an error when it looks
 * like a typo of a known key, a warning otherwise. Returns the fields by key.
 */
export function checkKeys(
  fields: readonly Field[],
  known: readonly string[],
  sink: IssueSink,
  where: string,
): Map<string, Field> {
  const byKey = new Map<string, Field>();
  for (const f of fields) {
    if (known.includes(f.key)) {
      byKey.set(f.key, f);
      continue;
    }
    const hint = didYouMean(f.key, known);
    if (hint) {
      sink.error(f.line, `unknown field "${f.key}" ${where}${hint} (a misspelt field is ignored)`, { code: 'field.misspelt', params: { name: f.key, ...suggestion(f.key, known) } });
    } else {
      sink.warning(f.line, `unknown field "${f.key}" ${where} is ignored (known fields: ${known.join(', ')})`, { code: 'field.unknown', params: { name: f.key, known: known.join(', ') } });
    }
  }
  return byKey;
}

/** The items of a sequence node with their lines, or `undefined` when the node is not a list. */
export function itemsOf(node: unknown, src: YamlSource, fallbackLine: number): Array<{ node: unknown; line: number; value: unknown }> | undefined {
  if (!isSeq(node)) return undefined;
  return node.items.map((item) => ({ node: item, line: src.line(item, fallbackLine), value: toJs(item) }));
}

export { isMap, isScalar, isSeq };
