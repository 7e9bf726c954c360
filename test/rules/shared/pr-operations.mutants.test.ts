// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant of
// src/rules/shared/pr-operations.ts that survived the tests of the rules using it. The helpers are pure functions of
// the review's data, so the inputs here are built by hand (the pipeline-built cases are in pr-operations.test.ts).
import { describe, expect, it } from 'vitest';
import type { MigrationFile } from '../../../src/discover/types.js';
import type { ReplayFailure } from '../../../src/replay/types.js';
import {
  addedMigrations,
  at,
  dropOf,
  fileOperations,
  locateColumnChange,
  locateIntroduced,
  type LocatedOperation,
  prChangesDatabaseFolder,
  prChangesMigrationFile,
  prFiles,
  prOperations,
  prRemovesColumn,
  rebuiltTables,
  schemasComparable,
} from '../../../src/rules/shared/pr-operations.js';
import type { TableOperation } from '../../../src/rules/shared/sql-operations.js';
import type { DatabaseReview, RuleContext } from '../../../src/rules/types.js';
import type { FileChange } from '../../../src/source/types.js';

const file = (path: string, content = '', source = path.slice(0, path.lastIndexOf('/'))): MigrationFile =>
  ({ path, source, applier: 'wrangler', content, number: null, numberText: null });
const dbOf = (base: MigrationFile[], head: MigrationFile[], sources = ['migrations']) =>
  ({ spec: { name: 'app-db', sources: sources.map((path) => ({ path })) }, base: { files: base }, head: { files: head } }) as unknown as DatabaseReview;
const contextOf = (changes: FileChange[]) =>
  ({ changes, touched: new Set(changes.filter((c) => c.status !== 'deleted').map((c) => c.path)) }) as unknown as RuleContext;

const A = file('migrations/0001_a.sql', 'CREATE TABLE a (id);');

describe('fileOperations (mutation cases)', () => {
  it('gives each statement that touches a table its operation, file and line, and the same list on every call', () => {
    const f = file('migrations/0002_b.sql', "PRAGMA foreign_keys = OFF;\nCREATE TABLE b (id);\nSELECT 1;\n\nALTER TABLE b ADD COLUMN c;\n");
    const expected = [
      { op: { kind: 'create-table', table: 'b' }, file: f.path, line: 2 },
      { op: { kind: 'add-column', table: 'b', column: 'c' }, file: f.path, line: 5 },
    ];
    expect(fileOperations(f)).toEqual(expected);
    expect(fileOperations(f)).toEqual(expected);
  });
});

describe('prFiles and prOperations (mutation cases)', () => {
  it('takes the head files the PR touched, in apply order', () => {
    const b = file('migrations/0002_b.sql', 'DROP TABLE a;');
    const c = file('migrations/0003_c.sql', 'CREATE TABLE c (id);');
    const db = dbOf([A], [A, b, c]);
    const input = contextOf([{ path: c.path, status: 'added' }, { path: b.path, status: 'added' }, { path: 'README.md', status: 'modified' }]);
    expect(prFiles(input, db).map((f) => f.path)).toEqual([b.path, c.path]);
    expect(prOperations(input, db).map((o) => [o.op.kind, o.file])).toEqual([
      ['drop-table', b.path],
      ['create-table', c.path],
    ]);
  });
});

describe('prChangesMigrationFile (mutation cases)', () => {
  const b = file('migrations/0002_b.sql');
  it('is true for an added, a deleted or a moved-away migration among other changes', () => {
    expect(prChangesMigrationFile(contextOf([{ path: b.path, status: 'added' }]), dbOf([A], [A, b]))).toBe(true);
    const readme = { path: 'README.md', status: 'modified' } as const;
    expect(prChangesMigrationFile(contextOf([readme, { path: A.path, status: 'deleted' }]), dbOf([A], []))).toBe(true);
    expect(prChangesMigrationFile(contextOf([readme, { path: 'old/0001_a.sql', status: 'renamed', oldPath: A.path }]), dbOf([A], []))).toBe(true);
  });

  it('is false for a rename elsewhere', () => {
    expect(prChangesMigrationFile(contextOf([{ path: 'src/b.ts', status: 'renamed', oldPath: 'src/a.ts' }]), dbOf([A], [A]))).toBe(false);
  });
});

