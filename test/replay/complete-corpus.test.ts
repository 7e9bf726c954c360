// isComplete against SQLite's own sqlite3_complete(), on a corpus made by scripts/make-split-corpus.py.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isComplete } from '../../src/replay/split.js';

const corpus = JSON.parse(readFileSync(new URL('../../fixtures/split/complete-corpus.json', import.meta.url), 'utf8')) as {
  cases: [string, boolean][];
  complete: number;
};

describe('isComplete matches sqlite3_complete()', () => {
  it('holds thousands of cases of both verdicts', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(5000);
    expect(corpus.complete).toBeGreaterThan(1000);
    expect(corpus.cases.length - corpus.complete).toBeGreaterThan(1000);
  });

  it('agrees on every case', () => {
    const mismatches = corpus.cases.filter(([sql, expected]) => isComplete(sql) !== expected);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
