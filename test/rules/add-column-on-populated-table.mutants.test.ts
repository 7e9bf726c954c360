// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare); the forms are held
// to what SQLite itself says, message included.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/add-column-on-populated-table.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';
import { PROBE_BASE, REFUSALS, sqliteAddColumn } from '../helpers/sqlite-add-column.js';

const BASE = { 'm/0001.sql': PROBE_BASE };
const input = (sql: string, base: Record<string, string> = BASE) => migrationsInput(base, { 'm/0002.sql': sql });

const FORMS = [
  // quoted names and strings are never keywords
  's TEXT DEFAULT "current_timestamp"',
  's TEXT DEFAULT [current_date]',
  "n INTEGER NOT NULL DEFAULT 'null'",
  "s TEXT DEFAULT '('",
  // numbers: exponents, hex, leading dots, signs
  'n INTEGER DEFAULT 0x1e',
  'n REAL DEFAULT (1.5e-3)',
  'n REAL DEFAULT (1E+3)',
  'n REAL DEFAULT (1.)',
  'n REAL DEFAULT (2.E2)',
  'n REAL DEFAULT (12.5e-3)',
  'n REAL DEFAULT (.25e-3)',
  't TEXT DEFAULT CURRENT_TIME',
  'n INTEGER DEFAULT (0xe0 - 1)',
  'n INTEGER DEFAULT (0x1e-3)',
  'n REAL DEFAULT .5',
  'n REAL DEFAULT (.5)',
  'n REAL DEFAULT -.5e-3',
  'n REAL DEFAULT (- .5e-3)',
  'n INTEGER DEFAULT (+1)',
  'n INTEGER DEFAULT +1',
  'n INTEGER NOT NULL DEFAULT -1',
  'n INTEGER NOT NULL DEFAULT +1',
  // literals and CAST in parentheses
  'b INTEGER DEFAULT (TRUE)',
  'b INTEGER DEFAULT (FALSE)',
  'n INTEGER NOT NULL DEFAULT (CAST(NULL AS INT))',
  'n INTEGER DEFAULT (-CAST(1 AS INT))',
  'n INTEGER DEFAULT (CAST(1 + 1 AS INT))',
  "b BLOB DEFAULT (x'0A' || 'a')",
  "n INTEGER NOT NULL DEFAULT (NULL || 'a')",
  `s TEXT DEFAULT ('a' COLLATE "NOCASE")`,
  // a type's parentheses are not a generated column's
  's VARCHAR(10) NOT NULL',
  // SQLite checks REFERENCES before the default's constancy
  'p INTEGER REFERENCES parents DEFAULT (abs(1))',
  'p INTEGER REFERENCES parents DEFAULT 1',
  'g INTEGER GENERATED ALWAYS AS (id * 2) STORED',
  'g INTEGER AS (id * 2)',
];

