// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant of src/rules/shared/tables.ts
// that survived the tests of the rules using it.
import { describe, expect, it } from 'vitest';
import type { SafariConfig } from '../../../src/config/schema.js';
import type { Schema, Table } from '../../../src/schema/model.js';
import { countTables, domainOf, findTable, introducedTables, isInternalTable, listNames } from '../../../src/rules/shared/tables.js';
import type { DatabaseReview } from '../../../src/rules/types.js';

const table = (name: string, kind: Table['kind'] = 'table'): Table =>
  ({ name, kind, strict: false, withoutRowid: false, columns: [], indexes: [], foreignKeys: [], sql: null });
const schemaOf = (...tables: Table[]): Schema => ({ tables: Object.fromEntries(tables.map((t) => [t.name, t])), views: {}, triggers: {} });

describe('isInternalTable (mutation cases)', () => {
  it('knows the tools\' tables by their whole name or prefix, in any case', () => {
    const names = ['sqlite_sequence', 'SQLITE_stat1', '_cf_KV', 'd1_migrations', 'D1_MIGRATIONS', '__drizzle_migrations'];
    expect(names.filter(isInternalTable)).toEqual(names);
  });

  it('does not take tables that only contain those names for the tools\'', () => {
    const names = ['my_sqlite_x', 'a_cf_b', 'old_d1_migrations', 'd1_migrations_backup', '__drizzle_migrations2', 'x__drizzle_migrations', 'users'];
    expect(names.filter(isInternalTable)).toEqual([]);
  });
});

describe('introducedTables (mutation cases)', () => {
  it('lists added tables, then renamed ones with their old name, leaving out the tools\' own', () => {
    const db = { delta: { tablesAdded: ['a', '_cf_KV'], tablesRenamed: [{ from: 'old', to: 'b' }, { from: 'x', to: 'sqlite_y' }] } } as unknown as DatabaseReview;
    expect(introducedTables(db)).toEqual([{ table: 'a' }, { table: 'b', from: 'old' }]);
  });
});

describe('domainOf (mutation cases)', () => {
  const config = (domains: Record<string, { tables?: string[]; prefixes?: string[] }>) =>
    ({
      domains: Object.fromEntries(Object.entries(domains).map(([id, d]) => [id, { tables: [], prefixes: [], database: 'app-db', ...d }])),
    }) as unknown as SafariConfig;
  const of = (table: string, c: SafariConfig) => {
    const m = domainOf(table, c);
    return m && [m.id, m.prefix];
  };

  it('takes a table listed by name (any case) over any prefix, listed before or after', () => {
    expect(of('USERS', config({ a: { prefixes: ['user'] }, b: { tables: ['Users'] } }))).toEqual(['b', undefined]);
    expect(of('users', config({ b: { tables: ['Users'] }, a: { prefixes: ['users'] } }))).toEqual(['b', undefined]);
  });

  it('takes the longest matching prefix, the first one among equals', () => {
    expect(of('User_Roles', config({ a: { prefixes: ['us'] }, b: { prefixes: ['USER_'] } }))).toEqual(['b', 'USER_']);
    expect(of('user_roles', config({ b: { prefixes: ['user_'] }, a: { prefixes: ['us'] } }))).toEqual(['b', 'user_']);
    expect(of('user_roles', config({ a: { prefixes: ['user_'] }, b: { prefixes: ['USER_'] } }))).toEqual(['a', 'user_']);
  });

  it('matches prefixes at the start of the name only', () => {
    expect(of('app_user_', config({ a: { prefixes: ['user_'] }, b: { tables: ['user_'] } }))).toBeUndefined();
  });
});

describe('countTables (mutation cases)', () => {
  it('counts ordinary and virtual tables, not the tools\' own', () => {
    expect(countTables(schemaOf(table('a'), table('docs', 'virtual'), table('sqlite_sequence'), table('_cf_KV'), table('d1_migrations')))).toBe(2);
  });
});

describe('findTable (mutation cases)', () => {
  it('finds a table by its name in any case, and never an Object property', () => {
    const s = schemaOf(table('Users'), table('posts'));
    expect([findTable(s, 'Users')?.name, findTable(s, 'USERS')?.name, findTable(s, 'Posts')?.name]).toEqual(['Users', 'Users', 'posts']);
    expect([findTable(s, 'constructor'), findTable(s, 'toString'), findTable(s, 'comments')]).toEqual([undefined, undefined, undefined]);
  });
});

describe('listNames (mutation cases)', () => {
  it('shows up to `max` names in backticks, then how many more', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    expect(listNames(names)).toBe('`a`, `b`, `c`, `d`, `e`, `f` and 2 more');
    expect(listNames(names.slice(0, 7))).toBe('`a`, `b`, `c`, `d`, `e`, `f` and 1 more');
    expect(listNames(names.slice(0, 6))).toBe('`a`, `b`, `c`, `d`, `e`, `f`');
    expect(listNames(names, 2)).toBe('`a`, `b` and 6 more');
    expect(listNames([])).toBe('');
  });
});
