// Cases that pin branches of diff.ts the main tests leave open (Stryker survivors, issue 11 §4).
import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/schema/diff.js';
import { emptyDelta, type SchemaDelta } from '../../src/schema/delta.js';
import type { RenameEvent } from '../../src/replay/types.js';
import { schemaFromSql } from '../helpers/schema-from-sql.js';

const table = (from: string, to: string): RenameEvent => ({ kind: 'table', file: 'm.sql', line: 1, from, to });
const column = (t: string, from: string, to: string): RenameEvent => ({ kind: 'column', file: 'm.sql', line: 1, table: t, from, to });

/** The delta with the unchanged-table skip on, checked against the full comparison. */
function diffOf(baseSql: string, migration: string, events: RenameEvent[] = []): SchemaDelta {
  const base = schemaFromSql(baseSql);
  const head = schemaFromSql(`${baseSql}\n${migration}`);
  const delta = diffSchemas(base, head, events);
  expect(delta).toEqual(diffSchemas(base, head, events, { skipUnchanged: false }));
  return delta;
}
const legacy = (sql: string) => `PRAGMA legacy_alter_table = ON; ${sql} PRAGMA legacy_alter_table = OFF;`;

describe('diffSchemas: names', () => {
  it('pairs tables and columns whose names differ only in case', () => {
    const base = schemaFromSql('CREATE TABLE Users (Id INTEGER, Email TEXT);');
    const head = schemaFromSql('CREATE TABLE users (id INTEGER, email TEXT);');
    expect(diffSchemas(base, head, [])).toEqual(emptyDelta());
  });

  it('follows a rename whose target is spelled in another case than the head table', () => {
    const delta = diffOf('CREATE TABLE tenants (id INTEGER);', 'ALTER TABLE tenants RENAME TO Orgs;', [table('tenants', 'orgs')]);
    expect(delta).toEqual({ ...emptyDelta(), tablesRenamed: [{ from: 'tenants', to: 'Orgs' }] });
  });

  it('pairs views named like one-letter strings without inventing a rename', () => {
    const sql = 'CREATE TABLE x (a); CREATE VIEW S AS SELECT a FROM x; CREATE VIEW t AS SELECT a FROM x;';
    expect(diffOf(sql, '')).toEqual(emptyDelta());
  });
});

describe('diffSchemas: order', () => {
  it('sorts renamed and changed tables by base name, whatever order SQLite keeps them in', () => {
    // SQLite lists these four as beta, zeta, alpha, mid.
    const delta = diffOf(
      'CREATE TABLE zeta (id INTEGER); CREATE TABLE alpha (id INTEGER); CREATE TABLE mid (id INTEGER); CREATE TABLE beta (id INTEGER);',
      `ALTER TABLE alpha RENAME TO zz; ALTER TABLE zeta RENAME TO aa; ALTER TABLE mid RENAME TO mm; ALTER TABLE beta RENAME TO bb;
       ALTER TABLE aa ADD COLUMN note TEXT; ALTER TABLE zz ADD COLUMN note TEXT;`,
      [table('alpha', 'zz'), table('zeta', 'aa'), table('mid', 'mm'), table('beta', 'bb')],
    );
    expect(delta.tablesRenamed).toEqual([
      { from: 'alpha', to: 'zz' },
      { from: 'beta', to: 'bb' },
      { from: 'mid', to: 'mm' },
      { from: 'zeta', to: 'aa' },
    ]);
    expect(delta.tablesChanged.map((t) => t.table)).toEqual(['aa', 'zz']);
  });

  it('sorts views added and dropped, and dropped columns', () => {
    // SQLite lists them as b, m, a, z.
    const views = (p: string) => ['z', 'a', 'm', 'b'].map((n) => `CREATE VIEW ${p}${n} AS SELECT id FROM t;`).join(' ');
    const delta = diffOf(
      `CREATE TABLE t (id INTEGER, z TEXT, a TEXT); ${views('v')}`,
      `DROP VIEW vz; DROP VIEW va; DROP VIEW vm; DROP VIEW vb; ${views('w')} ALTER TABLE t DROP COLUMN z; ALTER TABLE t DROP COLUMN a;`,
    );
    expect([delta.viewsAdded, delta.viewsDropped]).toEqual([
      ['wa', 'wb', 'wm', 'wz'],
      ['va', 'vb', 'vm', 'vz'],
    ]);
    expect(delta.tablesChanged[0].columnsDropped).toEqual(['a', 'z']);
  });

  it('sorts foreign keys added and dropped, whatever order the pragma lists them in', () => {
    const withKeys = `CREATE TABLE p (id INTEGER PRIMARY KEY);
      CREATE TABLE c1 (a INTEGER REFERENCES p(id), b INTEGER REFERENCES p(id));
      CREATE TABLE c2 (b INTEGER, a INTEGER, FOREIGN KEY (b) REFERENCES p(id), FOREIGN KEY (a) REFERENCES p(id));`;
    const without = 'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c1 (a INTEGER, b INTEGER); CREATE TABLE c2 (b INTEGER, a INTEGER);';
    const keys = ['(a) → p(id)', '(b) → p(id)'];
    const added = diffSchemas(schemaFromSql(without), schemaFromSql(withKeys), []);
    expect(added.tablesChanged.map((t) => t.foreignKeysAdded)).toEqual([keys, keys]);
    const dropped = diffSchemas(schemaFromSql(withKeys), schemaFromSql(without), []);
    expect(dropped.tablesChanged.map((t) => t.foreignKeysDropped)).toEqual([keys, keys]);
  });
});

