import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/deleted-migration.js';
import type { FileChange } from '../../src/source/types.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { makeRuleInput } from '../helpers/rule-input.js';

const sql = 'SELECT 1;';
const base = { 'm/001_a.sql': sql, 'm/002_b.sql': sql, 'm/003_c.sql': sql };

function input(head: Record<string, string>, changes: FileChange[], applier?: 'drizzle') {
  return makeRuleInput({ databases: [{ name: 'db', base, head, applier }], changes });
}

describe('deleted-migration', () => {
  it('passes a PR that only adds migrations', async () => {
    await expectPasses(rule, input({ ...base, 'm/004_d.sql': sql }, [{ path: 'm/004_d.sql', status: 'added' }]));
  });

  it('passes a PR that only edits an unrelated file', async () => {
    await expectPasses(rule, input(base, [{ path: 'src/index.ts', status: 'modified' }]));
  });

  it('fires for a deleted migration that is on main', async () => {
    const { 'm/002_b.sql': _gone, ...head } = base;
    const [r] = await expectFires(rule, input(head, [{ path: 'm/002_b.sql', status: 'deleted' }]));
    expect(r).toMatchObject({ messageId: 'deleted', file: 'm/002_b.sql', database: 'db', data: { name: '002_b.sql' } });
  });

  it('fires for a rename: wrangler applies the new name again', async () => {
    const { 'm/002_b.sql': _old, ...rest } = base;
    const [r] = await expectFires(rule, input({ ...rest, 'm/002_better.sql': sql }, [{ path: 'm/002_better.sql', oldPath: 'm/002_b.sql', status: 'renamed' }]));
    expect(r).toMatchObject({ messageId: 'renamed', file: 'm/002_better.sql', data: { from: 'm/002_b.sql', name: '002_better.sql' } });
  });

  it('calls a move out of the migration folders a deletion', async () => {
    const { 'm/002_b.sql': _old, ...rest } = base;
    const [r] = await expectFires(rule, input(rest, [{ path: 'archive/002_b.sql', oldPath: 'm/002_b.sql', status: 'renamed' }]));
    expect(r).toMatchObject({ messageId: 'movedOut', data: { to: 'archive/002_b.sql' } });
  });

  it('reports a whole folder removed once', async () => {
    const changes: FileChange[] = Object.keys(base).map((path) => ({ path, status: 'deleted' }));
    const reports = await expectFires(rule, input({}, changes));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ messageId: 'folderDeleted', data: { count: 3, folder: 'm' } });
  });

  it('warns (not errors) for a Drizzle rename, which is not re-run', async () => {
    const { 'm/002_b.sql': _old, ...rest } = base;
    const [r] = await expectFires(rule, input({ ...rest, 'm/002_x.sql': sql }, [{ path: 'm/002_x.sql', oldPath: 'm/002_b.sql', status: 'renamed' }], 'drizzle'));
    expect(r).toMatchObject({ messageId: 'renamedDrizzle', severity: 'warning' });
  });

  it('ignores deleting a file that was never on main', async () => {
    await expectPasses(rule, input(base, [{ path: 'm/009_draft.sql', status: 'deleted' }]));
  });
});
