// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the other
// parseRename tests. The replay child parses an ALTER before SQLite runs it, so a statement SQLite will reject must
// still parse to null without throwing (a throw would end the replay, not fail one statement).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseRename } from '../../src/replay/rename.js';

describe('parseRename (mutation cases)', () => {
  it('reads string literals as names, as SQLite does in ALTER TABLE', () => {
    const db = new Database(':memory:');
    db.exec("CREATE TABLE old (a); ALTER TABLE 'old' RENAME TO 'new'; ALTER TABLE new RENAME COLUMN 'a' TO 'b';");
    expect(db.prepare('SELECT sql FROM sqlite_master').pluck().get()).toBe('CREATE TABLE "new" ("b")');
    db.close();
    expect(parseRename("ALTER TABLE 'old' RENAME TO 'new'")).toEqual({ kind: 'table', table: 'old', to: 'new' });
    expect(parseRename("ALTER TABLE new RENAME COLUMN 'a' TO 'b'")).toEqual({ kind: 'column', table: 'new', from: 'a', to: 'b' });
  });

  it.each(['ALTER TABLE t', 'ALTER TABLE main.', 'ALTER TABLE main. RENAME TO u', 'ALTER TABLE t RENAME a TO', 'ALTER TABLE t RENAME COLUMN', 'ALTER TABLE t RENAME a b', "ALTER TABLE t RENAME TO 'unterminated"])(
    'is null, without throwing, for the unfinished %j',
    (sql) => {
      expect(parseRename(sql)).toBeNull();
    },
  );

  it.each([
    'ALTER VIEW v RENAME TO w',
    'DROP TABLE t RENAME TO u',
    'ALTER TABLE',
    'ALTER TABLE ( RENAME TO u',
    'ALTER TABLE t RENAME TO (',
    'ALTER TABLE t ADD a TO b',
    'ALTER TABLE t RENAME a b TO c',
    'ALTER TABLE t RENAME a b c',
  ])('is null for %j, which is no ALTER TABLE rename', (sql) => {
    expect(parseRename(sql)).toBeNull();
  });
});
