import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/unindexed-foreign-key.js';
import { uniqueKeys } from '../../../src/rules/shared/unique-constraints.js';
import { expectPasses } from '../../helpers/lint.js';
import { migrationsInput } from '../../helpers/prepared-input.js';

describe('uniqueKeys', () => {
  const sql = 'CREATE TABLE t (a, b, UNIQUE ((a), ((b))))';

  it('reads names in parentheses, which SQLite accepts in a UNIQUE list and backs with an index over those columns', () => {
    const db = new Database(':memory:');
    db.exec(sql);
    const columns = db.prepare('SELECT name FROM pragma_index_info(?)').all('sqlite_autoindex_t_1').map((r) => (r as { name: string }).name);
    db.close();
    expect(columns).toEqual(['a', 'b']);
    expect(uniqueKeys(sql)).toEqual([['a', 'b']]);
  });

  it('so unindexed-foreign-key takes such a constraint for the index of a key it leads with', async () => {
    const base = { 'm/0001.sql': 'CREATE TABLE tenants(id TEXT PRIMARY KEY);' };
    await expectPasses(rule, migrationsInput(base, { 'm/0002.sql': 'CREATE TABLE links(a TEXT REFERENCES tenants(id), b TEXT, UNIQUE ((a), b));' }));
  });
});
