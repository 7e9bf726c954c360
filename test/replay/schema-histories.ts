// Histories that change tables in every way SQLite allows, for the incremental-extraction and cached-replay tests.

/** Each history is a list of steps; each step is run with exec (failures are part of the story). */
export const HISTORIES: Record<string, string[]> = {
  columns: [
    `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, plan TEXT DEFAULT 'free' COLLATE NOCASE);`,
    `CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE CASCADE, title TEXT);`,
    `ALTER TABLE users ADD COLUMN name TEXT;`,
    `ALTER TABLE users RENAME COLUMN email TO mail;`, // rewrites posts? no: posts names users(id) only
    `ALTER TABLE users RENAME COLUMN id TO user_pk;`, // rewrites posts' REFERENCES text
    `ALTER TABLE posts DROP COLUMN title;`,
    `ALTER TABLE users ADD COLUMN total INTEGER GENERATED ALWAYS AS (user_pk * 2) VIRTUAL;`,
  ],
  tables: [
    `CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);`,
    `CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));`,
    `CREATE VIEW av AS SELECT id, v FROM a;`,
    `CREATE TRIGGER a_t AFTER INSERT ON a BEGIN INSERT INTO b (a_id) VALUES (new.id); END;`,
    `ALTER TABLE a RENAME TO a2;`, // rewrites b, the view and the trigger
    `ALTER TABLE a2 RENAME TO A;`, // back, in another case
    `DROP TABLE b;`,
    `CREATE TABLE b (id INTEGER PRIMARY KEY, other TEXT) STRICT;`, // same name, new definition
    `DROP VIEW av;`,
    `CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;`,
  ],
  indexes: [
    `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER);`,
    `CREATE INDEX t_a ON t (a);`,
    `CREATE UNIQUE INDEX t_ab ON t (a, b DESC) WHERE c > 0;`,
    `CREATE INDEX t_expr ON t (lower(a), c + 1);`,
    `DROP INDEX t_a;`,
    `CREATE INDEX t_a ON t (a COLLATE NOCASE);`, // same name, new definition
    `ALTER TABLE t RENAME COLUMN a TO aa;`, // rewrites every index on t
    `CREATE TABLE u (id INTEGER PRIMARY KEY);`,
    `CREATE INDEX t_c ON t (c);`, // only t changes, u does not
  ],
  drizzleRebuild: [
    `CREATE TABLE parent (id INTEGER PRIMARY KEY);`,
    `CREATE TABLE x (id INTEGER PRIMARY KEY, p INTEGER, name TEXT);`,
    `CREATE INDEX x_name ON x (name);`,
    `PRAGMA foreign_keys = OFF; CREATE TABLE __new_x (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id), name TEXT NOT NULL);
     INSERT INTO __new_x SELECT * FROM x; DROP TABLE x; ALTER TABLE __new_x RENAME TO x; CREATE INDEX x_name ON x (name);
     PRAGMA foreign_keys = ON;`,
    `ALTER TABLE x RENAME TO x_old; CREATE TABLE x (id INTEGER PRIMARY KEY, p INTEGER); INSERT INTO x SELECT id, p FROM x_old; DROP TABLE x_old;`,
  ],
  hostileNames: [
    `CREATE TABLE "__proto__" (x);`,
    `CREATE TABLE "constructor" (y);`,
    `CREATE TABLE "has ""quotes""" (z);`,
    `CREATE TABLE "toString" (w);`,
    `ALTER TABLE "__proto__" ADD COLUMN more TEXT;`,
    `ALTER TABLE "constructor" ADD COLUMN more TEXT;`,
    `CREATE INDEX "__proto__ix" ON "constructor" (y);`,
  ],
  virtual: [
    `CREATE VIRTUAL TABLE docs USING fts5(title, body);`, // and its shadow tables
    `CREATE TABLE plain (id INTEGER PRIMARY KEY);`,
    `DROP TABLE docs;`,
    `CREATE VIRTUAL TABLE docs USING fts5(title);`,
  ],
  legacyAlter: [
    `CREATE TABLE p (id INTEGER PRIMARY KEY);`,
    `CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id));`,
    `CREATE VIEW cv AS SELECT * FROM p;`,
    `PRAGMA legacy_alter_table = ON; ALTER TABLE p RENAME TO p2; PRAGMA legacy_alter_table = OFF;`,
    `PRAGMA foreign_keys = OFF; DROP TABLE p2; PRAGMA foreign_keys = ON;`,
  ],
  failures: [
    `CREATE TABLE f (id INTEGER PRIMARY KEY);`,
    `ALTER TABLE f ADD COLUMN id TEXT;`, // fails: duplicate column
    `CREATE INDEX nowhere_ix ON nowhere (x);`, // fails
    `INSERT INTO f (id) VALUES (1); ALTER TABLE f ADD COLUMN n TEXT NOT NULL;`, // fails after the insert
  ],
};

