// How each applier's files are replayed: transactions, best effort, failures per file, renames, D1 notes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationFile } from '../../src/discover/types.js';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { migration, tableNames } from './migration-files.js';

let sandbox: ReplaySandbox;
beforeAll(() => {
  sandbox = new ReplaySandbox({ size: 2, log: () => {} });
});
afterAll(async () => {
  await sandbox.close();
});

const replay = (files: MigrationFile[], dialect: 'd1' | 'sqlite' = 'sqlite') => sandbox.replay({ database: 'db', dialect, files });

const parentChild = migration(
  'm/0001_init.sql',
  [
    'CREATE TABLE parent (id INTEGER PRIMARY KEY);',
    'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));',
    'INSERT INTO parent VALUES (1);',
    'INSERT INTO child VALUES (1, 1);',
  ].join('\n'),
);
// PRAGMA foreign_keys is a no-op inside a transaction, so this DROP only works outside one.
const dropParent = 'PRAGMA foreign_keys = OFF;\nDROP TABLE parent;\nPRAGMA foreign_keys = ON;';

describe('wrangler files', () => {
  it('run each file in its own transaction: PRAGMA foreign_keys inside it changes nothing', async () => {
    const r = await replay([parentChild, migration('m/0002_drop.sql', dropParent)]);
    expect(r.failures).toEqual([
      expect.objectContaining({ kind: 'sql', file: 'm/0002_drop.sql', line: 2, statement: 'DROP TABLE parent;' }),
    ]);
    expect(r.failures[0].message).toMatch(/FOREIGN KEY/);
    expect(tableNames(r.schema)).toEqual(['child', 'parent']);
  });

  it('roll a whole file back when its commit fails (a deferred foreign key still violated)', async () => {
    const r = await replay([
      parentChild,
      migration('m/0002_bad.sql', 'PRAGMA defer_foreign_keys = ON;\nINSERT INTO child VALUES (2, 999);\nCREATE TABLE marker (x);'),
      migration('m/0003_next.sql', 'CREATE TABLE later (x);'),
    ]);
    expect(r.failures).toEqual([expect.objectContaining({ kind: 'sql', file: 'm/0002_bad.sql', line: 3, statement: 'COMMIT' })]);
    expect(tableNames(r.schema)).toEqual(['child', 'later', 'parent']);
  });

  it('enforce foreign keys, as D1 always does', async () => {
    const r = await replay([parentChild, migration('m/0002_orphan.sql', 'INSERT INTO child VALUES (5, 42);')], 'd1');
    expect(r.failures[0]).toMatchObject({ kind: 'sql', line: 1, message: 'FOREIGN KEY constraint failed' });
  });

  it('replay data statements: ADD COLUMN with a non-constant default fails only once the table has rows', async () => {
    const add = "ALTER TABLE t ADD COLUMN created TEXT DEFAULT (datetime('now'));";
    const empty = await replay([migration('m/0001.sql', 'CREATE TABLE t (x);'), migration('m/0002.sql', add)]);
    expect(empty.ok).toBe(true);
    const seeded = await replay([
      migration('m/0001.sql', "CREATE TABLE t (x);\nINSERT INTO t VALUES ('seed');"),
      migration('m/0002.sql', add),
    ]);
    expect(seeded.failures).toEqual([expect.objectContaining({ file: 'm/0002.sql', line: 1, kind: 'sql' })]);
    expect(seeded.failures[0].message).toMatch(/non-constant default/);
  });

  it('go on after a failure (best effort), report the first failure of each file in full and count the rest', async () => {
    const r = await replay([
      migration('m/0001.sql', 'CREATE TABLE a (x);\nCREATE INDEX a_y ON a (y);\nCREATE TABLE b (x);\nSELECT nope;\nSELECT nope_again;'),
      migration('m/0002.sql', 'CREATE TABLE c (x);\nCREATE INDEX c_missing ON missing (x);'),
      migration('m/0003.sql', 'CREATE TABLE d (x);'),
    ]);
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => [f.file, f.line, f.more])).toEqual([
      ['m/0001.sql', 2, 2],
      ['m/0002.sql', 2, 0],
    ]);
    expect(r.failures[0]).toMatchObject({ statement: 'CREATE INDEX a_y ON a (y);', message: 'no such column: y' });
    expect(tableNames(r.schema)).toEqual(['a', 'b', 'c', 'd']);
    expect(r.migrations).toBe(3);
    expect(r.statements).toBe(8);
  });

  // Mutation survivor (issue 11): RAISE(ROLLBACK) ends the file's transaction; replay must open a new one, or the
  // rest of the file runs in autocommit, where PRAGMA foreign_keys takes effect and lets the DROP through.
  it('keep replaying the rest of a file inside a transaction after RAISE(ROLLBACK) ended it', async () => {
    const guard = migration('m/0002_guard.sql', "CREATE TABLE guard (x INTEGER);\nCREATE TRIGGER guard_no AFTER INSERT ON guard BEGIN SELECT RAISE(ROLLBACK, 'no'); END;");
    const r = await replay([parentChild, guard, migration('m/0003_drop.sql', `INSERT INTO guard VALUES (1);\n${dropParent}`)]);
    expect(r.failures).toEqual([expect.objectContaining({ file: 'm/0003_drop.sql', line: 1, statement: 'INSERT INTO guard VALUES (1);', more: 1 })]);
    expect(tableNames(r.schema)).toEqual(['child', 'guard', 'parent']);
  });

  it('report a file that ends inside an unterminated statement as incomplete', async () => {
    const r = await replay([migration('m/0001.sql', "CREATE TABLE a (x);\n\nINSERT INTO a VALUES ('never closed);\n")]);
    expect(r.failures).toEqual([
      expect.objectContaining({ kind: 'incomplete', line: 3, statement: "INSERT INTO a VALUES ('never closed);" }),
    ]);
    expect(tableNames(r.schema)).toEqual(['a']);
  });

  it('run a last statement that lacks its semicolon', async () => {
    const r = await replay([migration('m/0001.sql', 'CREATE TABLE a (x);\nCREATE TABLE b (x)\n-- end')]);
    expect(r.ok).toBe(true);
    expect(tableNames(r.schema)).toEqual(['a', 'b']);
  });
});

