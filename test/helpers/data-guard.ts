/**
 * Proof that tests leave the working tree's `.data/` alone: a listing of every file under a folder
 * with its size and modification time, and what changed between two listings.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Relative path -> `size:mtimeMs` of every file under `dir` (empty when `dir` does not exist). */
export function listFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) {
        out.set(`${child}/`, 'dir');
        walk(child);
      } else {
        const s = statSync(path.join(dir, child));
        out.set(child, `${s.size}:${s.mtimeMs}`);
      }
    }
  };
  walk('');
  return out;
}

/** Paths added, changed or removed between two listings, sorted. */
export function changedFiles(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const out = new Set<string>();
  for (const [p, v] of after) if (before.get(p) !== v) out.add(p);
  for (const p of before.keys()) if (!after.has(p)) out.add(p);
  return [...out].sort();
}
