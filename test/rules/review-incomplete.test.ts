import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/review-incomplete.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { IncompleteItem } from '../../src/rules/types.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput } from '../helpers/prepared-input.js';

async function input(items: IncompleteItem[], limits: Partial<ReturnType<typeof defaultConfig>['limits']> = {}) {
  return { ...(await prInput({})), incomplete: items, limits: { ...defaultConfig().limits, ...limits } };
}

describe('review-incomplete', () => {
  it('passes when the review did everything', async () => {
    await expectPasses(rule, input([]));
  });

  it('names each database, evaluation and file the limits left out, as errors', async () => {
    const reports = await expectFires(
      rule,
      input([
        { kind: 'deadline-replay', database: 'engine' },
        { kind: 'database-cap', database: 'zz', limit: 50 },
        { kind: 'evaluation-cap', database: 'app', folder: 'drizzle', limit: 10 },
        { kind: 'deadline-code-search', searched: 3, total: 9 },
        { kind: 'read-budget', file: 'src/big.ts', bytes: 900 * 1024, limit: 256 * 1024 * 1024 },
      ]),
    );
    expect(reports.map((r) => [r.messageId, r.database ?? r.file ?? '', r.severity])).toEqual([
      ['deadline-replay', 'engine', 'error'],
      ['database-cap', 'zz', 'error'],
      ['evaluation-cap', 'app', 'error'],
      ['deadline-code-search', '', 'error'],
      ['read-budget', 'src/big.ts', 'error'],
    ]);
    expect(reports[0].data).toMatchObject({ database: 'engine', seconds: 30 });
    expect(reports[4].data).toEqual({ file: 'src/big.ts', size: '900 KB', limit: '256 MB' });
  });

  it("names the PR's migrations a stopped replay never ran, at the first of them", async () => {
    const one = await expectFires(rule, input([{ kind: 'replay-stopped', database: 'app', file: 'm/0001.sql', line: 4, files: ['m/0002.sql'] }]));
    expect(one).toEqual([
      expect.objectContaining({ messageId: 'replay-stopped', database: 'app', file: 'm/0002.sql', severity: 'error' }),
    ]);
    expect(one[0].data).toEqual({ database: 'app', stop: 'm/0001.sql:4', files: ['m/0002.sql'], them: 'is' });
    const two = await expectFires(rule, input([{ kind: 'replay-stopped', database: 'app', file: 'm/0002.sql', line: 1, files: ['m/0003.sql', 'm/0004.sql'] }]));
    expect(two[0]).toMatchObject({ file: 'm/0003.sql', data: { files: ['m/0003.sql', 'm/0004.sql'], them: 'are' } });
  });

  it('reports warnings when the base config asks for a neutral check, and each item once', async () => {
    const item: IncompleteItem = { kind: 'deadline-evaluation', database: 'app', folder: 'drizzle' };
    const reports = await expectFires(rule, input([item, { ...item }], { onIncomplete: 'neutral' }));
    expect(reports).toEqual([expect.objectContaining({ messageId: 'deadline-evaluation', file: 'drizzle', severity: 'warning' })]);
  });
});