describe('drizzle files', () => {
  const head = (n: number, body: string) => migration(`drizzle/000${n}_x.sql`, body, 'drizzle');

  it('share one outer transaction across files: a deferred violation fixed by a later file commits', async () => {
    const files = [
      migration('drizzle/0000_init.sql', parentChild.content.replace(/;\n/g, ';\n--> statement-breakpoint\n'), 'drizzle'),
      head(1, 'PRAGMA defer_foreign_keys = ON;--> statement-breakpoint\nINSERT INTO child VALUES (2, 7);'),
      head(2, 'INSERT INTO parent VALUES (7);\n--> statement-breakpoint\nCREATE TABLE marker (x);'),
    ];
    const drizzle = await replay(files);
    expect(drizzle.failures).toEqual([]);
    expect(tableNames(drizzle.schema)).toEqual(['child', 'marker', 'parent']);
    // The same files applied by wrangler (a transaction per file) fail at the first file's commit.
    const wrangler = await replay(files.map((f) => ({ ...f, applier: 'wrangler' as const })));
    expect(wrangler.failures).toEqual([expect.objectContaining({ file: 'drizzle/0001_x.sql', statement: 'COMMIT' })]);
  });

  it('survive a file that commits the outer transaction to run PRAGMA foreign_keys, as the migrator does', async () => {
    const escape = [
      'COMMIT TRANSACTION;',
      '--> statement-breakpoint',
      dropParent.split('\n').join('\n--> statement-breakpoint\n'),
      '--> statement-breakpoint',
      'BEGIN TRANSACTION;',
    ].join('\n');
    const r = await replay([migration('drizzle/0000_init.sql', parentChild.content, 'drizzle'), head(1, escape), head(2, 'CREATE TABLE z (x);')]);
    expect(r.failures).toEqual([]);
    expect(tableNames(r.schema)).toEqual(['child', 'z']);
  });

  it('report failures at the line of the statement in the whole file', async () => {
    const r = await replay([head(0, 'CREATE TABLE a (x);\n--> statement-breakpoint\n\nCREATE INDEX i ON a (nope);')]);
    expect(r.failures).toEqual([expect.objectContaining({ line: 4, statement: 'CREATE INDEX i ON a (nope);' })]);
  });
});