describe('add-column-on-populated-table (mutation cases)', () => {
  it("reports, for each form, the refusal SQLite gives on a populated table, in SQLite's words (or nothing)", async () => {
    // One repository for all forms, as in the rule's main test; no `;`, so each statement ends the file.
    const tables = FORMS.map((_, i) => `CREATE TABLE posts_${i} (id INTEGER PRIMARY KEY, title TEXT);`).join('\n');
    const file = (i: number) => `m/${1000 + i}.sql`;
    const prepared = await migrationsInput(
      { 'm/0001.sql': `${PROBE_BASE}\n${tables}` },
      Object.fromEntries(FORMS.map((def, i) => [file(i), `ALTER TABLE posts_${i} ADD COLUMN ${def}`])),
    );
    expect(prepared.databases[0].head.replay.failures).toEqual([]);
    const reports = rule.check(prepared);
    const got = FORMS.map((def, i) => [def, reports.filter((r) => r.file === file(i)).map((r) => r.messageId)]);
    const want = FORMS.map((def) => {
      expect(sqliteAddColumn(def, false), def).toBe('ok');
      const populated = sqliteAddColumn(def, true);
      return [def, populated === 'ok' ? [] : [REFUSALS[populated] ?? populated]];
    });
    expect(got).toEqual(want);
  });

  it('shows the default as written: spacing, commas, quotes, blobs, at most 80 characters', async () => {
    const defaults = [
      '(unixepoch() + 2592000)',
      "(strftime('%s', 'now'))",
      "(lower('it''s'))",
      `('a' COLLATE "NOCASE")`,
      "(X'0A' || 'a')",
      `(${Array.from({ length: 30 }, (_, k) => k).join(' + ')})`,
    ];
    const sql = defaults.map((d, k) => `ALTER TABLE posts ADD COLUMN c${k} TEXT DEFAULT ${d};`).join('\n');
    const reports = await expectFires(rule, input(sql));
    expect(reports.map((r) => r.data?.default)).toEqual(defaults.map((d) => d.slice(0, 80)));
    expect(reports.map((r) => r.messageId)).toEqual(defaults.map(() => 'nonConstantDefault'));
    const [r] = await expectFires(rule, input('ALTER TABLE posts ADD COLUMN p INTEGER REFERENCES parents DEFAULT -1.5E3;'));
    expect(r).toMatchObject({ messageId: 'referencesWithDefault', data: { default: '-1.5E3' } });
  });

  it('puts only the table and column in the data of a finding without a default', async () => {
    const [r] = await expectFires(rule, input('ALTER TABLE posts ADD COLUMN n INTEGER NOT NULL;'));
    expect(r.data).toStrictEqual({ table: 'posts', column: 'n' });
  });

  it('reads a schema-qualified table and names given as strings', async () => {
    const reports = await expectFires(
      rule,
      input("ALTER TABLE main.posts ADD COLUMN n INTEGER NOT NULL;\nALTER TABLE 'posts' ADD 'm' INTEGER NOT NULL;"),
    );
    expect(reports.map((r) => [r.messageId, r.table, r.data?.column, r.line])).toEqual([
      ['notNullWithoutDefault', 'posts', 'n', 1],
      ['notNullWithoutDefault', 'posts', 'm', 2],
    ]);
  });

  it('neither fails nor reports on an ALTER TABLE cut short (replay-error reports it)', async () => {
    const cut = ['ALTER TABLE', 'ALTER TABLE;', 'ALTER TABLE posts', 'ALTER TABLE main.', 'ALTER TABLE posts ADD', 'ALTER TABLE posts ADD COLUMN', 'ALTER TABLE posts ADD COLUMN;', 'ALTER TABLE posts ADD COLUMN n INTEGER DEFAULT', 'ALTER TABLE posts ADD COLUMN n INTEGER DEFAULT -'];
    const prepared = await migrationsInput(BASE, Object.fromEntries(cut.map((sql, k) => [`m/${1000 + k}.sql`, sql])));
    expect(prepared.databases[0].head.replay.failures.length).toBeGreaterThan(0);
    await expectPasses(rule, prepared);
  });

  it("a table the PR creates is new even when the PR also renames a table of main's", async () => {
    const [r] = await expectFires(
      rule,
      input('ALTER TABLE parents RENAME TO mothers;\nCREATE TABLE tags (id INTEGER PRIMARY KEY);\nALTER TABLE tags ADD COLUMN n INTEGER NOT NULL;'),
    );
    expect(r).toMatchObject({ messageId: 'notNullWithoutDefaultInNewTable', severity: 'notice', table: 'tags', line: 3 });
  });

  it('names the table and column as written when the PR drops them again', async () => {
    const reports = await expectFires(
      rule,
      input('ALTER TABLE posts ADD COLUMN n INTEGER NOT NULL;\nALTER TABLE posts DROP COLUMN n;\nALTER TABLE parents ADD COLUMN m INTEGER NOT NULL;\nDROP TABLE parents;'),
    );
    expect(reports.map((r) => [r.table, r.data?.column, r.line])).toEqual([
      ['posts', 'n', 1],
      ['parents', 'm', 3],
    ]);
  });

  it("an edit of main's migration that changes only a default is the PR's", async () => {
    const old = 'CREATE TABLE t (id INTEGER PRIMARY KEY);\nALTER TABLE posts ADD COLUMN at INTEGER DEFAULT (abs(1));\n';
    const base = { ...BASE, 'm/0002.sql': old };
    const reports = await expectFires(rule, input(old.replace('abs(1)', 'abs(2)'), base));
    expect(reports.map((r) => [r.data?.default, r.preexisting ?? false])).toEqual([['(abs(2))', false]]);
  });
});
