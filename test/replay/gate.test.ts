import { describe, expect, it } from 'vitest';
import { gateStatement, type GateDecision } from '../../src/replay/gate.js';

const sqlite = { dialect: 'sqlite' as const };
const d1 = { dialect: 'd1' as const };
const action = (sql: string, ctx: { dialect: 'sqlite' | 'd1' } = sqlite): GateDecision['action'] => gateStatement(sql, ctx).action;

describe('gateStatement', () => {
  it.each([
    "ATTACH DATABASE 'evil.db' AS evil;",
    "attach '/tmp/evil.db' as e;",
    "/*x*/ATTACH 'x.db' AS x;",
    "-- comment\nATTACH 'x.db' AS x;",
    'DETACH DATABASE evil;',
    'VACUUM;',
    "VACUUM INTO '/tmp/copy.db';",
    "EXPLAIN ATTACH 'x.db' AS x;",
    "EXPLAIN QUERY PLAN VACUUM INTO 'y.db';",
  ])('refuses %j', (sql) => {
    const d = gateStatement(sql, sqlite);
    expect(d.action).toBe('refuse');
    expect(d.action === 'refuse' && d.reason).toMatch(/not allowed/);
  });

  it.each([
    'PRAGMA writable_schema = 1;',
    'PRAGMA "writable_schema"=ON;',
    'PRAGMA main.writable_schema = 1;',
    'PRAGMA max_page_count = 2147483647;',
    'PRAGMA page_size = 65536;',
    'PRAGMA journal_mode = WAL;',
    'PRAGMA temp_store = FILE;',
    "PRAGMA temp_store_directory = '/tmp';",
    "PRAGMA data_store_directory = '/tmp';",
    'PRAGMA mmap_size = 268435456;',
    'PRAGMA cache_size = -2000000;',
    'PRAGMA trusted_schema = ON;',
    'PRAGMA hard_heap_limit = 0;',
    'PRAGMA schema_version = 5;',
    'PRAGMA schema_version(5);',
    'PRAGMA evil.table_info(x);',
    'pragma /* hidden */ writable_schema=1',
  ])('refuses %j', (sql) => {
    expect(action(sql)).toBe('refuse');
  });

  it.each([
    'PRAGMA foreign_keys = OFF;',
    'PRAGMA defer_foreign_keys = ON;',
    'PRAGMA legacy_alter_table=ON;',
    'PRAGMA recursive_triggers = 1;',
    'PRAGMA ignore_check_constraints = 0;',
    'PRAGMA case_sensitive_like = 1;',
    'PRAGMA foreign_key_check;',
    'PRAGMA integrity_check;',
    'PRAGMA main.table_info(users);',
    'PRAGMA table_xinfo("users");',
    'PRAGMA index_list([users]);',
    'PRAGMA schema_version;',
    'PRAGMA user_version = 3;',
  ])('allows %j', (sql) => {
    expect(action(sql)).toBe('run');
  });

  it('refuses load_extension wherever it appears, but not in strings or comments', () => {
    expect(action("SELECT load_extension('/tmp/x.so');")).toBe('refuse');
    expect(action("INSERT INTO t SELECT LOAD_EXTENSION('x') ;")).toBe('refuse');
    expect(action("INSERT INTO t VALUES ('load_extension'); -- load_extension")).toBe('run');
  });

  it.each([
    `SELECT "load_extension"('x');`,
    'SELECT [load_extension](\'x\');',
    'SELECT `Load_Extension`(\'x\');',
    `SELECT "load_""extension"('x');`.replace('""', ''),
    `SELECT 'load_extension'('x');`,
    `CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT [LOAD_EXTENSION]('x'); END;`,
  ])('refuses load_extension called by a quoted name: %s', (sql) => {
    expect(action(sql)).toBe('refuse');
  });

  it('does not mistake keywords inside strings, quoted names or comments for statements', () => {
    expect(action("INSERT INTO log VALUES ('ATTACH x; VACUUM');")).toBe('run');
    expect(action('CREATE TABLE "attach" ([vacuum] TEXT);')).toBe('run');
    expect(action('/* ATTACH */ SELECT 1;')).toBe('run');
  });

  it('refuses a statement holding a NUL (SQLite would run only the part before it)', () => {
    expect(action('SELECT 1 \0 ;')).toBe('refuse');
  });

  describe('D1 compatibility', () => {
    it.each(['BEGIN TRANSACTION;', 'BEGIN;', 'COMMIT;', 'END TRANSACTION;', 'ROLLBACK;', 'SAVEPOINT a;', 'RELEASE a;'])(
      'skips %j with a transaction-statement note on D1 and runs it on SQLite',
      (sql) => {
        expect(gateStatement(sql, d1)).toMatchObject({ action: 'skip', note: 'transaction-statement' });
        expect(action(sql, sqlite)).toBe('run');
      },
    );

    it('skips PRAGMA foreign_keys on D1 with a foreign-keys-pragma note', () => {
      expect(gateStatement('PRAGMA foreign_keys = OFF;', d1)).toMatchObject({ action: 'skip', note: 'foreign-keys-pragma' });
      expect(action('PRAGMA defer_foreign_keys = ON;', d1)).toBe('run');
    });

    it('still refuses what the sandbox refuses', () => {
      expect(action('VACUUM;', d1)).toBe('refuse');
    });
  });
});
