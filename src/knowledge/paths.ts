/** Path helpers: files are named in issues relative to the project root, with forward slashes. */
import path from 'node:path';

/** `abs` relative to `root`, with `/` separators (what editors see in messages). */
export function relativeFile(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}
