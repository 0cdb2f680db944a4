/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and summarises where the time went: self time by
 * file or package, inclusive time by file or package, and self time by function.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `src/...` for the project's files, `pkg:<name>` for a dependency, `node:...` for Node's own. */
export function placeOf(url: string): string {
  if (!url) return '(native, gc, idle)';
  const own = /dalil-bench\/dist\/(.*)$/.exec(url) ?? /\/work\/[^/]+\/((?:src|bench)\/.*)$/.exec(url);
  if (own) return own[1] as string;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `pkg:${pkg[1]}`;
  return url;
}

/** A text summary of `file` (the `top` largest entries of each table). */
export function summariseProfile(file: string, top = 25): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  let idle = 0;
  p.samples.forEach((id, i) => {
    const d = p.timeDeltas[i] ?? 0;
    total += d;
    if (byId.get(id)?.callFrame.functionName === '(idle)') idle += d;
    self.set(id, (self.get(id) ?? 0) + d);
  });
  const selfPlace = new Map<string, number>();
  const inclPlace = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number): void => {
    m.set(k, (m.get(k) ?? 0) + v);
  };
  for (const [id, t] of self) {
    const n = byId.get(id) as ProfileNode;
    if (n.callFrame.functionName === '(idle)') continue;
    add(selfPlace, placeOf(n.callFrame.url), t);
    add(selfFn, `${n.callFrame.functionName || '(anonymous)'} ${placeOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`, t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const place = placeOf((byId.get(cur) as ProfileNode).callFrame.url);
      if (!seen.has(place)) {
        seen.add(place);
        add(inclPlace, place, t);
      }
    }
  }
  const busy = total - idle;
  const table = (m: Map<string, number>): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${(v / 1000).toFixed(1).padStart(9)} ms ${((100 * v) / busy).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  return [
    `profile ${file}: ${(total / 1000).toFixed(0)} ms, of which busy ${(busy / 1000).toFixed(0)} ms (percentages are of busy time)`,
    '--- self time by place',
    table(selfPlace),
    '--- inclusive time by place',
    table(inclPlace),
    '--- self time by function',
    table(selfFn),
  ].join('\n');
}
