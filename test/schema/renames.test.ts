import { describe, expect, it } from 'vitest';
import { resolveRenames } from '../../src/schema/renames.js';
import type { RenameEvent } from '../../src/replay/types.js';
import { schemaFromSql } from '../helpers/schema-from-sql.js';

const base = schemaFromSql(`
  CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT, y TEXT);
  CREATE TABLE b (id INTEGER PRIMARY KEY);
  CREATE TABLE x (id INTEGER PRIMARY KEY, name TEXT);
`);
const table = (from: string, to: string, line = 1): RenameEvent => ({ kind: 'table', file: 'm.sql', line, from, to });
const column = (t: string, from: string, to: string, line = 1): RenameEvent => ({
  kind: 'column',
  file: 'm.sql',
  line,
  table: t,
  from,
  to,
});

describe('resolveRenames', () => {
  it('returns empty maps when nothing was renamed', () => {
    const r = resolveRenames([], base);
    expect(r.tables.size).toBe(0);
    expect(r.columns.size).toBe(0);
  });

  it('composes a chain a → b2 → c into a → c', () => {
    const r = resolveRenames([table('a', 'b2'), table('b2', 'c')], base);
    expect([...r.tables]).toEqual([['a', 'c']]);
  });

  it('treats a rename back to the original name as no rename', () => {
    const r = resolveRenames([table('a', 'tmp'), table('tmp', 'a'), column('a', 'x', 'x2'), column('a', 'x2', 'x')], base);
    expect(r.tables.size).toBe(0);
    expect(r.columns.size).toBe(0);
  });

  it('keys column renames by the head name of a table renamed before or after', () => {
    const before = resolveRenames([table('a', 'c'), column('c', 'x', 'z')], base);
    expect(before.columns.get('c')).toEqual(new Map([['x', 'z']]));
    const after = resolveRenames([column('a', 'x', 'z'), table('a', 'c')], base);
    expect(after.columns.get('c')).toEqual(new Map([['x', 'z']]));
  });

  it('ignores renames of objects that never existed on base (Drizzle rebuild idiom)', () => {
    const r = resolveRenames([column('__new_x', 'name', 'title'), table('__new_x', 'x')], base);
    expect(r.tables.size).toBe(0);
    expect(r.columns.size).toBe(0);
  });

  it('follows a swap through a temporary name', () => {
    const r = resolveRenames([table('a', 'tmp'), table('b', 'a'), table('tmp', 'b')], base);
    expect(r.tables).toEqual(new Map([['a', 'b'], ['b', 'a']]));
  });

  it('ends the identity of an object whose name another rename took over', () => {
    // DROP TABLE b; ALTER TABLE a RENAME TO b — b's old identity is gone, a is now b.
    const r = resolveRenames([table('a', 'b')], base);
    expect(r.tables).toEqual(new Map([['a', 'b']]));
  });

  it('matches names case-insensitively and accepts quoted names', () => {
    const r = resolveRenames([table('"A"', 'renamed'), column('[RENAMED]', 'X', 'x_new')], base);
    expect(r.tables).toEqual(new Map([['a', 'renamed']]));
    expect(r.columns.get('renamed')).toEqual(new Map([['x', 'x_new']]));
  });

  it('ignores a column the PR added and then renamed', () => {
    const r = resolveRenames([column('a', 'fresh', 'fresher')], base);
    expect(r.columns.size).toBe(0);
  });
});
