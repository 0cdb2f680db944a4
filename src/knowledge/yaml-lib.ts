/**
 * The yaml package, loaded at its first use instead of at startup: a start that reads the content
 * snapshot (snapshot.ts) parses no YAML, and loading the package's ~70 modules was about a seventh
 * of the time to import Dalil. Required synchronously (the package is CommonJS under Node), so the
 * validators stay synchronous.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';

let lib: typeof Yaml | undefined;

/** The yaml package (loaded on the first call). */
export function yaml(): typeof Yaml {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}

/** yaml's `isMap`, loading the package when first called. */
export function isMap<K = unknown, V = unknown>(node: unknown): node is YAMLMap<K, V> {
  return yaml().isMap(node);
}

/** yaml's `isSeq`, loading the package when first called. */
export function isSeq<T = unknown>(node: unknown): node is YAMLSeq<T> {
  return yaml().isSeq(node);
}

/** yaml's `isScalar`, loading the package when first called. */
export function isScalar<T = unknown>(node: unknown): node is Scalar<T> {
  return yaml().isScalar(node);
}
