// A rename that ran in main's history is not the PR's, even when the PR touches the file holding it (issue 11: the
// summary showed a fake rename, drop and add when a later migration re-created a table under the old name).
import { describe, expect, it } from 'vitest';
import { emptyDelta } from '../../src/schema/delta.js';
import { reviewFiles } from '../helpers/review-files.js';

const wrangler = `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\n`;
const base = {
  'wrangler.toml': wrangler,
  'migrations/0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n',
  'migrations/0002_members.sql': 'ALTER TABLE users RENAME TO members;\n',
  'migrations/0003_users_again.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, handle TEXT);\n',
};

describe('renames from the history', () => {
  it('do not enter the diff when the PR edits the file that ran them', async () => {
    const result = await reviewFiles({ base, pr: { 'migrations/0002_members.sql': '-- users became members in March\nALTER TABLE users RENAME TO members;\n' } });
    expect(result.databases[0].delta).toEqual(emptyDelta());
  });

  it('do not enter the diff when the PR renames the file that ran them', async () => {
    const result = await reviewFiles({
      base,
      pr: { 'migrations/0002_members.sql': null, 'migrations/0002_rename_users.sql': 'ALTER TABLE users RENAME TO members;\n' },
    });
    expect(result.databases[0].delta).toEqual(emptyDelta());
  });

  it('still enter the diff when the PR adds them', async () => {
    const result = await reviewFiles({ base, pr: { 'migrations/0004_people.sql': 'ALTER TABLE members RENAME TO people;\n' } });
    expect(result.databases[0].delta).toMatchObject({ tablesRenamed: [{ from: 'members', to: 'people' }], tablesAdded: [], tablesDropped: [] });
  });
});
