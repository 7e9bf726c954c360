// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare), so the failures and
// their messages are SQLite's own; only the failure kinds and file problems no repository gives on demand are
// injected (makeRuleInput).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/replay-error.js';
import type { ReplayFailure } from '../../src/replay/types.js';
import type { MigrationFile } from '../../src/discover/types.js';
import type { Report } from '../../src/findings.js';
import { expectFires } from '../helpers/lint.js';
import { makeRuleInput } from '../helpers/rule-input.js';
import { drizzleJournal, migrationsInput, preparedInput, prInput, WRANGLER } from '../helpers/prepared-input.js';

const real = (base: Record<string, string>, pr: Record<string, string | null>) => migrationsInput(base, pr, { database: 'db' });
const T = { 'm/0001_t.sql': 'CREATE TABLE t(a);' };
const inFile = (reports: Report[], file: string) => reports.filter((r) => r.file === file);

describe('replay-error: the statement quoted', () => {
  it('cuts a long statement to 160 characters and folds its whitespace', async () => {
    const sql = `INSERT INTO t (missing)\n  VALUES ('${'x'.repeat(400)}');`;
    const [r] = await expectFires(rule, real(T, { 'm/0002_b.sql': sql }));
    // The first 159 characters, then "…"; the line break and indent become one space.
    expect(r.data?.statement).toBe(`INSERT INTO t (missing) VALUES ('${'x'.repeat(124)}…`);
  });

  it('quotes a statement of exactly 160 characters whole, and cuts one of 161', async () => {
    // The replay quotes a statement trimmed, with its `;`.
    const head = 'INSERT INTO t (missing) VALUES (';
    const of = (n: number) => `${head}'${'x'.repeat(n - head.length - 4)}');`;
    expect(of(160)).toHaveLength(160);
    const [whole] = await expectFires(rule, real(T, { 'm/0002_b.sql': of(160) }));
    expect(whole.data?.statement).toBe(of(160));
    const [cut] = await expectFires(rule, real(T, { 'm/0002_b.sql': of(161) }));
    expect(cut.data?.statement).toBe(`${of(161).slice(0, 159)}…`);
  });

  it('leaves a short statement as it is', async () => {
    const [r] = await expectFires(rule, real(T, { 'm/0002_b.sql': 'INSERT INTO t (missing) VALUES (1);' }));
    expect(r.data?.statement).toBe('INSERT INTO t (missing) VALUES (1);');
  });
});

describe('replay-error: further failures in the file', () => {
  it('says nothing more for a single failure, and "1 more failure" (singular) for two', async () => {
    const [one] = await expectFires(rule, real(T, { 'm/0002_b.sql': 'INSERT INTO t (missing) VALUES (1);' }));
    expect(one.data?.more).toBe('');
    const [two] = await expectFires(rule, real(T, { 'm/0002_b.sql': 'INSERT INTO t (missing) VALUES (1);\nINSERT INTO t (other) VALUES (2);' }));
    expect(two.data?.more).toBe(' (and 1 more failure in this file)');
  });
});