describe('diffSchemas: foreign keys', () => {
  it('copes with a foreign key to a table that does not exist, changed table or not', () => {
    const sql = 'CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES ghost(id));';
    expect(diffOf(sql, '')).toEqual(emptyDelta());
    const delta = diffOf(sql, 'ALTER TABLE c ADD COLUMN note TEXT;');
    expect(delta.tablesChanged).toMatchObject([{ table: 'c', columnsAdded: ['note'], foreignKeysAdded: [], foreignKeysDropped: [] }]);
  });

  it('shows no FK churn when a child column is renamed', () => {
    const delta = diffOf(
      'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER REFERENCES p(id), note TEXT);',
      'ALTER TABLE c RENAME COLUMN p_id TO parent_id;',
      [column('c', 'p_id', 'parent_id')],
    );
    expect(delta.tablesChanged).toMatchObject([{ table: 'c', columnsRenamed: [{ from: 'p_id', to: 'parent_id' }], foreignKeysAdded: [], foreignKeysDropped: [] }]);
  });

  // The events move a parent (or its key column) that the PR dropped and re-created: the children's text still
  // names the old parent, so their keys no longer match. Each child must reach the full comparison.
  const churn = (delta: SchemaDelta) => delta.tablesChanged.map((t) => [t.table, t.foreignKeysDropped.length, t.foreignKeysAdded.length]);

  it('compares a child whose composite key names a parent column the events moved', () => {
    const delta = diffOf(
      `CREATE TABLE p (id INTEGER PRIMARY KEY, k INTEGER, UNIQUE (id, k)); CREATE TABLE q (id INTEGER PRIMARY KEY);
       CREATE TABLE c (x INTEGER, y INTEGER, FOREIGN KEY (x, y) REFERENCES p(id, k));
       CREATE TABLE c2 (a INTEGER REFERENCES q(id), b INTEGER REFERENCES p(id));`,
      'DROP TABLE p; CREATE TABLE p (pk INTEGER PRIMARY KEY, k INTEGER, UNIQUE (pk, k));',
      [column('p', 'id', 'pk')],
    );
    expect(churn(delta)).toEqual([
      ['c', 1, 1],
      ['c2', 1, 1],
      ['p', 0, 0],
    ]);
  });

  it('compares a child whose parent table and key column the events both moved', () => {
    const delta = diffOf(
      'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (x INTEGER REFERENCES p(id));',
      'DROP TABLE p; CREATE TABLE orgs (org_id INTEGER PRIMARY KEY);',
      [table('p', 'orgs'), column('orgs', 'id', 'org_id')],
    );
    expect(churn(delta)).toEqual([
      ['c', 1, 1],
      ['orgs', 0, 0],
    ]);
  });
});

