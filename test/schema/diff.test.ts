import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/schema/diff.js';
import { emptyDelta, type SchemaDelta, type TableDelta } from '../../src/schema/delta.js';
import { emptySchema } from '../../src/schema/model.js';
import type { RenameEvent } from '../../src/replay/types.js';
import { schemaFromSql } from '../helpers/schema-from-sql.js';

/** Base = `baseSql`; head = the same database after running `migration` on it, as a real replay would. */
function diffOf(baseSql: string, migration: string, events: RenameEvent[] = []): SchemaDelta {
  return diffSchemas(schemaFromSql(baseSql), schemaFromSql(`${baseSql}\n${migration}`), events);
}
const renameTable = (from: string, to: string): RenameEvent => ({ kind: 'table', file: 'm.sql', line: 1, from, to });
const renameColumn = (table: string, from: string, to: string): RenameEvent => ({
  kind: 'column',
  file: 'm.sql',
  line: 1,
  table,
  from,
  to,
});
const tableDelta = (table: string, over: Partial<TableDelta>): TableDelta => ({
  table,
  columnsAdded: [],
  columnsDropped: [],
  columnsRenamed: [],
  columnsChanged: [],
  indexesAdded: [],
  indexesDropped: [],
  foreignKeysAdded: [],
  foreignKeysDropped: [],
  changes: [],
  ...over,
});

const TENANTS = `CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, plan TEXT DEFAULT 'free');`;

