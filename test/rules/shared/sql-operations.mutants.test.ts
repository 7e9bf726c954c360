// What the rules read from unfinished, odd or less common statements: the cases Stryker's survivors showed untested.
import { describe, expect, it } from 'vitest';
import destructiveChange from '../../../src/rules/destructive-change.js';
import { operationOf, splitStatements } from '../../../src/rules/shared/sql-operations.js';
import { expectPasses } from '../../helpers/lint.js';
import { preparedInput, WRANGLER } from '../../helpers/prepared-input.js';

const ops = (sql: string) => splitStatements(sql).map((s) => [s.line, operationOf(s)]);
const op = (sql: string) => {
  const statements = splitStatements(sql);
  expect(statements).toHaveLength(1);
  return operationOf(statements[0]);
};

describe('splitStatements', () => {
  it('keeps a last statement that never finishes (a trigger without END), at its line', () => {
    const sql = 'DROP TABLE a;\nCREATE TRIGGER tr AFTER DELETE ON posts BEGIN\n  DELETE FROM x;';
    expect(ops(sql)).toEqual([
      [1, { kind: 'drop-table', table: 'a' }],
      [2, { kind: 'create-trigger', table: 'posts', trigger: 'tr' }],
    ]);
  });

  it('reads a last statement without its semicolon', () => {
    expect(ops('CREATE TABLE a (id);\nDROP TABLE a')).toEqual([
      [1, { kind: 'create-table', table: 'a' }],
      [2, { kind: 'drop-table', table: 'a' }],
    ]);
  });
});

describe('operationOf', () => {
  it('names no table, and never throws, for statements cut short before their names', () => {
    for (const sql of ['CREATE', 'DROP TABLE', 'DROP TABLE IF EXISTS', 'CREATE INDEX', 'CREATE INDEX ix', 'CREATE TRIGGER', 'CREATE TRIGGER tr AFTER DELETE', 'ALTER TABLE', 'INSERT INTO', 'INSERT INTO;']) {
      expect({ sql, op: op(sql) }).toEqual({ sql, op: undefined });
    }
  });

  it('keeps an ALTER TABLE whose rename or column is cut short as an alteration of that table', () => {
    for (const sql of ['ALTER TABLE t RENAME TO;', 'ALTER TABLE t RENAME COLUMN;', 'ALTER TABLE t RENAME COLUMN a TO;', 'ALTER TABLE t RENAME COLUMN', 'ALTER TABLE t ADD;', 'ALTER TABLE t DROP COLUMN']) {
      expect({ sql, op: op(sql) }).toEqual({ sql, op: { kind: 'alter-table', table: 't' } });
    }
  });

  it('reads TEMP, TEMPORARY and VIRTUAL tables and a table named by a string literal', () => {
    const sql = "CREATE TEMP TABLE a (x);\nCREATE TEMPORARY TABLE b (x);\nCREATE VIRTUAL TABLE c USING fts5(x);\nCREATE TABLE 'Legacy Notes' (x);";
    expect(ops(sql)).toEqual([
      [1, { kind: 'create-table', table: 'a' }],
      [2, { kind: 'create-table', table: 'b' }],
      [3, { kind: 'create-table', table: 'c' }],
      [4, { kind: 'create-table', table: 'legacy notes' }],
    ]);
  });

  it('drops the schema of schema-qualified names, wherever they stand', () => {
    expect(op('CREATE INDEX main.ix ON t (a);')).toEqual({ kind: 'create-index', table: 't', index: 'ix' });
    expect(op('INSERT INTO main.t SELECT * FROM main.x;')).toEqual({ kind: 'insert', table: 't', sources: ['x'] });
  });

  it('reads the trigger name after IF NOT EXISTS, and no trigger where SQLite would see none', () => {
    expect(op('CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON posts BEGIN SELECT 1; END;')).toEqual({ kind: 'create-trigger', table: 'posts', trigger: 'tr' });
    // A view joining ON a column is not a trigger on that column's table.
    expect(op('CREATE VIEW v AS SELECT * FROM a JOIN b ON b.id = a.id;')).toBeUndefined();
    // No event before ON: SQLite rejects it, so it creates no trigger on t.
    expect(op('CREATE TRIGGER tr ON t BEGIN SELECT 1; END;')).toBeUndefined();
  });

  it('reads RENAME without COLUMN, and keeps libSQL\'s ALTER COLUMN an alteration (not a dropped column)', () => {
    expect(op('ALTER TABLE t RENAME a TO b;')).toEqual({ kind: 'rename-column', table: 't', column: 'a', to: 'b' });
    expect(op('ALTER TABLE t ALTER COLUMN c TO c INTEGER NOT NULL;')).toEqual({ kind: 'alter-table', table: 't' });
  });

  it('reads nothing from statements that only look like the shapes it follows', () => {
    // Postgres renames an index so; SQLite has no ALTER INDEX, and it is no table rename.
    expect(op('ALTER INDEX ix RENAME TO iy;')).toBeUndefined();
    // MySQL's INSERT without INTO: no table called "insert".
    expect(op('INSERT t VALUES (1);')).toBeUndefined();
  });

  it('follows REPLACE INTO like INSERT INTO, and skips a subquery where a source table would stand', () => {
    expect(op('REPLACE INTO t SELECT * FROM s;')).toEqual({ kind: 'insert', table: 't', sources: ['s'] });
    expect(op('INSERT INTO t SELECT x FROM (SELECT 2 AS x) JOIN u;')).toEqual({ kind: 'insert', table: 't', sources: ['u'] });
  });

  it('follows an INSERT after a WITH clause, with the tables its queries read as sources', () => {
    expect(op('WITH kept AS (SELECT * FROM old WHERE id > 0) INSERT INTO fresh SELECT * FROM kept;')).toEqual({ kind: 'insert', table: 'fresh', sources: ['old', 'kept'] });
    expect(op('WITH x AS (SELECT 1) SELECT * FROM x;')).toBeUndefined();
    // Postgres' SELECT … INTO makes a table; SQLite rejects it, and it is no copy.
    expect(op('SELECT * INTO fresh FROM old;')).toBeUndefined();
  });

  it('lets destructive-change see a rebuild that copies its rows through a WITH clause (no "re-created without copy")', async () => {
    const rebuild = 'CREATE TABLE t_new (id INTEGER PRIMARY KEY, c TEXT);\nWITH rows AS (SELECT id, c FROM t)\nINSERT INTO t_new SELECT id, c FROM rows;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n';
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT);\n' },
      pr: { 'migrations/0002_rebuild.sql': rebuild },
    });
    await expectPasses(destructiveChange, input);
  });
});