describe('replay-error: an object main already misses', () => {
  // Main's 0002 needs a `Users` table no migration creates (it lives in a schema applied by hand).
  const base = { ...T, 'm/0002_seed.sql': 'SELECT 1;\nINSERT INTO Users (id) VALUES (1);' };

  it("is a warning naming the object and main's failing file and line, not the PR's error", async () => {
    const reports = await expectFires(rule, real(base, { 'm/0003_ix.sql': 'CREATE INDEX users_id ON users(id);' }));
    const [r] = inFile(reports, 'm/0003_ix.sql');
    expect(r).toEqual({
      messageId: 'missingOnMain',
      severity: 'warning',
      database: 'db',
      file: 'm/0003_ix.sql',
      line: 1,
      data: {
        statement: 'CREATE INDEX users_id ON users(id);',
        message: 'no such table: main.users',
        database: 'db',
        more: '',
        kind: 'table',
        object: 'users',
        mainFile: 'm/0002_seed.sql',
        mainLine: 2,
      },
    });
    // Main's own failure stays main's.
    expect(inFile(reports, 'm/0002_seed.sql')).toMatchObject([{ messageId: 'sql', preexisting: true }]);
  });

  it('matches a column SQLite quotes in one message and not in the other', async () => {
    const quoted = { ...T, 'm/0002_drop.sql': 'ALTER TABLE t DROP COLUMN legacy;' }; // no such column: "legacy"
    const reports = await expectFires(rule, real(quoted, { 'm/0003_ix.sql': 'CREATE INDEX t_legacy ON t(legacy);' }));
    const [r] = inFile(reports, 'm/0003_ix.sql');
    expect(r).toMatchObject({ messageId: 'missingOnMain', data: { kind: 'column', object: 'legacy', mainFile: 'm/0002_drop.sql' } });
  });

  it('strips only the quotes around a name, not a quote inside it', async () => {
    const odd = { ...T, 'm/0002_seed.sql': 'INSERT INTO "we""ird" VALUES (1);' }; // no such table: we"ird
    const reports = await expectFires(rule, real(odd, { 'm/0003_more.sql': 'INSERT INTO "we""ird" VALUES (2);' }));
    expect(inFile(reports, 'm/0003_more.sql')).toMatchObject([{ messageId: 'missingOnMain', data: { object: 'we"ird' } }]);
  });

  it('needs the same kind of object: a missing column on main does not excuse a missing table of that name', async () => {
    const column = { ...T, 'm/0002_q.sql': 'SELECT status FROM t;' };
    const reports = await expectFires(rule, real(column, { 'm/0003_status.sql': 'INSERT INTO status VALUES (1);' }));
    const [r] = inFile(reports, 'm/0003_status.sql');
    expect(r).toMatchObject({ messageId: 'sql', preexisting: false, data: { message: 'no such table: status' } });
    expect(r.severity).toBeUndefined();
  });

  it("stays the PR's error when main fails only for another reason", async () => {
    const other = { ...T, 'm/0002_bad.sql': 'INSERT INTO t VALUES (1, 2);' };
    const reports = await expectFires(rule, real(other, { 'm/0003_ghost.sql': 'INSERT INTO ghost VALUES (1);' }));
    expect(inFile(reports, 'm/0003_ghost.sql')).toMatchObject([{ messageId: 'sql', preexisting: false, data: { message: 'no such table: ghost' } }]);
  });

  it('keeps a missing table already failing on main in its first migration as main\'s plain failure', async () => {
    const first = { 'm/0001_seed.sql': 'INSERT INTO ghost VALUES (1);' };
    const reports = await expectFires(rule, real(first, { 'm/0002_b.sql': 'SELECT 1;' }));
    expect(reports).toMatchObject([{ messageId: 'sql', file: 'm/0001_seed.sql', preexisting: true }]);
    expect(reports[0].severity).toBeUndefined();
  });
});

describe('replay-error: a view or trigger over an object main misses', () => {
  // SQLite re-checks views and triggers when a table is renamed: the PR's rename then fails with "error in view v: no
  // such table: main.ghost". Where ghost exists (production, built from a schema outside the migrations) it runs.
  const base = { ...T, 'm/0002_seed.sql': 'INSERT INTO ghost VALUES (1);' };

  it.each([
    ['view', 'CREATE VIEW v AS SELECT * FROM ghost;', 'error in view v: no such table: main.ghost'],
    ['trigger', 'CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO ghost VALUES (1); END;', 'error in trigger tr: no such table: main.ghost'],
  ])("is main's setup when a %s needs a table main's replay already misses", async (_, create, message) => {
    const reports = await expectFires(rule, real(base, { 'm/0003_v.sql': `${create}\nALTER TABLE t RENAME TO t2;` }));
    expect(inFile(reports, 'm/0003_v.sql')).toMatchObject([
      { messageId: 'missingOnMain', line: 2, data: { message, kind: 'table', object: 'ghost', mainFile: 'm/0002_seed.sql', mainLine: 1 } },
    ]);
  });

  // Main misses a column `c` (its 0002 selects it from `t`); the PR's own DROP COLUMN breaks its index or view on `u.c`.
  it.each([
    ['index', 'CREATE INDEX u_c ON u(c);', 'error in index u_c after drop column: no such column: c'],
    ['view', 'CREATE VIEW v AS SELECT c FROM u;', 'error in view v after drop column: no such column: c'],
  ])("stays the PR's error when its DROP COLUMN breaks an %s, whatever main misses", async (_, create, message) => {
    const column = { ...T, 'm/0002_q.sql': 'SELECT c FROM t;' };
    const reports = await expectFires(rule, real(column, { 'm/0003_u.sql': `CREATE TABLE u(a, c);\n${create}\nALTER TABLE u DROP COLUMN c;` }));
    expect(inFile(reports, 'm/0003_u.sql')).toMatchObject([{ messageId: 'sql', line: 3, preexisting: false, data: { message } }]);
  });

  it("stays the PR's error when its view needs a table main has no trouble with", async () => {
    const reports = await expectFires(rule, real(T, { 'm/0002_v.sql': 'CREATE VIEW v AS SELECT * FROM tt;\nALTER TABLE t RENAME TO t2;' }));
    expect(reports).toMatchObject([{ messageId: 'sql', data: { message: 'error in view v: no such table: main.tt' } }]);
  });
});