describe('diffSchemas: tables', () => {
  it('gives an empty delta for identical and for empty schemas', () => {
    expect(diffOf(TENANTS, '')).toEqual(emptyDelta());
    expect(diffSchemas(emptySchema(), emptySchema(), [])).toEqual(emptyDelta());
  });

  it('lists every table of a schema built from nothing as added, sorted', () => {
    const head = schemaFromSql(`CREATE TABLE zebra (id INTEGER); CREATE TABLE apple (id INTEGER); ${TENANTS}`);
    const delta = diffSchemas(emptySchema(), head, []);
    expect(delta.tablesAdded).toEqual(['apple', 'tenants', 'zebra']);
    expect(diffSchemas(head, emptySchema(), []).tablesDropped).toEqual(['apple', 'tenants', 'zebra']);
  });

  it('reports added and dropped tables', () => {
    const delta = diffOf(`${TENANTS} CREATE TABLE old_logs (id INTEGER);`, `DROP TABLE old_logs; CREATE TABLE posts (id INTEGER);`);
    expect(delta).toEqual({ ...emptyDelta(), tablesAdded: ['posts'], tablesDropped: ['old_logs'] });
  });

  it('reports a renamed table only in tablesRenamed, with no index or FK churn', () => {
    const baseSql = `${TENANTS}
      CREATE INDEX tenants_name ON tenants(name);
      CREATE TABLE posts (id INTEGER PRIMARY KEY, tenant_id INTEGER REFERENCES tenants(id) ON DELETE CASCADE);`;
    const delta = diffOf(baseSql, `ALTER TABLE tenants RENAME TO orgs;`, [renameTable('tenants', 'orgs')]);
    expect(delta).toEqual({ ...emptyDelta(), tablesRenamed: [{ from: 'tenants', to: 'orgs' }] });
  });

  it('without the rename event, the same SQL is a drop plus an add (renames are never guessed)', () => {
    const delta = diffOf(TENANTS, `ALTER TABLE tenants RENAME TO orgs;`);
    expect(delta.tablesAdded).toEqual(['orgs']);
    expect(delta.tablesDropped).toEqual(['tenants']);
    expect(delta.tablesRenamed).toEqual([]);
  });

  it('composes a rename chain and reports a rename back as nothing', () => {
    const chain = diffOf(TENANTS, `ALTER TABLE tenants RENAME TO t2; ALTER TABLE t2 RENAME TO orgs;`, [
      renameTable('tenants', 't2'),
      renameTable('t2', 'orgs'),
    ]);
    expect(chain.tablesRenamed).toEqual([{ from: 'tenants', to: 'orgs' }]);
    const back = diffOf(TENANTS, `ALTER TABLE tenants RENAME TO t2; ALTER TABLE t2 RENAME TO tenants;`, [
      renameTable('tenants', 't2'),
      renameTable('t2', 'tenants'),
    ]);
    expect(back).toEqual(emptyDelta());
  });

  it('reports a renamed table with a renamed column in both tablesRenamed and tablesChanged', () => {
    const delta = diffOf(TENANTS, `ALTER TABLE tenants RENAME TO orgs; ALTER TABLE orgs RENAME COLUMN name TO title;`, [
      renameTable('tenants', 'orgs'),
      renameColumn('orgs', 'name', 'title'),
    ]);
    expect(delta.tablesRenamed).toEqual([{ from: 'tenants', to: 'orgs' }]);
    expect(delta.tablesChanged).toEqual([tableDelta('orgs', { columnsRenamed: [{ from: 'name', to: 'title' }] })]);
  });

  it("treats Drizzle's rebuild idiom as a change of the table, not a drop, add or rename", () => {
    const baseSql = `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, age TEXT);
      CREATE UNIQUE INDEX users_email ON users(email);`;
    const rebuild = `PRAGMA foreign_keys=OFF;
      CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, age INTEGER);
      INSERT INTO __new_users(id, email, age) SELECT id, email, age FROM users;
      DROP TABLE users;
      ALTER TABLE __new_users RENAME TO users;
      CREATE UNIQUE INDEX users_email ON users(email);
      PRAGMA foreign_keys=ON;`;
    const delta = diffOf(baseSql, rebuild, [renameTable('__new_users', 'users')]);
    expect(delta.tablesAdded).toEqual([]);
    expect(delta.tablesDropped).toEqual([]);
    expect(delta.tablesRenamed).toEqual([]);
    expect(delta.tablesChanged).toEqual([
      tableDelta('users', {
        columnsChanged: [
          { column: 'age', changes: ['type TEXT → INTEGER'] },
          { column: 'email', changes: ['NOT NULL added'] },
        ],
      }),
    ]);
  });

  it('treats the older "rename to _old, recreate, drop _old" rebuild as a change of the table', () => {
    const delta = diffOf(
      TENANTS,
      `ALTER TABLE tenants RENAME TO tenants_old;
       CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, plan TEXT DEFAULT 'pro');
       INSERT INTO tenants SELECT * FROM tenants_old; DROP TABLE tenants_old;`,
      [renameTable('tenants', 'tenants_old')],
    );
    expect(delta.tablesChanged).toEqual([tableDelta('tenants', { columnsChanged: [{ column: 'plan', changes: ["default 'free' → 'pro'"] }] })]);
    expect([...delta.tablesAdded, ...delta.tablesDropped, ...delta.tablesRenamed]).toEqual([]);
  });

  it('reports a table renamed away and a new one created under the old name as a rename plus an add', () => {
    const delta = diffOf(TENANTS, `ALTER TABLE tenants RENAME TO legacy_tenants; CREATE TABLE tenants (id INTEGER);`, [
      renameTable('tenants', 'legacy_tenants'),
    ]);
    expect(delta.tablesRenamed).toEqual([{ from: 'tenants', to: 'legacy_tenants' }]);
    expect(delta.tablesAdded).toEqual(['tenants']);
    expect(delta.tablesDropped).toEqual([]);
  });

  it('reports STRICT and WITHOUT ROWID changes as table-level changes', () => {
    const delta = diffOf(
      `CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT);`,
      `DROP TABLE kv; CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) STRICT, WITHOUT ROWID;`,
    );
    expect(delta.tablesChanged).toEqual([
      tableDelta('kv', {
        changes: ['STRICT added', 'WITHOUT ROWID added'],
        columnsChanged: [{ column: 'k', changes: ['NOT NULL added'] }],
      }),
    ]);
  });
});