describe('diffSchemas: views over renamed names', () => {
  it('maps a column rename into view text when other tables keep a column of that name', () => {
    const delta = diffOf(
      'CREATE TABLE a (id INTEGER, name TEXT); CREATE TABLE b (id INTEGER, name TEXT); CREATE VIEW v AS SELECT name FROM a;',
      'ALTER TABLE a RENAME COLUMN name TO title;',
      [column('a', 'name', 'title')],
    );
    expect(delta.viewsChanged).toEqual([]);
  });

  // With legacy_alter_table SQLite leaves the view's text alone: the same text now means another table or column.
  it('calls a view changed when a legacy rename left its text naming the old table', () => {
    for (const others of ['', 'CREATE TABLE w (id INTEGER);']) {
      const delta = diffOf(`CREATE TABLE t (id INTEGER); ${others} CREATE VIEW v AS SELECT id FROM t;`, legacy('ALTER TABLE t RENAME TO u;'), [
        table('t', 'u'),
      ]);
      expect(delta.viewsChanged).toEqual(['v']);
    }
  });

  // SQLite rewrites views on every RENAME COLUMN; a table re-created under the events' column name leaves them alone.
  it('calls a view changed when its text still names a column the events moved', () => {
    const delta = diffOf('CREATE TABLE t (id INTEGER, name TEXT); CREATE VIEW v AS SELECT name FROM t;', 'DROP TABLE t; CREATE TABLE t (id INTEGER, title TEXT);', [
      column('t', 'name', 'title'),
    ]);
    expect(delta.viewsChanged).toEqual(['v']);
  });
});

describe('diffSchemas: table-level changes', () => {
  it('puts a collation change on its own column when another column changed too', () => {
    const delta = diffOf('CREATE TABLE t (a INTEGER, b TEXT);', 'DROP TABLE t; CREATE TABLE t (a TEXT, b TEXT COLLATE NOCASE);');
    const changes = Object.fromEntries(delta.tablesChanged[0].columnsChanged.map((c) => [c.column, c.changes]));
    expect(changes.b).toEqual(['collation BINARY → NOCASE']);
    expect(changes.a.some((c) => c.startsWith('collation'))).toBe(false);
  });

  it('reports an ordinary table re-created as a virtual table, and back', () => {
    const ordinary = 'CREATE TABLE docs (body);';
    const virtual = 'CREATE VIRTUAL TABLE docs USING fts5(body);';
    const docs = (delta: SchemaDelta) => delta.tablesChanged.find((t) => t.table === 'docs')?.changes;
    expect(docs(diffOf(ordinary, `DROP TABLE docs; ${virtual}`))).toContain('ordinary table → virtual table');
    expect(docs(diffOf(virtual, `DROP TABLE docs; ${ordinary}`))).toContain('virtual table → ordinary table');
  });

  it('reports STRICT and WITHOUT ROWID removed', () => {
    const delta = diffOf('CREATE TABLE kv (k TEXT PRIMARY KEY NOT NULL, v TEXT) STRICT, WITHOUT ROWID;', 'DROP TABLE kv; CREATE TABLE kv (k TEXT PRIMARY KEY NOT NULL, v TEXT);');
    expect(delta.tablesChanged[0].changes).toEqual(['STRICT removed', 'WITHOUT ROWID removed']);
  });

  it('follows a column rename through a rebuild that restores the base definition', () => {
    const delta = diffOf(
      'CREATE TABLE "t" (a TEXT, b TEXT);',
      'ALTER TABLE t DROP COLUMN b; ALTER TABLE t RENAME COLUMN a TO b; CREATE TABLE "__new_t" (a TEXT, b TEXT); DROP TABLE t; ALTER TABLE "__new_t" RENAME TO "t";',
      [column('t', 'a', 'b'), table('__new_t', 't')],
    );
    expect(delta.tablesChanged).toMatchObject([{ table: 't', columnsRenamed: [{ from: 'a', to: 'b' }], columnsDropped: ['b'], columnsAdded: ['a'] }]);
  });
});