describe('replay-error: evidence of a schema kept outside the migrations', () => {
  it("names the PR's first migration as the evidence", async () => {
    const reports = await expectFires(rule, real({}, { 'm/0001_seed.sql': 'INSERT INTO ghost VALUES (1);' }));
    expect(reports).toEqual([
      {
        messageId: 'missingBaseline',
        severity: 'warning',
        database: 'db',
        file: 'm/0001_seed.sql',
        line: 1,
        data: { statement: 'INSERT INTO ghost VALUES (1);', message: 'no such table: ghost', database: 'db', more: '', object: 'ghost', where: 'this is its first migration' },
      },
    ]);
  });

  it("names main's first migration failing on a table no migration creates", async () => {
    const base = { 'm/0001_seed.sql': 'SELECT 1;\nINSERT INTO users VALUES (1);' };
    const reports = await expectFires(rule, real(base, { 'm/0002_audit.sql': 'INSERT INTO audit VALUES (1);' }));
    const [r] = inFile(reports, 'm/0002_audit.sql');
    expect(r).toMatchObject({
      messageId: 'missingBaseline',
      data: { object: 'audit', where: "main's first migration already fails the same way (m/0001_seed.sql:2: no such table: users)" },
    });
  });

  it('is no evidence when main fails on a missing table in a later migration', async () => {
    const base = { ...T, 'm/0002_orders.sql': 'INSERT INTO orders VALUES (1);' };
    const reports = await expectFires(rule, real(base, { 'm/0003_invoices.sql': 'INSERT INTO invoices VALUES (1);' }));
    expect(inFile(reports, 'm/0003_invoices.sql')).toMatchObject([{ messageId: 'sql', preexisting: false }]);
  });

  it("is no evidence when main's first migration misses a column, not a table", async () => {
    const base = { 'm/0001_t.sql': 'CREATE TABLE t(a);\nCREATE INDEX t_zz ON t(zz);' };
    const reports = await expectFires(rule, real(base, { 'm/0002_ghost.sql': 'INSERT INTO ghost VALUES (1);' }));
    expect(inFile(reports, 'm/0002_ghost.sql')).toMatchObject([{ messageId: 'sql', preexisting: false }]);
  });

  it("is an error for a missing column in the PR's first migration (only a missing table points outside)", async () => {
    const reports = await expectFires(rule, real({}, { 'm/0001_t.sql': 'CREATE TABLE t(a);\nCREATE INDEX t_zz ON t(zz);' }));
    expect(reports).toMatchObject([{ messageId: 'sql', line: 2, preexisting: false }]);
  });

  it('is an error for a missing table in the second migration of a folder the PR adds (main has none)', async () => {
    const reports = await expectFires(rule, real({}, { ...T, 'm/0002_ghost.sql': 'INSERT INTO ghost VALUES (1);' }));
    expect(reports).toMatchObject([{ messageId: 'sql', file: 'm/0002_ghost.sql', preexisting: false }]);
  });

  it('is an error for a missing table in a baseline file of a database without migrations', async () => {
    const config = { '.github/safari.yml': JSON.stringify({ databases: { 'app-db': { baseline: ['schema.sql'] } } }) };
    const base = { 'wrangler.toml': WRANGLER, ...config, 'schema.sql': 'CREATE TABLE t(a);\n' };
    const input = await prInput(base, { 'schema.sql': 'CREATE TABLE t(a);\nINSERT INTO ghost VALUES (1);\n' });
    expect(input.databases[0].head.files).toEqual([]);
    const reports = await expectFires(rule, input);
    expect(reports).toMatchObject([{ messageId: 'sql', file: 'schema.sql', line: 2, preexisting: false }]);
  });
});