describe('diffSchemas: constraints the pragmas do not report', () => {
  const rebuild = (columns: string) =>
    `CREATE TABLE __new_t (${columns}); DROP TABLE t; ALTER TABLE __new_t RENAME TO t;`;
  const baseSql = `CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, plan TEXT CHECK (plan IN ('free', 'pro')), name TEXT);`;

  it('reports UNIQUE constraints added or removed, column-level and table-level alike', () => {
    const added = diffOf(baseSql, rebuild(`id INTEGER PRIMARY KEY, email TEXT UNIQUE, plan TEXT CHECK (plan IN ('free', 'pro')), name TEXT, UNIQUE (name, plan)`));
    expect(added.tablesChanged).toEqual([tableDelta('t', { changes: ['UNIQUE (email) added', 'UNIQUE (name, plan) added'] })]);
    const same = diffOf(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT UNIQUE);`,
      `DROP TABLE t; CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, CONSTRAINT t_email UNIQUE ("email"));`,
    );
    expect(same).toEqual(emptyDelta());
  });

  it('reports CHECK constraints added, removed or changed, and keeps them through a column rename', () => {
    const changed = diffOf(baseSql, rebuild(`id INTEGER PRIMARY KEY, email TEXT CHECK (email LIKE '%@%'), plan TEXT CHECK (plan IN ('free', 'pro', 'team')), name TEXT`));
    expect(changed.tablesChanged[0].changes).toEqual([
      "CHECK (plan IN ('free', 'pro')) removed",
      "CHECK (email LIKE '%@%') added",
      "CHECK (plan IN ('free', 'pro', 'team')) added",
    ]);
    const renamed = diffOf(baseSql, `ALTER TABLE t RENAME COLUMN plan TO tier;`, [renameColumn('t', 'plan', 'tier')]);
    expect(renamed.tablesChanged).toEqual([tableDelta('t', { columnsRenamed: [{ from: 'plan', to: 'tier' }] })]);
  });

  it('reports a column collation change, next to its other changes', () => {
    const delta = diffOf(baseSql, rebuild(`id INTEGER PRIMARY KEY, email TEXT NOT NULL COLLATE NOCASE, plan TEXT CHECK (plan IN ('free', 'pro')), name TEXT`));
    expect(delta.tablesChanged[0].columnsChanged).toEqual([{ column: 'email', changes: ['NOT NULL added', 'collation BINARY → NOCASE'] }]);
  });

  it('does not mistake a column named "unique" or a DEFAULT expression for a constraint', () => {
    const delta = diffOf(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, plan TEXT CHECK (plan IN ('free', 'pro')), name TEXT);`,
      `ALTER TABLE t ADD COLUMN "unique" TEXT DEFAULT ('check');`,
    );
    expect(delta.tablesChanged).toEqual([tableDelta('t', { columnsAdded: ['unique'] })]);
  });
});

describe('diffSchemas: ordering', () => {
  it('sorts renamed tables, changed tables, renamed and changed columns by name', () => {
    const delta = diffOf(
      `CREATE TABLE b (z TEXT, y TEXT, x TEXT); CREATE TABLE a (z TEXT, y TEXT); CREATE TABLE d (id INTEGER); CREATE TABLE c (id INTEGER);`,
      `ALTER TABLE d RENAME TO d2; ALTER TABLE c RENAME TO c2;
       ALTER TABLE b RENAME COLUMN z TO z2; ALTER TABLE b RENAME COLUMN y TO a2;
       ALTER TABLE a ADD COLUMN w TEXT;`,
      [renameTable('d', 'd2'), renameTable('c', 'c2'), renameColumn('b', 'z', 'z2'), renameColumn('b', 'y', 'a2')],
    );
    expect(delta.tablesRenamed).toEqual([{ from: 'c', to: 'c2' }, { from: 'd', to: 'd2' }]);
    expect(delta.tablesChanged.map((t) => t.table)).toEqual(['a', 'b']);
    expect(delta.tablesChanged[1].columnsRenamed).toEqual([{ from: 'y', to: 'a2' }, { from: 'z', to: 'z2' }]);
  });
});

