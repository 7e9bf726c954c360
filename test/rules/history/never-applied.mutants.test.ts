// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the other
// tests of never-applied.ts. baseFailureBlocking: Drizzle's migrator runs a folder's pending migrations in one
// transaction, so a failure blocks the failing file and every later file of the same folder, nothing earlier and
// nothing in another folder.
import { describe, expect, it } from 'vitest';
import type { ReplayFailure } from '../../../src/replay/types.js';
import { baseFailureBlocking } from '../../../src/rules/history/never-applied.js';
import deletedMigration from '../../../src/rules/deleted-migration.js';
import editedMigration from '../../../src/rules/edited-migration.js';
import { expectFires } from '../../helpers/lint.js';
import { migrationsInput } from '../../helpers/prepared-input.js';
import { makeRuleInput } from '../../helpers/rule-input.js';

const sql = 'SELECT 1;';
const failure = (file: string): ReplayFailure => ({ kind: 'sql', file, line: 1, statement: 'SELECT nope;', message: 'no such column: nope', more: 0 });

function drizzleDb(failingFile: string) {
  const files = { 'other/0000_x.sql': sql, 'd/0000_a.sql': sql, 'd/0001_b.sql': sql, 'd/0002_c.sql': sql };
  const db = makeRuleInput({ databases: [{ name: 'app', applier: 'drizzle', base: files, head: files }] }).databases[0];
  db.base.replay.failures = [failure(failingFile)];
  const file = (path: string) => db.base.files.find((f) => f.path === path)!;
  return { db, file };
}

describe('baseFailureBlocking (mutation cases)', () => {
  it('blocks the failing Drizzle file and the later ones of its folder, not the earlier ones', () => {
    const { db, file } = drizzleDb('d/0001_b.sql');
    expect(baseFailureBlocking(db, file('d/0000_a.sql'))).toBeUndefined();
    expect(baseFailureBlocking(db, file('d/0001_b.sql'))?.file).toBe('d/0001_b.sql');
    expect(baseFailureBlocking(db, file('d/0002_c.sql'))?.file).toBe('d/0001_b.sql');
  });

  it('does not let a failure in another folder block a Drizzle folder', () => {
    const { db, file } = drizzleDb('other/0000_x.sql');
    expect(baseFailureBlocking(db, file('d/0002_c.sql'))).toBeUndefined();
  });
});

// refusedWhenPopulated / stillRefused through the rules that use them: main's newest migration adds a column in a form
// SQLite refuses once the table has rows (every database with rows refused it and recorded nothing).
describe('main\'s newest migration, refused where its table has rows', () => {
  const posts = 'CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);\n';
  const deleting = (refused: string, more: Record<string, string> = {}) =>
    migrationsInput({ 'migrations/0001_posts.sql': posts, 'migrations/0002_refused.sql': refused, ...more }, { 'migrations/0002_refused.sql': null });
  const editing = (refused: string, edited: string) =>
    migrationsInput({ 'migrations/0001_posts.sql': posts, 'migrations/0002_refused.sql': refused }, { 'migrations/0002_refused.sql': edited });

  it('names each form SQLite refuses: REFERENCES with a non-NULL default, a STORED generated column', async () => {
    const [references] = await expectFires(deletedMigration, deleting('ALTER TABLE posts ADD COLUMN author_id INTEGER REFERENCES users(id) DEFAULT 1;\n'));
    expect(references).toMatchObject({ messageId: 'deletedRefused', severity: 'warning', line: 1, data: { table: 'posts', column: 'author_id', reason: 'REFERENCES with the non-NULL default `1`' } });
    const [stored] = await expectFires(deletedMigration, deleting('\nALTER TABLE posts ADD COLUMN slug TEXT GENERATED ALWAYS AS (lower(title)) STORED;\n'));
    expect(stored).toMatchObject({ messageId: 'deletedRefused', line: 2, data: { table: 'posts', column: 'slug', reason: 'a STORED generated column' } });
  });

  it('is the newest of its own folder, whatever another folder of the database ran after it', async () => {
    // Two folders apply to app-db; `zz/` sorts after `migrations/`, but wrangler applies each folder on its own.
    const [r] = await expectFires(deletedMigration, deleting('ALTER TABLE posts ADD COLUMN score INTEGER NOT NULL;\n', { 'zz/0001_tags.sql': 'CREATE TABLE tags (id INTEGER);\n' }));
    expect(r).toMatchObject({ messageId: 'deletedRefused', data: { table: 'posts', column: 'score' } });
    const later = await expectFires(deletedMigration, deleting('ALTER TABLE posts ADD COLUMN score INTEGER NOT NULL;\n', { 'migrations/0003_tags.sql': 'CREATE TABLE tags (id INTEGER);\n' }));
    expect(later.map((l) => l.messageId)).toEqual(['deleted']);
  });

  it('was refused even when the same file renames the table afterwards (gone from main\'s schema under its old name)', async () => {
    const [r] = await expectFires(deletedMigration, deleting('ALTER TABLE posts ADD COLUMN score INTEGER NOT NULL;\nALTER TABLE posts RENAME TO articles;\n'));
    expect(r).toMatchObject({ messageId: 'deletedRefused', file: 'migrations/0002_refused.sql', line: 1, data: { table: 'posts', column: 'score', reason: 'NOT NULL without a default' } });
  });

  it('does not count an ADD COLUMN to a table the file creates, whatever the letter case', async () => {
    // A string literal names a table too, and keeps its letter case.
    const [r] = await expectFires(deletedMigration, deleting("CREATE TABLE drafts (id INTEGER);\nALTER TABLE 'Drafts' ADD COLUMN body TEXT NOT NULL;\n"));
    expect(r).toMatchObject({ messageId: 'deleted', file: 'migrations/0002_refused.sql' });
  });

  const refused = 'ALTER TABLE posts ADD COLUMN score INTEGER NOT NULL;\n';

  it('is repaired by an edit whose only refused-looking ADD COLUMN is to a table it creates (empty everywhere)', async () => {
    const [r] = await expectFires(editedMigration, editing(refused, 'ALTER TABLE posts ADD COLUMN score INTEGER NOT NULL DEFAULT 0;\nCREATE TABLE votes (id INTEGER);\nALTER TABLE votes ADD COLUMN score INTEGER NOT NULL;\n'));
    expect(r).toMatchObject({ messageId: 'repairRefused', severity: 'warning', data: { table: 'posts', column: 'score' } });
  });

  it('is not repaired by an edit that still adds a column in a refused form: renamed, or to another older table', async () => {
    const renamed = await expectFires(editedMigration, editing(refused, 'ALTER TABLE posts ADD COLUMN rank INTEGER NOT NULL;\n'));
    expect(renamed.map((r) => r.messageId)).toEqual(['edited']);
    const moved = await expectFires(editedMigration, editing(refused, 'ALTER TABLE users ADD COLUMN score INTEGER NOT NULL;\n'));
    expect(moved.map((r) => r.messageId)).toEqual(['edited']);
  });
});
