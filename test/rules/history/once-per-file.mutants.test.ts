// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the other
// tests of oncePerFile.
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/findings.js';
import { oncePerFile } from '../../../src/rules/history/once-per-file.js';

describe('oncePerFile (mutation cases)', () => {
  it('keeps one report per file problem across the databases a folder feeds, with or without data', () => {
    const reports: Report[] = [
      { messageId: 'm', file: 'f.sql', line: 1, data: { database: 'prod', n: 1 } },
      { messageId: 'm', file: 'f.sql', line: 1, data: { database: 'staging', n: 1 } },
      { messageId: 'bare', file: 'f.sql' },
      { messageId: 'bare', file: 'f.sql' },
    ];
    expect(oncePerFile(reports)).toEqual([reports[0], reports[2]]);
  });

  it('keeps a problem already on main apart from the same problem the PR causes', () => {
    const mine: Report = { messageId: 'm', file: 'f.sql', data: { n: 1 } };
    const onMain: Report = { ...mine, preexisting: true };
    expect(oncePerFile([mine, onMain, { ...mine }, { ...onMain }])).toEqual([mine, onMain]);
    expect(oncePerFile([mine, { ...mine, preexisting: false }])).toEqual([mine]);
  });
});