describe('diffSchemas: columns', () => {
  const change = (migration: string, events: RenameEvent[] = []) => diffOf(TENANTS, migration, events).tablesChanged;
  const rebuildTenants = (columns: string) =>
    `CREATE TABLE __new_tenants (${columns}); DROP TABLE tenants; ALTER TABLE __new_tenants RENAME TO tenants;`;

  it('reports added and dropped columns, sorted', () => {
    expect(change(`ALTER TABLE tenants ADD COLUMN slug TEXT; ALTER TABLE tenants ADD COLUMN created_at INTEGER; ALTER TABLE tenants DROP COLUMN plan;`)).toEqual([
      tableDelta('tenants', { columnsAdded: ['created_at', 'slug'], columnsDropped: ['plan'] }),
    ]);
  });

  it('reports a renamed column only when the migration renamed it', () => {
    expect(change(`ALTER TABLE tenants RENAME COLUMN name TO title;`, [renameColumn('tenants', 'name', 'title')])).toEqual([
      tableDelta('tenants', { columnsRenamed: [{ from: 'name', to: 'title' }] }),
    ]);
    expect(change(`ALTER TABLE tenants RENAME COLUMN name TO title;`)).toEqual([
      tableDelta('tenants', { columnsAdded: ['title'], columnsDropped: ['name'] }),
    ]);
  });

  it('spells type, NOT NULL, default and primary-key changes', () => {
    const delta = change(rebuildTenants(`id INTEGER, name TEXT, plan TEXT DEFAULT 'pro', seats INTEGER NOT NULL DEFAULT 1`));
    expect(delta).toEqual([
      tableDelta('tenants', {
        columnsAdded: ['seats'],
        columnsChanged: [
          { column: 'id', changes: ['primary key removed'] },
          { column: 'name', changes: ['NOT NULL removed'] },
          { column: 'plan', changes: ["default 'free' → 'pro'"] },
        ],
      }),
    ]);
  });

  it('spells default added and removed, type and primary key added', () => {
    const baseSql = `CREATE TABLE t (a TEXT, b INTEGER DEFAULT 0, c);`;
    const delta = diffOf(baseSql, `DROP TABLE t; CREATE TABLE t (a TEXT PRIMARY KEY DEFAULT 'x', b INTEGER, c BLOB);`);
    expect(delta.tablesChanged[0].columnsChanged).toEqual([
      { column: 'a', changes: ["default added: 'x'", 'primary key added'] },
      { column: 'b', changes: ['default removed'] },
      { column: 'c', changes: ['type (none) → BLOB'] },
    ]);
  });

  it('does not report (0) versus 0, DEFAULT NULL versus none, or a type spelled in another case as a change', () => {
    const delta = diffOf(
      `CREATE TABLE t (n integer DEFAULT (0), v varchar( 10 ), w TEXT DEFAULT NULL);`,
      `DROP TABLE t; CREATE TABLE t (n INTEGER DEFAULT 0, v VARCHAR(10), w TEXT);`,
    );
    expect(delta).toEqual(emptyDelta());
  });

  it('reports generated columns changing kind', () => {
    const delta = diffOf(
      `CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL, c INTEGER);`,
      `DROP TABLE t; CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) STORED, c INTEGER GENERATED ALWAYS AS (a + 1));`,
    );
    expect(delta.tablesChanged[0].columnsChanged).toEqual([
      { column: 'b', changes: ['generated virtual → stored'] },
      { column: 'c', changes: ['generated (virtual) added'] },
    ]);
  });
});

