// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the other
// tests of lineDiff, the diff `edited-migration` and `deleted-migration` show and `drizzle-schema-stale` points with.
import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../../src/rules/history/line-diff.js';

const numbered = (n: number, changed: (k: number) => boolean = () => false) =>
  Array.from({ length: n }, (_, k) => (changed(k) ? `LINE ${k}` : `line ${k}`)).join('\n');

describe('lineDiff (mutation cases)', () => {
  it('sees no change when only the line endings differ, on either side', () => {
    expect(lineDiff('a\r\nb', 'a\nb')).toBeUndefined();
    expect(lineDiff('a\nb', 'a\r\nb')).toBeUndefined();
  });

  it('shows lines removed from or added at the end, pointing at the last line or the first added one', () => {
    expect(lineDiff('a\nb\nc', 'a')).toEqual({ lines: ['- b', '- c'], firstLine: 1, changed: 2 });
    expect(lineDiff('a', 'a\nb')).toEqual({ lines: ['+ b'], firstLine: 2, changed: 1 });
    expect(lineDiff('a\nb\nc', 'a\nc')).toEqual({ lines: ['- b'], firstLine: 2, changed: 1 });
  });

  it('never counts a line twice when the common start and end overlap (a repeated line)', () => {
    expect(lineDiff('a\nb', 'a\na\nb')).toEqual({ lines: ['+ a'], firstLine: 2, changed: 1 });
    expect(lineDiff('a\na\nb', 'a\nb')).toEqual({ lines: ['- a'], firstLine: 2, changed: 1 });
  });

  it('aligns the changed middle on its longest common run of lines, removals first', () => {
    // c moved: one line added before it, one removed after it.
    expect(lineDiff('p\nc\nx\nq', 'p\ny\nc\nq')).toEqual({ lines: ['+ y', '- x'], firstLine: 2, changed: 2 });
    // c and d kept: x removed, y inserted between them, the last line replaced.
    expect(lineDiff('x\nc\nd\ne', 'c\ny\nd\nf')).toEqual({ lines: ['- x', '+ y', '- e', '+ f'], firstLine: 1, changed: 4 });
    // d kept with lines added on both sides of it.
    expect(lineDiff('d', 'b\na\nd\nc')).toEqual({ lines: ['+ b', '+ a', '+ c'], firstLine: 1, changed: 3 });
  });

  it('trims the unchanged end, so one edited line of a long file is one line of diff', () => {
    expect(lineDiff(numbered(600), numbered(600, (k) => k === 0))).toEqual({ lines: ['- line 0', '+ LINE 0'], firstLine: 1, changed: 2 });
  });

  it('aligns up to 250,000 line pairs and shows a larger middle replaced wholesale', () => {
    // 500 × 500 lines between the first and last change: aligned, the 498 lines between them kept.
    expect(lineDiff(numbered(500), numbered(500, (k) => k === 0 || k === 499))).toEqual({
      lines: ['- line 0', '+ LINE 0', '- line 499', '+ LINE 499'],
      firstLine: 1,
      changed: 4,
    });
    // 501 × 501: every old line removed, then every new line added.
    const before = `keep\n${numbered(501)}`;
    const after = `keep\n${numbered(501, (k) => k === 0 || k === 500)}`;
    const all = lineDiff(before, after, 2000)!;
    expect(all).toMatchObject({ firstLine: 2, changed: 1002 });
    expect(all.lines).toEqual([...numbered(501).split('\n').map((l) => `- ${l}`), ...after.split('\n').slice(1).map((l) => `+ ${l}`)]);
    expect(lineDiff(before, after)!.lines).toEqual([...all.lines.slice(0, 12), '… 990 more changed lines']);
  });

  it('counts what is left past the limit, in the singular for one', () => {
    // 6 lines replaced: 12 changed lines.
    const six = (limit: number) => lineDiff(numbered(6), numbered(6, () => true), limit)!.lines;
    expect(six(12)).toEqual([...numbered(6).split('\n').map((l) => `- ${l}`), ...numbered(6, () => true).split('\n').map((l) => `+ ${l}`)]);
    expect(six(11)).toEqual([...six(12).slice(0, 11), '… 1 more changed line']);
    expect(six(10)).toEqual([...six(12).slice(0, 10), '… 2 more changed lines']);
  });

  it('cuts a shown line longer than 160 characters to 159 and an ellipsis', () => {
    const fits = 'x'.repeat(158); // `- ` + 158 = 160
    const long = 'y'.repeat(159);
    expect(lineDiff('a', fits)!.lines).toEqual(['- a', `+ ${fits}`]);
    expect(lineDiff('a', long)!.lines).toEqual(['- a', `+ ${'y'.repeat(157)}…`]);
  });
});
