// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/destructive-change.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { drizzleMigrationsInput, preparedInput, WRANGLER } from '../helpers/prepared-input.js';

const tables = 'CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nCREATE TABLE z (id INTEGER PRIMARY KEY);\n';

describe('destructive-change (mutation cases)', () => {
  it('lists drops in file order, then line order, not in the order of the table names', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': tables },
      pr: { 'migrations/0002_drop.sql': 'DROP TABLE z;\nDROP TABLE a;\n', 'migrations/0003_drop.sql': 'DROP TABLE b;\n' },
    });
    const reports = await expectFires(rule, input);
    expect(reports.map((r) => [r.messageId, r.file, r.line])).toEqual([
      ['dropTables', 'migrations/0002_drop.sql', 1],
      ['dropTable', 'migrations/0003_drop.sql', 1],
    ]);
    expect(reports[0]).toMatchObject({ endLine: 2, details: ['line 1: DROP TABLE z', 'line 2: DROP TABLE a'], data: { tables: ['z', 'a'] } });
  });

  it('points at the last DROP of a table the PR drops, re-creates and drops again', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': tables },
      pr: { 'migrations/0002_drop.sql': 'DROP TABLE a;\nCREATE TABLE a (id INTEGER PRIMARY KEY);\nDROP TABLE a;\n' },
    });
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ messageId: 'dropTable', table: 'a', line: 3, data: { table: 'a', database: 'app-db' } });
  });

  it('finds the DROP of a table whose name has capitals', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE Users (id INTEGER PRIMARY KEY);\nCREATE TABLE b (id INTEGER);\n' },
      pr: { 'migrations/0002_drop.sql': 'SELECT 1;\nDROP TABLE Users;\n' },
    });
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ messageId: 'dropTable', table: 'Users', file: 'migrations/0002_drop.sql', line: 2 });
  });

  it('says when the drop comes with a repair of a migration that fails on main (it runs for the first time)', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': tables, 'migrations/0002_drop.sql': 'DROP TABLE a;\nDROP TABLE nope;\n' },
      pr: { 'migrations/0002_drop.sql': 'DROP TABLE a;\nDROP TABLE b;\n' },
    });
    const reports = await expectFires(rule, input);
    expect(reports.map((r) => [r.messageId, r.table, r.file])).toEqual([['dropTable', 'b', 'migrations/0002_drop.sql']]);
    expect(reports[0].details).toEqual([expect.stringMatching(/^migrations\/0002_drop\.sql fails on main \(.*nope.*\), so no database ran it yet/)]);
  });

  it('does not call dropping a tool\'s own table (Drizzle\'s journal table) a data loss', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': `${tables}CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY, hash TEXT);\n` },
      pr: { 'migrations/0002_drop.sql': 'DROP TABLE __drizzle_migrations;\n' },
    });
    await expectPasses(rule, input);
  });

  it('still reports a dropped table when the same migration creates another one (only INSERT … SELECT keeps rows)', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': tables },
      pr: { 'migrations/0002_swap.sql': 'CREATE TABLE c (id INTEGER PRIMARY KEY);\nDROP TABLE a;\n' },
    });
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ messageId: 'dropTable', table: 'a', line: 2 });
  });

  it('reports a table re-created without a copy even when the PR also renames another table', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': tables },
      pr: { 'migrations/0002_redo.sql': 'ALTER TABLE b RENAME TO b2;\nDROP TABLE a;\nCREATE TABLE a (id INTEGER PRIMARY KEY, note TEXT);\n' },
    });
    const reports = await expectFires(rule, input);
    expect(reports.map((r) => [r.messageId, r.table, r.line])).toEqual([['recreate', 'a', 2]]);
    expect(reports[0].data).toEqual({ table: 'a', database: 'app-db' });
  });

  it('finds a column the PR drops from a table it renamed', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT, d TEXT);\n' },
      pr: { 'migrations/0002_rename.sql': 'ALTER TABLE t RENAME TO u;\nALTER TABLE u DROP COLUMN d;\n' },
    });
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ messageId: 'dropColumn', table: 'u', data: { column: 'd' }, line: 2 });
  });

  it('compares a renamed table\'s columns with the table under its old name (a NOT NULL added after a rename)', async () => {
    const rebuild = 'CREATE TABLE u_new (id INTEGER PRIMARY KEY, c TEXT NOT NULL);\nINSERT INTO u_new SELECT id, c FROM u;\nDROP TABLE u;\nALTER TABLE u_new RENAME TO u;\n';
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT);\n' },
      pr: { 'migrations/0002_rename.sql': `ALTER TABLE t RENAME TO u;\n${rebuild}` },
    });
    const reports = await expectFires(rule, input);
    expect(reports.map((r) => [r.messageId, r.table, r.data?.column])).toEqual([['notNull', 'u', 'c']]);
    expect(reports[0].line).toBe(2);
  });

  it('trusts only drops the PR spells out when its replay fails: no type or NOT NULL findings from a partial schema', async () => {
    const rebuild = 'CREATE TABLE t_new (id INTEGER PRIMARY KEY, c TEXT NOT NULL);\nINSERT INTO t_new SELECT id, c FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n';
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT);\n' },
      pr: { 'migrations/0002_rebuild.sql': `${rebuild}INSERT INTO nope VALUES (1);\n` },
    });
    expect(input.databases[0].head.replay.failures).toHaveLength(1);
    await expectPasses(rule, input);
  });

  it('recognises libSQL\'s ALTER COLUMN … TO in lower case, after a comment line, on a table whose name has regex characters', async () => {
    // A Turso project (drizzle config `dialect: 'turso'`), so the replay is libSQL's, which accepts the statement.
    const table = 'shop$items';
    const base = { '0000_init': `CREATE TABLE "${table}" (id INTEGER PRIMARY KEY, sku TEXT);\nCREATE TABLE "shopXitems" (id INTEGER PRIMARY KEY, sku TEXT);` };
    const altered = `  -- sku becomes a number\nalter table \`${table}\` alter column "sku" to "sku" integer;`;
    await expectPasses(rule, drizzleMigrationsInput(base, { '0001_sku': altered }, { dialect: 'turso' }));
    // The same narrowing of another table by a rebuild in the same file is still reported (the pattern is anchored to the table).
    const rebuild = 'CREATE TABLE __new_x (id INTEGER PRIMARY KEY, sku INTEGER);\nINSERT INTO __new_x SELECT * FROM shopXitems;\nDROP TABLE shopXitems;\nALTER TABLE __new_x RENAME TO shopXitems;';
    const both = await drizzleMigrationsInput(base, { '0001_sku': `${altered}\n${rebuild}` }, { dialect: 'turso' });
    expect(both.databases[0].head.replay.failures).toEqual([]);
    expect(rule.check(both).map((r) => [r.messageId, r.table])).toEqual([['narrowType', 'shopXitems']]);
  });

  it('recognises libSQL\'s ALTER COLUMN … TO with comments inside it, on names with capitals', async () => {
    const base = { '0000_init': 'CREATE TABLE "Items" (id INTEGER PRIMARY KEY, SKU TEXT);' };
    const altered = 'ALTER TABLE Items /* in place: no rows copied */ ALTER COLUMN -- becomes a number\n  "SKU" TO "SKU" integer;';
    const input = await drizzleMigrationsInput(base, { '0001_sku': altered }, { dialect: 'turso' });
    expect(input.databases[0].head.replay.failures).toEqual([]);
    await expectPasses(rule, input);
  });

  it('reports a rebuild that narrows a column main once altered in place (only the PR\'s statements count)', async () => {
    const base = {
      '0000_init': 'CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT);',
      '0001_sku': 'ALTER TABLE items ALTER COLUMN sku TO sku TEXT NOT NULL;',
    };
    const rebuild = 'CREATE TABLE __new_items (id INTEGER PRIMARY KEY, sku INTEGER NOT NULL);\nINSERT INTO __new_items SELECT * FROM items;\nDROP TABLE items;\nALTER TABLE __new_items RENAME TO items;';
    const input = await drizzleMigrationsInput(base, { '0002_sku': rebuild }, { dialect: 'turso' });
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ messageId: 'narrowType', table: 'items', file: 'drizzle/0002_sku.sql', line: 1, data: { column: 'sku' } });
  });

  it('still reports a DROP COLUMN the PR spells out when its replay fails later', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT, d TEXT);\n' },
      pr: { 'migrations/0002_drop.sql': 'ALTER TABLE t DROP COLUMN d;\nINSERT INTO nope VALUES (1);\n' },
    });
    expect(input.databases[0].head.replay.failures).toHaveLength(1);
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ messageId: 'dropColumn', table: 't', data: { column: 'd' }, line: 1 });
  });

  it('keeps a copy target that a later, unrelated rename-away rebuild does not touch', async () => {
    // a is rebuilt as a2 (rows copied); then b is rebuilt with the RENAME TO b_old idiom. Only a rename of a2 moves a's rows.
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);\nCREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT);\n' },
      pr: {
        'migrations/0002_rebuild.sql':
          'CREATE TABLE a2 (id INTEGER PRIMARY KEY, v TEXT);\nINSERT INTO a2 SELECT * FROM a;\nDROP TABLE a;\n' +
          'ALTER TABLE b RENAME TO b_old;\nCREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT, w TEXT);\nINSERT INTO b (id, v) SELECT id, v FROM b_old;\nDROP TABLE b_old;\n',
      },
    });
    await expectPasses(rule, input);
  });

  it('follows only the renames after a copy: a table renamed away before it is not where the rows went', async () => {
    // logs is rebuilt (RENAME TO logs_old, new logs, rows copied back) and events is merged into the new logs.
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE events (id INTEGER PRIMARY KEY, msg TEXT);\nCREATE TABLE logs (id INTEGER PRIMARY KEY, msg TEXT);\n' },
      pr: {
        'migrations/0002_merge.sql':
          "ALTER TABLE logs RENAME TO logs_old;\nCREATE TABLE logs (id INTEGER PRIMARY KEY, msg TEXT, source TEXT);\nINSERT INTO logs (id, msg, source) SELECT id, msg, 'log' FROM logs_old;\n" +
          "INSERT INTO logs (msg, source) SELECT msg, 'event' FROM events;\nDROP TABLE logs_old;\nDROP TABLE events;\n",
      },
    });
    expect(input.databases[0].delta.tablesDropped).toEqual(['events']);
    await expectPasses(rule, input);
  });

  it('says "no type" for a narrowed column that had no declared type', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, v);\n' },
      pr: { 'migrations/0002_type.sql': 'CREATE TABLE t_new (id INTEGER PRIMARY KEY, v INTEGER);\nINSERT INTO t_new SELECT id, v FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n' },
    });
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ messageId: 'narrowType', table: 't', line: 1, data: { column: 'v', from: 'no type', to: 'INTEGER', fromAffinity: 'BLOB', toAffinity: 'INTEGER' } });
  });

  it('compares a renamed table with its own base table when the PR renames two tables', async () => {
    const rebuild = 'CREATE TABLE u_new (id INTEGER PRIMARY KEY, c TEXT NOT NULL);\nINSERT INTO u_new SELECT id, c FROM u;\nDROP TABLE u;\nALTER TABLE u_new RENAME TO u;\n';
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT);\n' },
      pr: { 'migrations/0002_rename.sql': `ALTER TABLE a RENAME TO b;\nALTER TABLE t RENAME TO u;\n${rebuild}` },
    });
    expect(input.databases[0].delta.tablesRenamed.map((r) => r.from)).toEqual(['a', 't']);
    const reports = await expectFires(rule, input);
    expect(reports.map((r) => [r.messageId, r.table, r.data?.column, r.line])).toEqual([['notNull', 'u', 'c', 3]]);
  });

  it('follows a column the PR renames when it also makes it NOT NULL', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT);\n' },
      pr: {
        'migrations/0002_rename.sql':
          'ALTER TABLE t RENAME COLUMN c TO d;\nCREATE TABLE t_new (id INTEGER PRIMARY KEY, d TEXT NOT NULL);\nINSERT INTO t_new SELECT id, d FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n',
      },
    });
    const reports = await expectFires(rule, input);
    expect(reports.map((r) => [r.messageId, r.table, r.data?.column, r.line])).toEqual([['notNull', 't', 'd', 2]]);
  });

  it('does not blame a failing PR for a column that went with the migration it broke, nor for one it deleted', async () => {
    const base = { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT);\n', 'migrations/0002_d.sql': 'ALTER TABLE t ADD COLUMN d TEXT;\n' };
    // The edited ADD COLUMN fails (SQLite cannot add a UNIQUE column), so head lacks d, but no statement of the PR drops it.
    const broken = await preparedInput({ base, pr: { 'migrations/0002_d.sql': 'ALTER TABLE t ADD COLUMN d TEXT UNIQUE;\n' } });
    expect(broken.databases[0].delta.tablesChanged.map((c) => c.columnsDropped)).toEqual([['d']]);
    await expectPasses(rule, broken);
    // 0002 deleted and a failing migration added: no statement of the PR names t at all.
    const deleted = await preparedInput({ base, pr: { 'migrations/0002_d.sql': null, 'migrations/0003_x.sql': 'INSERT INTO nope VALUES (1);\n' } });
    expect(deleted.databases[0].delta.tablesChanged.map((c) => c.columnsDropped)).toEqual([['d']]);
    await expectPasses(rule, deleted);
  });
});