describe('replay-error: the same failure on main', () => {
  const failure = (over: Partial<ReplayFailure> = {}): ReplayFailure => ({
    kind: 'sql',
    file: 'm/0001_a.sql',
    line: 3,
    statement: 'CREATE UNIQUE INDEX ix ON t(a)',
    message: 'UNIQUE constraint failed: t.a',
    more: 0,
    ...over,
  });
  /** Base fails with `failure()`, head with `failure(head)`, in a file the PR does not touch. */
  const check = (head: Partial<ReplayFailure>) => {
    const i = makeRuleInput({
      databases: [{ name: 'db', base: { 'm/0001_a.sql': 'CREATE TABLE t(a);' }, head: { 'm/0001_a.sql': 'CREATE TABLE t(a);', 'm/0002_b.sql': 'SELECT 1;' } }],
    });
    i.databases[0].base.replay.failures = [failure()];
    i.databases[0].head.replay.failures = [failure(head)];
    return rule.check(i);
  };

  it('is main\'s when file, kind, statement and message all match', () => {
    expect(check({ line: 5 })).toMatchObject([{ messageId: 'sql', line: 5, preexisting: true }]);
  });

  it.each([
    ['file', { file: 'm/0002_b.sql' }],
    ['statement', { statement: 'CREATE UNIQUE INDEX ix2 ON t(a)' }],
    ['message', { message: 'UNIQUE constraint failed: t.b' }],
  ])("is the PR's when only the %s differs", (_, head) => {
    expect(check(head)).toMatchObject([{ messageId: 'brokenByPr', preexisting: false }]);
  });

  // A later untouched migration the PR's changes make time out (say, a runaway recursive query over its new rows).
  it("is the PR's when only the kind differs, and keeps a timeout's own message (not brokenByPr)", () => {
    expect(check({ kind: 'timeout' })).toMatchObject([{ messageId: 'timeout', preexisting: false }]);
  });
});

describe('replay-error: migrations not reviewed as written', () => {
  const NUL = 'DROP TABLE t;\n-- \0 hidden\n';

  it("is the PR's for a NUL byte in a file it edits, even when main's copy had one too", async () => {
    const base = { ...T, 'm/0002_nul.sql': NUL };
    const reports = await expectFires(rule, real(base, { 'm/0002_nul.sql': `${NUL}SELECT 1;\n` }));
    expect(reports).toEqual([{ messageId: 'nulByte', database: 'db', file: 'm/0002_nul.sql', line: 2, preexisting: false, data: { line: 2 } }]);
  });

  it("is main's for a NUL byte in a file the PR leaves alone", async () => {
    const base = { ...T, 'm/0002_nul.sql': NUL };
    const reports = await expectFires(rule, real(base, { 'm/0003_b.sql': 'SELECT 1;' }));
    expect(reports).toMatchObject([{ messageId: 'nulByte', file: 'm/0002_nul.sql', line: 2, preexisting: true }]);
  });

  // Drizzle applies only what its journal lists: main's replay skipped the file, the PR's journal brings it in.
  it("is the PR's for an untouched file main did not replay, which the PR's journal now lists", async () => {
    const config = "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ out: './drizzle', schema: './src/schema.ts', dialect: 'sqlite' });\n";
    const journal = (...tags: string[]) => drizzleJournal(tags.map((tag, i) => [tag, 1_700_000_000_000 + i * 60_000]));
    const base = { 'drizzle.config.ts': config, 'drizzle/0000_t.sql': 'CREATE TABLE t(a);', 'drizzle/0001_nul.sql': NUL, 'drizzle/meta/_journal.json': journal('0000_t') };
    const input = await preparedInput({ base, pr: { 'drizzle/meta/_journal.json': journal('0000_t', '0001_nul') } });
    expect(input.databases[0].base.files.map((f) => f.path)).toEqual(['drizzle/0000_t.sql']);
    const reports = await expectFires(rule, input);
    expect(reports).toMatchObject([{ messageId: 'nulByte', file: 'drizzle/0001_nul.sql', line: 2, preexisting: false }]);
  });

  // Hand-made: an untouched file whose problem differs on main (a symlinked migration whose target the PR changed).
  const withProblem = (head: Partial<MigrationFile>, base: Partial<MigrationFile>) => {
    const i = makeRuleInput({
      databases: [{ name: 'db', base: { 'm/0001_a.sql': 'CREATE TABLE t(a);' }, head: { 'm/0001_a.sql': 'CREATE TABLE t(a);' } }],
    });
    Object.assign(i.databases[0].head.files[0], head);
    Object.assign(i.databases[0].base.files[0], base);
    return rule.check(i);
  };

  it("is the PR's when main's copy of an untouched file had no problem, or another one", () => {
    expect(withProblem({ nulLine: 1 }, {})).toMatchObject([{ messageId: 'nulByte', preexisting: false }]);
    expect(withProblem({ unread: { reason: 'unreadable' } }, { nulLine: 1 })).toMatchObject([{ messageId: 'unreadable', preexisting: false }]);
    expect(withProblem({ unread: { reason: 'unreadable' } }, { unread: { reason: 'unreadable' } })).toMatchObject([{ messageId: 'unreadable', preexisting: true }]);
  });

  it('names the database of an unreadable migration', () => {
    expect(withProblem({ unread: { reason: 'unreadable' } }, {})).toEqual([
      { messageId: 'unreadable', database: 'db', file: 'm/0001_a.sql', preexisting: false, data: { database: 'db' } },
    ]);
  });
});