describe('rename events', () => {
  it('records renames that ran, with the names SQLite stores, and skips failed ones', async () => {
    const r = await replay([
      migration('m/0001.sql', 'CREATE TABLE Users ("Full Name" TEXT, email TEXT);'),
      migration(
        'm/0002.sql',
        [
          'ALTER TABLE users RENAME COLUMN "full name" TO display_name;',
          'ALTER TABLE [users] RENAME email TO `mail`;',
          'ALTER TABLE nope RENAME TO never;',
          'ALTER TABLE "USERS" RENAME TO members;',
          'ALTER TABLE members RENAME COLUMN missing TO x;',
        ].join('\n'),
      ),
    ]);
    expect(r.renames).toEqual([
      { kind: 'column', file: 'm/0002.sql', line: 1, table: 'Users', from: 'Full Name', to: 'display_name' },
      { kind: 'column', file: 'm/0002.sql', line: 2, table: 'Users', from: 'email', to: 'mail' },
      { kind: 'table', file: 'm/0002.sql', line: 4, from: 'Users', to: 'members' },
    ]);
    expect(r.failures.map((f) => [f.line, f.more])).toEqual([[3, 1]]);
  });

  it('sees the rebuild idiom as the rename that ends it', async () => {
    const r = await replay([
      migration('m/0001.sql', 'CREATE TABLE x (a TEXT);'),
      migration(
        'm/0002.sql',
        'CREATE TABLE __new_x (a TEXT NOT NULL);\nINSERT INTO __new_x SELECT a FROM x;\nDROP TABLE x;\nALTER TABLE __new_x RENAME TO x;',
      ),
    ]);
    expect(r.renames).toEqual([{ kind: 'table', file: 'm/0002.sql', line: 4, from: '__new_x', to: 'x' }]);
    expect(r.schema.tables.x.columns[0].notNull).toBe(true);
  });
});

describe('D1 compatibility notes', () => {
  it('skips BEGIN/COMMIT and PRAGMA foreign_keys on D1 with notes, keeping foreign keys enforced', async () => {
    const r = await replay(
      [
        parentChild,
        migration('m/0002.sql', 'BEGIN TRANSACTION;\nPRAGMA foreign_keys = OFF;\nDROP TABLE parent;\nCOMMIT;'),
      ],
      'd1',
    );
    expect(r.compatibility).toEqual([
      { messageId: 'transaction-statement', file: 'm/0002.sql', line: 1, statement: 'BEGIN TRANSACTION;' },
      { messageId: 'foreign-keys-pragma', file: 'm/0002.sql', line: 2, statement: 'PRAGMA foreign_keys = OFF;' },
      { messageId: 'transaction-statement', file: 'm/0002.sql', line: 4, statement: 'COMMIT;' },
    ]);
    expect(r.failures).toEqual([expect.objectContaining({ line: 3, message: 'FOREIGN KEY constraint failed' })]);
  });

  it('gives no notes for plain SQLite databases', async () => {
    const r = await replay([migration('m/0001.sql', 'PRAGMA foreign_keys = ON;\nCREATE TABLE a (x);')]);
    expect(r.compatibility).toEqual([]);
    expect(r.ok).toBe(true);
  });
});
