import { describe, expect, it } from 'vitest';
import { addedMigrations, prChangesDatabaseFolder, prChangesMigrationFile, rebuildNames, rebuiltTables } from '../../../src/rules/shared/pr-operations.js';
import { prInput } from '../../helpers/prepared-input.js';

const sql = 'CREATE TABLE IF NOT EXISTS t(id);';

describe('what the PR changes', () => {
  const base = { 'migrations/0001_a.sql': sql, 'migrations/README.md': 'notes' };

  it('tells a changed migration file from any change in the database\'s folder', async () => {
    const readme = await prInput(base, { 'migrations/README.md': 'more notes' });
    expect([prChangesMigrationFile(readme, readme.databases[0]), prChangesDatabaseFolder(readme, readme.databases[0])]).toEqual([false, true]);
    const deleted = await prInput(base, { 'migrations/0001_a.sql': null });
    expect([prChangesMigrationFile(deleted, deleted.databases[0]), prChangesDatabaseFolder(deleted, deleted.databases[0])]).toEqual([true, true]);
    const elsewhere = await prInput(base, { 'src/app.ts': 'export {};' });
    expect([prChangesMigrationFile(elsewhere, elsewhere.databases[0]), prChangesDatabaseFolder(elsewhere, elsewhere.databases[0])]).toEqual([false, false]);
  });

  it('counts as added only the migrations the PR itself adds, never one main gained meanwhile', async () => {
    const i = await prInput(base, { 'migrations/0002_b.sql': sql }, { mainAfter: { 'migrations/0003_c.sql': sql } });
    expect(addedMigrations(i, i.databases[0]).map((a) => a.file.path)).toEqual(['migrations/0002_b.sql']);
  });
});

describe('rebuild names', () => {
  it('maps every name a rebuild gives back to its table, and nothing else', () => {
    for (const name of rebuildNames('posts')) expect(rebuiltTables(name)).toContain('posts');
    expect(rebuiltTables('posts')).toEqual([]);
    expect(rebuiltTables('__new_')).toEqual([]);
  });
});
