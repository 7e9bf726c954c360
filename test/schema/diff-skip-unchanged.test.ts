// diffSchemas skips tables whose definition is unchanged and that no rename touches: that must never change a delta.
// Every case is diffed with the skip on and off, with head tables as separate objects and as objects shared with base
// (what a re-review from a kept database gives).
import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/schema/diff.js';
import type { Schema } from '../../src/schema/model.js';
import type { RenameEvent } from '../../src/replay/types.js';
import { schemaFromSql } from '../helpers/schema-from-sql.js';

const table = (from: string, to: string): RenameEvent => ({ kind: 'table', file: 'm.sql', line: 1, from, to });
const column = (t: string, from: string, to: string): RenameEvent => ({ kind: 'column', file: 'm.sql', line: 1, table: t, from, to });

const BASE = `
  CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, plan TEXT DEFAULT 'free' COLLATE NOCASE, UNIQUE (name));
  CREATE TABLE users (id INTEGER PRIMARY KEY, tenant_id INTEGER REFERENCES tenants(id) ON DELETE CASCADE, Email TEXT CHECK (Email <> ''));
  CREATE INDEX users_email ON users (Email) WHERE Email IS NOT NULL;
  CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), body TEXT);
  CREATE TABLE untouched (id INTEGER PRIMARY KEY, note TEXT);
  CREATE VIEW user_emails AS SELECT id, Email FROM users;
  CREATE TRIGGER posts_touch AFTER INSERT ON posts BEGIN UPDATE users SET Email = Email WHERE id = new.user_id; END;
`;

/** Migration, and the rename events it runs (as the replay would report them). */
const CASES: [string, string, RenameEvent[]][] = [
  ['nothing', '', []],
  ['a new table', 'CREATE TABLE extra (x);', []],
  ['a table renamed (children and views rewritten)', 'ALTER TABLE tenants RENAME TO orgs;', [table('tenants', 'orgs')]],
  ['a parent column renamed', 'ALTER TABLE users RENAME COLUMN id TO user_id;', [column('users', 'id', 'user_id')]],
  ['a column renamed in case only', 'ALTER TABLE users RENAME COLUMN Email TO email;', [column('users', 'Email', 'email')]],
  [
    'a table renamed in case only (through another name: SQLite refuses it directly)',
    'ALTER TABLE untouched RENAME TO tmp; ALTER TABLE tmp RENAME TO Untouched;',
    [table('untouched', 'tmp'), table('tmp', 'Untouched')],
  ],
  // SQLite leaves the children's text alone here: only the rename events say the parent moved.
  [
    'a parent renamed with legacy_alter_table',
    'PRAGMA legacy_alter_table = ON; ALTER TABLE tenants RENAME TO orgs; PRAGMA legacy_alter_table = OFF;',
    [table('tenants', 'orgs')],
  ],
  [
    'a parent column renamed with legacy_alter_table',
    'PRAGMA legacy_alter_table = ON; ALTER TABLE tenants RENAME COLUMN id TO tenant_pk; PRAGMA legacy_alter_table = OFF;',
    [column('tenants', 'id', 'tenant_pk')],
  ],
  // Events that ran in a history the schemas don't show (a rename and its way back).
  ['a rename there and back', 'ALTER TABLE posts RENAME TO p2; ALTER TABLE p2 RENAME TO posts;', [table('posts', 'p2'), table('p2', 'posts')]],
  ['an event for an unchanged table', '', [column('untouched', 'note', 'remark')]],
  ['a rebuild under the same name', 'CREATE TABLE __new_posts (id INTEGER PRIMARY KEY, user_id INTEGER, body TEXT NOT NULL); DROP TABLE posts; ALTER TABLE __new_posts RENAME TO posts;', [table('__new_posts', 'posts')]],
  ['an index and a view changed', 'DROP INDEX users_email; CREATE INDEX users_email ON users (Email); DROP VIEW user_emails; CREATE VIEW user_emails AS SELECT Email FROM users;', []],
];

/** Head with every table deep-equal to base's replaced by base's own object. */
function sharing(base: Schema, head: Schema): Schema {
  const tables = Object.fromEntries(
    Object.entries(head.tables).map(([name, t]) => [name, JSON.stringify(base.tables[name]) === JSON.stringify(t) ? base.tables[name] : t]),
  );
  return { ...head, tables };
}

describe('diffSchemas skipping unchanged tables', () => {
  for (const [name, migration, events] of CASES) {
    it(`gives the same delta as comparing everything: ${name}`, () => {
      const base = schemaFromSql(BASE);
      const head = schemaFromSql(`${BASE}\n${migration}`);
      const full = diffSchemas(base, head, events, { skipUnchanged: false });
      expect(diffSchemas(base, head, events)).toEqual(full);
      expect(diffSchemas(base, sharing(base, head), events)).toEqual(full);
    });
  }

  it('still compares a child whose text is unchanged when the events move its parent', () => {
    // SQLite rewrites a child's REFERENCES on every rename; events that disagree with the text (a parent dropped and
    // another table created, reported as a rename) must still reach the full comparison.
    const base = schemaFromSql(BASE);
    const head = schemaFromSql(`${BASE}\nDROP TABLE tenants; CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, plan TEXT DEFAULT 'free' COLLATE NOCASE, UNIQUE (name));`);
    const events = [table('tenants', 'orgs')];
    const delta = diffSchemas(base, sharing(base, head), events);
    expect(delta).toEqual(diffSchemas(base, head, events, { skipUnchanged: false }));
    expect(delta.tablesChanged.map((t) => [t.table, t.foreignKeysAdded, t.foreignKeysDropped])).toEqual([
      ['users', ['(tenant_id) → tenants(id) ON DELETE CASCADE'], ['(tenant_id) → tenants(id) ON DELETE CASCADE']],
    ]);
  });
});
