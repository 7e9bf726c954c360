// add-column-on-populated-table: each ADD COLUMN form is checked against SQLite itself (an empty table and one with a
// row), so the rule fires exactly for the forms SQLite accepts empty and refuses populated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/add-column-on-populated-table.js';
import { toFinding } from '../../src/rules/engine/run-rules.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { reviewFiles } from '../helpers/review-files.js';
import { migrationsInput } from '../helpers/prepared-input.js';
import { PROBE_BASE, sqliteAddColumn as sqlite } from '../helpers/sqlite-add-column.js';

const BASE = { 'm/0001.sql': PROBE_BASE };

/** The prepared input of a PR adding m/0002.sql to `base` (real discovery, replay and diff). */
const input = (sql: string, base: Record<string, string> = BASE) => migrationsInput(base, { 'm/0002.sql': sql });

const FORMS = [
  // non-constant defaults
  "created_at TEXT DEFAULT (datetime('now'))",
  'created_at INTEGER NOT NULL DEFAULT (unixepoch())',
  "created_at INTEGER DEFAULT (strftime('%s', 'now'))",
  'created_at TEXT DEFAULT CURRENT_TIMESTAMP',
  'd TEXT DEFAULT CURRENT_DATE',
  'd TEXT DEFAULT (CURRENT_TIME)',
  'n INTEGER DEFAULT (1 + 1)',
  'n INTEGER DEFAULT (abs(-3))',
  "s TEXT DEFAULT ('a' || 'b')",
  "s TEXT DEFAULT ('a' COLLATE NOCASE)",
  'n INTEGER DEFAULT (NOT 1)',
  "uid TEXT DEFAULT (lower(hex(randomblob(16))))",
  "s TEXT DEFAULT (CAST(datetime('now') AS TEXT))",
  // constant defaults: fine on any table
  'n INTEGER DEFAULT 0',
  'n INTEGER DEFAULT -1',
  'n INTEGER DEFAULT (1)',
  'n INTEGER DEFAULT ((-1))',
  'n INTEGER DEFAULT (- -1)',
  'n REAL DEFAULT 1.5e-3',
  "s TEXT DEFAULT ('x')",
  "s TEXT NOT NULL DEFAULT ''",
  'b BLOB DEFAULT x\'00\'',
  'b INTEGER DEFAULT TRUE',
  "n INTEGER DEFAULT (CAST('1' AS INTEGER))",
  's TEXT DEFAULT abc',
  'n INTEGER DEFAULT 0x10',
  // NOT NULL
  'n INTEGER NOT NULL',
  'n INTEGER NOT NULL DEFAULT NULL',
  'n INTEGER NOT NULL DEFAULT (NULL)',
  "s TEXT NOT NULL ON CONFLICT REPLACE",
  'n INTEGER NOT NULL AS (id * 2)',
  // REFERENCES
  'parent_id INTEGER REFERENCES parents(id)',
  'parent_id INTEGER REFERENCES parents(id) DEFAULT 1',
  'parent_id INTEGER NOT NULL DEFAULT 1 REFERENCES parents(id)',
  'parent_id INTEGER REFERENCES parents(id) DEFAULT NULL',
  // generated
  'g INTEGER GENERATED ALWAYS AS (id * 2) STORED',
  'g INTEGER AS (id * 2) VIRTUAL',
  'g INTEGER AS (id * 2)',
  // other constraints
  'c TEXT COLLATE NOCASE DEFAULT \'x\'',
  'c INTEGER CHECK (c > 0)',
];

