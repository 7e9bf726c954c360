import { describe, expect, it } from 'vitest';
import { parseRename } from '../../src/replay/rename.js';

describe('parseRename', () => {
  it.each([
    ['ALTER TABLE users RENAME TO members;', { kind: 'table', table: 'users', to: 'members' }],
    ['alter table main."old ""q""" rename to [new name];', { kind: 'table', table: 'old "q"', to: 'new name' }],
    ['ALTER TABLE `a` /* c */ RENAME TO `b`', { kind: 'table', table: 'a', to: 'b' }],
    ['ALTER TABLE t RENAME COLUMN a TO b;', { kind: 'column', table: 't', from: 'a', to: 'b' }],
    ['ALTER TABLE t RENAME a TO b;', { kind: 'column', table: 't', from: 'a', to: 'b' }],
    ['ALTER TABLE [t] RENAME "col" TO `c2`;', { kind: 'column', table: 't', from: 'col', to: 'c2' }],
    ['ALTER TABLE t RENAME column TO b;', { kind: 'column', table: 't', from: 'column', to: 'b' }],
  ])('%j', (sql, expected) => {
    expect(parseRename(sql)).toEqual(expected);
  });

  it.each(['ALTER TABLE t ADD COLUMN x TEXT;', 'ALTER TABLE t DROP COLUMN x;', 'SELECT 1;', 'ALTER TABLE t RENAME TO'])(
    'is null for %j',
    (sql) => {
      expect(parseRename(sql)).toBeNull();
    },
  );
});