describe('diffSchemas: indexes', () => {
  const baseSql = `${TENANTS}
    CREATE INDEX tenants_name ON tenants(name);
    CREATE INDEX tenants_lower_name ON tenants(lower(name));
    CREATE INDEX tenants_paid ON tenants(plan) WHERE plan <> 'free';`;

  it('reports added and dropped indexes, sorted', () => {
    const delta = diffOf(baseSql, `DROP INDEX tenants_name; CREATE INDEX z_idx ON tenants(plan); CREATE UNIQUE INDEX a_idx ON tenants(name);`);
    expect(delta.tablesChanged).toEqual([tableDelta('tenants', { indexesAdded: ['a_idx', 'z_idx'], indexesDropped: ['tenants_name'] })]);
  });

  it('reports an index whose definition changed under the same name as dropped and added', () => {
    const delta = diffOf(baseSql, `DROP INDEX tenants_paid; CREATE INDEX tenants_paid ON tenants(plan) WHERE plan <> 'trial';`);
    expect(delta.tablesChanged).toEqual([tableDelta('tenants', { indexesAdded: ['tenants_paid'], indexesDropped: ['tenants_paid'] })]);
    const unique = diffOf(baseSql, `DROP INDEX tenants_name; CREATE UNIQUE INDEX tenants_name ON tenants(name);`);
    expect(unique.tablesChanged[0].indexesAdded).toEqual(['tenants_name']);
  });

  it('compares expression indexes by their expression', () => {
    const delta = diffOf(baseSql, `DROP INDEX tenants_lower_name; CREATE INDEX tenants_lower_name ON tenants(upper(name));`);
    expect(delta.tablesChanged[0].indexesDropped).toEqual(['tenants_lower_name']);
    const same = diffOf(baseSql, `DROP INDEX tenants_lower_name; CREATE INDEX tenants_lower_name ON "tenants" ( LOWER( "name" ) );`);
    expect(same).toEqual(emptyDelta());
  });

  it('shows no index churn when the table and a column in its indexes are renamed', () => {
    const delta = diffOf(baseSql, `ALTER TABLE tenants RENAME TO orgs; ALTER TABLE orgs RENAME COLUMN name TO title;`, [
      renameTable('tenants', 'orgs'),
      renameColumn('orgs', 'name', 'title'),
    ]);
    expect(delta.tablesChanged).toEqual([tableDelta('orgs', { columnsRenamed: [{ from: 'name', to: 'title' }] })]);
  });

  it('shows no churn for an index recreated under a new name along with its renamed table', () => {
    const delta = diffOf(baseSql, `ALTER TABLE tenants RENAME TO orgs; DROP INDEX tenants_name; CREATE INDEX orgs_name ON orgs(name);`, [
      renameTable('tenants', 'orgs'),
    ]);
    expect(delta).toEqual({ ...emptyDelta(), tablesRenamed: [{ from: 'tenants', to: 'orgs' }] });
  });

  it('shows no churn for indexes recreated identically by a rebuild', () => {
    const delta = diffOf(
      baseSql,
      `CREATE TABLE __new_tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, plan TEXT DEFAULT 'free');
       INSERT INTO __new_tenants SELECT * FROM tenants; DROP TABLE tenants; ALTER TABLE __new_tenants RENAME TO tenants;
       CREATE INDEX tenants_name ON tenants(name); CREATE INDEX tenants_lower_name ON tenants(lower(name));
       CREATE INDEX tenants_paid ON tenants(plan) WHERE plan <> 'free';`,
      [renameTable('__new_tenants', 'tenants')],
    );
    expect(delta).toEqual(emptyDelta());
  });
});