describe('add-column-on-populated-table', () => {
  it('fires exactly for the ADD COLUMN forms SQLite accepts on an empty table and refuses on one with rows', async () => {
    // One repository for all the forms (a review per form costs ~50 ms each): main has a `posts_<i>` table per form, and
    // the PR one migration per form, so each report names the form it is about by its file.
    const tables = FORMS.map((_, i) => BASE['m/0001.sql'].split('\n')[1].replace('posts', `posts_${i}`)).join('\n');
    const base = { 'm/0001.sql': `${BASE['m/0001.sql']}\n${tables}` };
    const file = (i: number) => `m/${1000 + i}.sql`;
    const prepared = await migrationsInput(base, Object.fromEntries(FORMS.map((def, i) => [file(i), `ALTER TABLE posts_${i} ADD COLUMN ${def};`])));
    expect(prepared.databases[0].head.replay.failures).toEqual([]);
    const reports = rule.check(prepared);
    const mismatches: string[] = [];
    FORMS.forEach((def, i) => {
      const empty = sqlite(def, false);
      const populated = sqlite(def, true);
      expect(empty, `SQLite refuses "${def}" even empty: not this rule's case`).toBe('ok');
      const mine = reports.filter((r) => r.file === file(i));
      for (const r of mine) expect(r.table).toBe(`posts_${i}`);
      const fires = mine.length > 0;
      if (fires !== (populated !== 'ok')) mismatches.push(`${def}: SQLite with rows says "${populated}", rule ${fires ? 'fires' : 'is silent'}`);
    });
    expect(mismatches).toEqual([]);
  });

  it("the doc's bad example fires on a table that exists on main, and its fix does not", async () => {
    const doc = readFileSync(new URL('../../docs/rules/add-column-on-populated-table.md', import.meta.url), 'utf8');
    const sqlUnder = (heading: string) => /```sql\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf(heading)))![1];
    const base = { 'm/0001.sql': 'CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL);' };
    const [r] = await expectFires(rule, input(sqlUnder('## Bad example'), base));
    expect(r).toMatchObject({ messageId: 'nonConstantDefault', table: 'sessions' });
    await expectPasses(rule, input(sqlUnder('## Fix'), base));
  });

  it('names the SQLite message that production will see, with file, line and the default as written', async () => {
    const [r] = await expectFires(rule, input("-- add a timestamp\nALTER TABLE posts ADD COLUMN created_at INTEGER NOT NULL DEFAULT (unixepoch());"));
    expect(r).toMatchObject({ messageId: 'nonConstantDefault', table: 'posts', file: 'm/0002.sql', line: 2, data: { column: 'created_at', default: '(unixepoch())' } });
    expect(r.severity).toBeUndefined(); // the rule's default: error
    const finding = toFinding(rule, r, 'error');
    expect(finding.message).toContain('Cannot add a column with non-constant default');
    expect(finding.message).toContain('exists on main');
    expect(finding.fix).toContain('UPDATE posts SET created_at = (unixepoch());');
  });

  it('is a notice when the PR creates the table (empty when the statement runs)', async () => {
    const [r] = await expectFires(rule, input('CREATE TABLE tags (id INTEGER PRIMARY KEY);\nALTER TABLE tags ADD COLUMN created_at TEXT DEFAULT CURRENT_TIMESTAMP;'));
    expect(r).toMatchObject({ messageId: 'nonConstantDefaultInNewTable', severity: 'notice', table: 'tags', line: 2 });
  });

  it('follows a rename of a table that exists on main, and keeps the quoted names as written', async () => {
    const base = { 'm/0001.sql': 'CREATE TABLE "Posts" (id INTEGER PRIMARY KEY);' };
    const [r] = await expectFires(
      rule,
      input('ALTER TABLE "Posts" RENAME TO "Articles";\nALTER TABLE "Articles" ADD COLUMN "Slug" TEXT NOT NULL;', base),
    );
    expect(r).toMatchObject({ messageId: 'notNullWithoutDefault', table: 'Articles', line: 2, data: { column: 'Slug' } });
  });

  it("ignores migrations already on main and statements that aren't ADD COLUMN", async () => {
    const base = { 'm/0001.sql': "CREATE TABLE posts (id INTEGER PRIMARY KEY);\nALTER TABLE posts ADD COLUMN created_at TEXT DEFAULT (datetime('now'));" };
    await expectPasses(rule, input('CREATE TABLE notes (id INTEGER PRIMARY KEY, at TEXT DEFAULT (datetime(\'now\')) NOT NULL);', base));
  });

  it('fails the review of a Drizzle-style migration whose empty replay passes (the reverted-after-22-minutes case)', async () => {
    const wrangler = 'name = "app"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\ndatabase_id = "x"\n';
    const result = await reviewFiles({
      base: {
        'wrangler.toml': wrangler,
        'migrations/0000_init.sql': 'CREATE TABLE `sessions` (`id` text PRIMARY KEY NOT NULL, `user_id` text NOT NULL);\n',
      },
      pr: { 'migrations/0001_sessions_expiry.sql': 'ALTER TABLE `sessions` ADD `expires_at` integer DEFAULT (unixepoch() + 2592000) NOT NULL;' },
    });
    expect(result.conclusion).toBe('failure');
    expect(result.findings.filter((f) => !f.preexisting)).toEqual([
      expect.objectContaining({ rule: 'add-column-on-populated-table', severity: 'error', file: 'migrations/0001_sessions_expiry.sql', line: 1, table: 'sessions' }),
    ]);
  });

  it('an edit of a migration already on main does not make its old ADD COLUMN the PR\'s', async () => {
    const old = "CREATE TABLE posts (id INTEGER PRIMARY KEY);\nALTER TABLE posts ADD COLUMN at TEXT DEFAULT (datetime('now'));\n";
    const base = { 'm/0001.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);', 'm/0002.sql': old };
    const edited = input(`-- a comment\n${old}ALTER TABLE users ADD COLUMN n INTEGER NOT NULL;\n`, base);
    const reports = await expectFires(rule, edited);
    expect(reports.map((r) => [r.table, r.messageId, r.preexisting ?? false])).toEqual([
      ['posts', 'nonConstantDefault', true],
      ['users', 'notNullWithoutDefault', false],
    ]);
  });

  it('leaves a statement the replay itself refused to replay-error', async () => {
    const result = await reviewFiles({
      base: { 'migrations/0001_init.sql': "CREATE TABLE posts (id INTEGER PRIMARY KEY);\nINSERT INTO posts VALUES (1);\n" },
      pr: { 'migrations/0002_x.sql': "ALTER TABLE posts ADD COLUMN at TEXT DEFAULT (datetime('now'));\n" },
    });
    expect(result.findings.map((f) => f.rule)).toEqual(['replay-error']);
  });
});