describe('prChangesDatabaseFolder (mutation cases)', () => {
  const readme = (path: string): FileChange => ({ path, status: 'modified' });

  it('counts a migration moved out of its folder, and any file in the folder of a file outside the configured ones', () => {
    const moved = contextOf([readme('docs/x.md'), { path: 'old/0001_a.sql', status: 'renamed', oldPath: A.path }]);
    expect(prChangesDatabaseFolder(moved, dbOf([A], [], []))).toBe(true);
    const baseline = file('db/schema.sql');
    expect(prChangesDatabaseFolder(contextOf([readme('db/seed.md')]), dbOf([baseline, A], [baseline, A]))).toBe(true);
  });

  it('takes every folder into account, and a folder at the root holds everything', () => {
    const db = dbOf([A], [A], ['other', 'migrations']);
    expect(prChangesDatabaseFolder(contextOf([readme('migrations/README.md')]), db)).toBe(true);
    expect(prChangesDatabaseFolder(contextOf([readme('src/app.ts')]), db)).toBe(false);
    expect(prChangesDatabaseFolder(contextOf([readme('migrationsX/README.md')]), db)).toBe(false);
    expect(prChangesDatabaseFolder(contextOf([readme('src/app.ts')]), dbOf([], [], ['']))).toBe(true);
  });

  it('is false for a rename outside the folders', () => {
    expect(prChangesDatabaseFolder(contextOf([{ path: 'src/b.ts', status: 'renamed', oldPath: 'src/a.ts' }]), dbOf([A], [A]))).toBe(false);
  });
});

describe('addedMigrations (mutation cases)', () => {
  const b = file('migrations/0002_b.sql');
  const c = file('migrations/0003_c.sql');

  it('gives added files, and renamed ones with their old path; not modified files, nor files on main', () => {
    const input = contextOf([
      { path: b.path, status: 'renamed', oldPath: 'migrations/0002_old.sql' },
      { path: c.path, status: 'added' },
      { path: A.path, status: 'added' },
      { path: 'migrations/0004_d.sql', status: 'modified' },
    ]);
    const d = file('migrations/0004_d.sql');
    expect(addedMigrations(input, dbOf([A], [A, b, c, d]))).toEqual([{ file: b, renamedFrom: 'migrations/0002_old.sql' }, { file: c }]);
  });
});

describe('rebuiltTables (mutation cases)', () => {
  it('gives nothing for a name that is only the rebuild\'s prefix or suffix', () => {
    for (const name of ['_new', '_tmp', 'new_', '__new_', '_']) expect(rebuiltTables(name)).toEqual([]);
  });
});

const loc = (op: TableOperation, line: number): LocatedOperation => ({ op, file: 'migrations/0002_b.sql', line });

describe('dropOf (mutation cases)', () => {
  it('follows the renames of the table (any case) to its drop, and nothing else', () => {
    const ops = [
      loc({ kind: 'rename-table', table: 'other', to: 'other_old' }, 1),
      loc({ kind: 'drop-table', table: 'other_old' }, 2),
      loc({ kind: 'rename-table', table: 'posts', to: 'posts_old' }, 3),
      loc({ kind: 'drop-table', table: 'posts' }, 4),
      loc({ kind: 'add-column', table: 'posts_old', column: 'c' }, 6),
      loc({ kind: 'drop-table', table: 'posts_old' }, 5),
    ];
    expect(dropOf(ops, 'Posts')?.line).toBe(5);
    expect(dropOf(ops, 'other')?.line).toBe(2);
    expect(dropOf(ops, 'users')).toBeUndefined();
    expect(dropOf([loc({ kind: 'drop-table', table: 'posts' }, 1)], 'POSTS')?.line).toBe(1);
  });
});

describe('prRemovesColumn (mutation cases)', () => {
  const removes = (op: TableOperation) => prRemovesColumn([loc({ kind: 'create-table', table: 'x' }, 1), loc(op, 2)], 'Posts', 'Old_Posts', 'Body');

  it('sees a DROP COLUMN of the column under either name (any case), and a rebuild of either', () => {
    expect(removes({ kind: 'drop-column', table: 'posts', column: 'body' })).toBe(true);
    expect(removes({ kind: 'drop-column', table: 'old_posts', column: 'body' })).toBe(true);
    for (const table of ['posts', 'old_posts', '__new_posts', 'old_posts_new']) expect(removes({ kind: 'create-table', table })).toBe(true);
  });

  it('ignores other columns, other tables and other statements', () => {
    expect(removes({ kind: 'drop-column', table: 'posts', column: 'title' })).toBe(false);
    expect(removes({ kind: 'drop-column', table: 'users', column: 'body' })).toBe(false);
    expect(removes({ kind: 'create-table', table: '__new_users' })).toBe(false);
    expect(removes({ kind: 'add-column', table: 'posts', column: 'body' })).toBe(false);
    expect(removes({ kind: 'create-index', table: 'posts', index: 'body' })).toBe(false);
    expect(prRemovesColumn([], 'posts', 'posts', 'body')).toBe(false);
  });
});

