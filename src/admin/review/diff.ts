/**
 * A line diff (longest common subsequence) for showing what a draft or a version changed.
 */

/** One line of a diff. */
export interface DiffLine {
  op: 'same' | 'add' | 'del';
  text: string;
}

/** Lines of `a` and `b` compared; long unchanged stretches are kept (the view folds them). */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a === '' ? [] : a.replace(/\r\n?/g, '\n').split('\n');
  const y = b === '' ? [] : b.replace(/\r\n?/g, '\n').split('\n');
  // Common prefix and suffix first: edits are usually small.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const mx = x.slice(start, endX);
  const my = y.slice(start, endY);
  const out: DiffLine[] = x.slice(0, start).map((text) => ({ op: 'same', text }));
  if (mx.length * my.length > 4_000_000) {
    out.push(...mx.map((text) => ({ op: 'del' as const, text })), ...my.map((text) => ({ op: 'add' as const, text })));
  } else {
    const lcs: number[][] = Array.from({ length: mx.length + 1 }, () => new Array<number>(my.length + 1).fill(0));
    for (let i = mx.length - 1; i >= 0; i--) {
      for (let j = my.length - 1; j >= 0; j--) {
        lcs[i]![j] = mx[i] === my[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < mx.length || j < my.length) {
      if (i < mx.length && j < my.length && mx[i] === my[j]) {
        out.push({ op: 'same', text: mx[i]! });
        i++;
        j++;
      } else if (j < my.length && (i >= mx.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
        out.push({ op: 'add', text: my[j]! });
        j++;
      } else {
        out.push({ op: 'del', text: mx[i]! });
        i++;
      }
    }
  }
  out.push(...x.slice(endX).map((text) => ({ op: 'same' as const, text })));
  return out;
}