describe('diffSchemas: foreign keys', () => {
  const baseSql = `${TENANTS} CREATE TABLE posts (id INTEGER PRIMARY KEY, tenant_id INTEGER, author_id INTEGER REFERENCES tenants ON UPDATE NO ACTION);`;
  const rebuildPosts = (columns: string) =>
    `CREATE TABLE __new_posts (${columns}); INSERT INTO __new_posts SELECT * FROM posts; DROP TABLE posts; ALTER TABLE __new_posts RENAME TO posts;`;

  it('reports added and dropped FKs in the delta spelling, without NO ACTION', () => {
    const delta = diffOf(
      baseSql,
      rebuildPosts(`id INTEGER PRIMARY KEY, tenant_id INTEGER REFERENCES tenants(id) ON DELETE CASCADE, author_id INTEGER`),
      [renameTable('__new_posts', 'posts')],
    );
    expect(delta.tablesChanged).toEqual([
      tableDelta('posts', {
        foreignKeysAdded: ['(tenant_id) → tenants(id) ON DELETE CASCADE'],
        foreignKeysDropped: ['(author_id) → tenants'],
      }),
    ]);
  });

  it('reports a changed ON DELETE as dropped plus added', () => {
    const withFk = `${TENANTS} CREATE TABLE posts (id INTEGER PRIMARY KEY, tenant_id INTEGER REFERENCES tenants(id) ON DELETE CASCADE);`;
    const delta = diffOf(
      withFk,
      rebuildPosts(`id INTEGER PRIMARY KEY, tenant_id INTEGER REFERENCES tenants(id) ON DELETE SET NULL ON UPDATE CASCADE`),
    );
    expect(delta.tablesChanged[0].foreignKeysAdded).toEqual(['(tenant_id) → tenants(id) ON DELETE SET NULL ON UPDATE CASCADE']);
    expect(delta.tablesChanged[0].foreignKeysDropped).toEqual(['(tenant_id) → tenants(id) ON DELETE CASCADE']);
  });

  it('compares FKs to a renamed parent (and renamed parent column) as equal', () => {
    const withFk = `${TENANTS} CREATE TABLE posts (id INTEGER PRIMARY KEY, tenant_id INTEGER REFERENCES tenants(id) ON DELETE CASCADE);`;
    const delta = diffOf(withFk, `ALTER TABLE tenants RENAME TO orgs; ALTER TABLE orgs RENAME COLUMN id TO org_id;`, [
      renameTable('tenants', 'orgs'),
      renameColumn('orgs', 'id', 'org_id'),
    ]);
    expect(delta).toEqual({
      ...emptyDelta(),
      tablesRenamed: [{ from: 'tenants', to: 'orgs' }],
      tablesChanged: [tableDelta('orgs', { columnsRenamed: [{ from: 'id', to: 'org_id' }] })],
    });
  });
});

describe('diffSchemas: views and triggers', () => {
  const baseSql = `${TENANTS}
    CREATE VIEW paying AS SELECT id, name FROM tenants WHERE plan <> 'free';
    CREATE VIEW old_view AS SELECT 1;
    CREATE TRIGGER tenants_touch AFTER UPDATE ON tenants BEGIN UPDATE tenants SET plan = plan WHERE id = NEW.id; END;
    CREATE TRIGGER old_trigger AFTER INSERT ON tenants BEGIN SELECT 1; END;`;

  it('reports views and triggers added, dropped and changed', () => {
    const delta = diffOf(
      baseSql,
      `DROP VIEW old_view; CREATE VIEW b_view AS SELECT 2; CREATE VIEW a_view AS SELECT 3;
       DROP VIEW paying; CREATE VIEW paying AS SELECT id FROM tenants;
       DROP TRIGGER old_trigger; CREATE TRIGGER new_trigger AFTER DELETE ON tenants BEGIN SELECT 1; END;
       DROP TRIGGER tenants_touch; CREATE TRIGGER tenants_touch AFTER UPDATE ON tenants BEGIN SELECT 2; END;`,
    );
    expect(delta).toEqual({
      ...emptyDelta(),
      viewsAdded: ['a_view', 'b_view'],
      viewsDropped: ['old_view'],
      viewsChanged: ['paying'],
      triggersAdded: ['new_trigger'],
      triggersDropped: ['old_trigger'],
      triggersChanged: ['tenants_touch'],
    });
  });

  it('does not call a view changed when only whitespace, case or quoting differ', () => {
    const delta = diffOf(baseSql, `DROP VIEW paying; CREATE VIEW "paying" AS select  "id", NAME from TENANTS where plan <> 'free';`);
    expect(delta).toEqual(emptyDelta());
  });

  it('does not call views and triggers changed when SQLite only rewrote them for a rename', () => {
    const delta = diffOf(baseSql, `ALTER TABLE tenants RENAME TO orgs; ALTER TABLE orgs RENAME COLUMN plan TO tier;`, [
      renameTable('tenants', 'orgs'),
      renameColumn('orgs', 'plan', 'tier'),
    ]);
    expect(delta.viewsChanged).toEqual([]);
    expect(delta.triggersChanged).toEqual([]);
    expect(delta.tablesRenamed).toEqual([{ from: 'tenants', to: 'orgs' }]);
  });

  it('notices a changed string literal in a view', () => {
    const delta = diffOf(baseSql, `DROP VIEW paying; CREATE VIEW paying AS SELECT id, name FROM tenants WHERE plan <> 'FREE';`);
    expect(delta.viewsChanged).toEqual(['paying']);
  });
});

