import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { uniqueKeys } from '../../../src/rules/shared/unique-constraints.js';

describe('uniqueKeys', () => {
  it('reads names in parentheses, which SQLite accepts in a UNIQUE list and backs with an index over those columns', () => {
    const sql = 'CREATE TABLE t (a, b, UNIQUE ((a), ((b))))';
    const db = new Database(':memory:');
    db.exec(sql);
    const columns = db.prepare('SELECT name FROM pragma_index_info(?)').all('sqlite_autoindex_t_1').map((r) => (r as { name: string }).name);
    db.close();
    expect(columns).toEqual(['a', 'b']);
    expect(uniqueKeys(sql)).toEqual([['a', 'b']]);
  });
});
