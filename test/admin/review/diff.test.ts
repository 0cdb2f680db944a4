/**
 * Line diffs shown on the review and history pages.
 */
import { describe, expect, it } from 'vitest';
import { diffLines } from '../../../src/admin/review/diff.js';

describe('diffs', () => {
  it('diffs lines', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'add', text: 'x' },
      { op: 'del', text: 'b' },
      { op: 'same', text: 'c' },
    ]);
    expect(diffLines('', 'new')).toEqual([{ op: 'add', text: 'new' }]);
  });
});