// Mutation survivors (issue 11): each case fails when its branch of diff.ts is removed or weakened.
describe('diffSchemas: cases that pin single branches', () => {
  it('does not pair a dropped table with the rename that took its name (the target is claimed)', () => {
    const delta = diffOf(
      'CREATE TABLE archive (id INTEGER PRIMARY KEY, note TEXT); CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER);',
      'DROP TABLE archive; ALTER TABLE orders RENAME TO archive;',
      [renameTable('orders', 'archive')],
    );
    expect(delta).toMatchObject({ tablesDropped: ['archive'], tablesRenamed: [{ from: 'orders', to: 'archive' }], tablesAdded: [], tablesChanged: [] });
    // The same with the renamed table first in the schema's order.
    const reversed = diffOf(
      'CREATE TABLE audit (id INTEGER PRIMARY KEY, total INTEGER); CREATE TABLE zlog (id INTEGER PRIMARY KEY, note TEXT);',
      'DROP TABLE zlog; ALTER TABLE audit RENAME TO zlog;',
      [renameTable('audit', 'zlog')],
    );
    expect(reversed).toMatchObject({ tablesDropped: ['zlog'], tablesRenamed: [{ from: 'audit', to: 'zlog' }], tablesAdded: [], tablesChanged: [] });
  });

  it('does not call a collation spelled in another case a change', () => {
    const delta = diffOf(
      'CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT COLLATE nocase);',
      'CREATE TABLE __new_t (id INTEGER PRIMARY KEY, email TEXT COLLATE NOCASE); DROP TABLE t; ALTER TABLE __new_t RENAME TO t;',
    );
    expect(delta.tablesChanged).toEqual([]);
  });

  it('maps view text through a column rename only when every table renames that column alike', () => {
    const baseSql = `CREATE TABLE t1 (id INTEGER PRIMARY KEY, a TEXT); CREATE TABLE t2 (id INTEGER PRIMARY KEY, a TEXT);
      CREATE VIEW v1 AS SELECT a FROM t1; CREATE VIEW v2 AS SELECT a FROM t2;`;
    // t1.a → b and t2.a → c: an `a` in a view's text can't be mapped without knowing its table, so it isn't.
    const ambiguous = diffOf(baseSql, 'ALTER TABLE t1 RENAME COLUMN a TO b; ALTER TABLE t2 RENAME COLUMN a TO c;', [
      renameColumn('t1', 'a', 'b'),
      renameColumn('t2', 'a', 'c'),
    ]);
    expect(ambiguous.viewsChanged).toEqual(['v1', 'v2']);
    const agreed = diffOf(baseSql, 'ALTER TABLE t1 RENAME COLUMN a TO b; ALTER TABLE t2 RENAME COLUMN a TO b;', [
      renameColumn('t1', 'a', 'b'),
      renameColumn('t2', 'a', 'b'),
    ]);
    expect(agreed.viewsChanged).toEqual([]);
  });

  it('counts duplicate indexes: dropping one of two identical indexes is a drop', () => {
    const baseSql = 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE INDEX t_a1 ON t(a); CREATE INDEX t_a2 ON t(a);';
    expect(diffOf(baseSql, 'DROP INDEX t_a2;').tablesChanged).toEqual([tableDelta('t', { indexesDropped: ['t_a2'] })]);
    // Which of two identical indexes is called the added one is arbitrary (they mean the same); that one was added is not.
    const added = diffOf('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE INDEX t_a1 ON t(a);', 'CREATE INDEX t_a2 ON t(a);').tablesChanged;
    expect(added.map((t) => [t.table, t.indexesAdded.length, t.indexesDropped.length])).toEqual([['t', 1, 0]]);
  });
});
