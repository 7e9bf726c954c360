import { describe, expect, it } from 'vitest';
import { operationOf, splitStatements } from '../../../src/rules/shared/sql-operations.js';

const ops = (sql: string) => splitStatements(sql).map((s) => [s.line, operationOf(s)]);

describe('splitStatements / operationOf', () => {
  it('recognises the DDL shapes with quoting, IF [NOT] EXISTS and schema names, at their lines', () => {
    const sql = [
      '-- header; with a semicolon',
      'CREATE TABLE IF NOT EXISTS "Meadow_Posts" (id TEXT, note TEXT DEFAULT \';\');',
      '/* multi',
      '   line */ DROP TABLE IF EXISTS main.`products`;',
      'ALTER TABLE [user_onboarding] DROP COLUMN lemonsqueezy_customer_id;',
      'ALTER TABLE t RENAME TO u; ALTER TABLE u RENAME COLUMN a TO b; ALTER TABLE u ADD c TEXT;',
      'CREATE UNIQUE INDEX IF NOT EXISTS ix ON u(b);',
      'INSERT INTO `__new_x`("id") SELECT "id" FROM `x` JOIN y ON 1;',
      'PRAGMA foreign_keys=OFF;',
    ].join('\n');
    expect(ops(sql)).toEqual([
      [2, { kind: 'create-table', table: 'meadow_posts' }],
      [4, { kind: 'drop-table', table: 'products' }],
      [5, { kind: 'drop-column', table: 'user_onboarding', column: 'lemonsqueezy_customer_id' }],
      [6, { kind: 'rename-table', table: 't', to: 'u' }],
      [6, { kind: 'rename-column', table: 'u', column: 'a', to: 'b' }],
      [6, { kind: 'add-column', table: 'u', column: 'c' }],
      [7, { kind: 'create-index', table: 'u', index: 'ix' }],
      [8, { kind: 'insert', table: '__new_x', sources: ['x', 'y'] }],
      [9, undefined],
    ]);
  });

  it('keeps trigger bodies (with CASE … END) in one statement', () => {
    const sql = 'CREATE TRIGGER tr AFTER DELETE ON posts BEGIN\n  UPDATE s SET n = CASE WHEN n > 0 THEN n - 1 ELSE 0 END;\n  DELETE FROM x;\nEND;\nDROP TABLE a;';
    expect(ops(sql)).toEqual([
      [1, { kind: 'create-trigger', table: 'posts', trigger: 'tr' }],
      [5, { kind: 'drop-table', table: 'a' }],
    ]);
  });
});