describe('locateColumnChange (mutation cases)', () => {
  const ops = [
    loc({ kind: 'add-column', table: 'posts', column: 'body' }, 10),
    loc({ kind: 'drop-table', table: '__new_posts' }, 11),
    loc({ kind: 'insert', table: 'posts', sources: [] }, 1),
    loc({ kind: 'create-index', table: 'old_posts', index: 'i' }, 2),
    loc({ kind: 'create-table', table: 'users' }, 3),
    loc({ kind: 'create-table', table: 'posts' }, 4),
    loc({ kind: 'create-table', table: '__new_users' }, 5),
    loc({ kind: 'create-table', table: '__new_posts' }, 6),
    loc({ kind: 'drop-column', table: 'users', column: 'body' }, 7),
    loc({ kind: 'drop-column', table: 'old_posts', column: 'title' }, 8),
    loc({ kind: 'drop-column', table: 'posts', column: 'body' }, 9),
  ];
  const line = (list: LocatedOperation[], column?: string) => locateColumnChange(list, 'Posts', 'Old_Posts', column)?.line;

  it('prefers the DROP COLUMN of that column, then a rebuild, then the CREATE, then any statement but an INSERT', () => {
    expect(line(ops, 'Body')).toBe(9);
    expect(line(ops, 'text')).toBe(6);
    expect(line(ops)).toBe(6);
    expect(line(ops.filter((o) => o.line !== 6 && o.line < 10), 'text')).toBe(4);
    expect(line(ops.filter((o) => o.line < 4 || o.line === 5 || o.line === 7), 'text')).toBe(2);
    expect(line(ops.filter((o) => o.line === 1 || o.line === 3))).toBeUndefined();
  });
});

describe('locateIntroduced (mutation cases)', () => {
  it('finds the CREATE of the table (any case), else the rename of a table onto it', () => {
    const ops = [
      loc({ kind: 'rename-column', table: 'posts', column: 'body', to: 'notes' }, 5),
      loc({ kind: 'rename-table', table: 'posts', to: 'articles' }, 1),
      loc({ kind: 'create-table', table: 'posts' }, 2),
      loc({ kind: 'rename-table', table: 'articles', to: 'notes' }, 3),
      loc({ kind: 'create-table', table: 'articles' }, 4),
    ];
    expect(locateIntroduced(ops, 'Articles')?.line).toBe(4);
    expect(locateIntroduced(ops, 'NOTES')?.line).toBe(3);
    expect(locateIntroduced(ops, 'posts')?.line).toBe(2);
    expect(locateIntroduced(ops, 'users')).toBeUndefined();
  });
});

describe('at (mutation cases)', () => {
  it('gives the file and line of an operation, nothing without one', () => {
    expect(at(loc({ kind: 'drop-table', table: 't' }, 3))).toEqual({ file: 'migrations/0002_b.sql', line: 3 });
    expect(at(undefined)).toEqual({});
  });
});

describe('schemasComparable (mutation cases)', () => {
  const failure = (over: Partial<ReplayFailure> = {}): ReplayFailure =>
    ({ kind: 'sql', file: 'migrations/0001_a.sql', line: 1, statement: 'CREATE TABLE a (', message: 'incomplete input', more: 0, ...over }) as ReplayFailure;
  const db = (base: ReplayFailure[], head: ReplayFailure[]) =>
    ({ base: { replay: { failures: base } }, head: { replay: { failures: head } } }) as unknown as DatabaseReview;

  it('is true when both sides failed in the same places, in any order, or nowhere', () => {
    expect(schemasComparable(db([], []))).toBe(true);
    const a = failure();
    const b = failure({ file: 'migrations/0002_b.sql' });
    expect(schemasComparable(db([b, a], [b, { ...a, line: 7, more: 2 }]))).toBe(true);
  });

  it('is false when a side failed elsewhere, or once more', () => {
    const a = failure();
    expect(schemasComparable(db([], [a]))).toBe(false);
    expect(schemasComparable(db([a], []))).toBe(false);
    expect(schemasComparable(db([a], [a, a]))).toBe(false);
    for (const other of [{ file: 'x.sql' }, { statement: 'DROP TABLE a' }, { message: 'no such table: a' }, { kind: 'gate' }]) {
      expect(schemasComparable(db([a], [failure(other as Partial<ReplayFailure>)]))).toBe(false);
    }
  });
});
