// Folder reading, snapshot normalization and the structural comparison, on the drizzle-kit fixtures.
import { describe, expect, it } from 'vitest';
import { compareSchemas } from '../../src/drizzle/compare-schemas.js';
import { normalizeDefault, normalizeLegacySnapshot, normalizeReplayed, normalizeV1Snapshot } from '../../src/drizzle/normalize.js';
import { chainTip, readDrizzleFolder, ROOT_SNAPSHOT_ID } from '../../src/drizzle/read-folder.js';
import { schemaFromSql } from '../helpers/schema-from-sql.js';
import { loadFixture, type Tree } from './drizzle-input.js';

const read = (tree: Tree) => async (p: string) => tree[p];
const labels = { left: 'A', right: 'B' };

describe('readDrizzleFolder', () => {
  it('reads a legacy folder: journal entries with their lines, snapshots chained from the root, the tip as latest', async () => {
    const { head } = loadFixture('clean');
    const side = (await readDrizzleFolder('drizzle', Object.keys(head).sort(), read(head)))!;
    expect(side.layout).toBe('legacy');
    expect(side.journal?.entries.map((e) => [e.idx, e.tag, e.line])).toEqual([
      [0, '0000_init', 9],
      [1, '0001_posts', 16],
    ]);
    expect(side.sqlFiles).toEqual(['drizzle/0000_init.sql', 'drizzle/0001_posts.sql']);
    expect(side.snapshots[0].prevIds).toEqual([ROOT_SNAPSHOT_ID]);
    expect(side.snapshots[1].prevIds).toEqual([side.snapshots[0].id]);
    expect(side.latest?.path).toBe('drizzle/meta/0001_snapshot.json');
    expect(side.problems).toEqual([]);
  });

  it('returns undefined for a folder the tree does not have, and reports a snapshot that is not JSON', async () => {
    const { head } = loadFixture('clean');
    expect(await readDrizzleFolder('elsewhere', Object.keys(head), read(head))).toBeUndefined();
    const broken = { ...head, 'drizzle/meta/0001_snapshot.json': '{ nope' };
    const side = (await readDrizzleFolder('drizzle', Object.keys(broken).sort(), read(broken)))!;
    expect(side.problems.map((p) => p.messageId)).toEqual(['snapshot-unreadable']);
    expect(side.latest?.path).toBe('drizzle/meta/0000_snapshot.json');
  });

  it('pairs journal entries with snapshots for timestamp and empty migration prefixes', async () => {
    const { head } = loadFixture('timestamp-prefix');
    const side = (await readDrizzleFolder('drizzle', Object.keys(head).sort(), read(head)))!;
    expect(side.problems).toEqual([]);
    expect(side.snapshots.map((s) => s.key)).toEqual([expect.stringMatching(/^\d{14}$/), expect.stringMatching(/^\d{14}$/)]);
    // prefix "none": every generate rewrites meta/_snapshot.json and tags start with "_".
    const none: Tree = {
      'd/_init.sql': 'SELECT 1;',
      'd/meta/_journal.json': JSON.stringify({ entries: [{ idx: 0, when: 1, tag: '_init' }] }),
      'd/meta/_snapshot.json': head[Object.keys(head).find((p) => p.endsWith('_snapshot.json'))!],
    };
    const noneSide = (await readDrizzleFolder('d', Object.keys(none).sort(), read(none)))!;
    expect(noneSide.problems).toEqual([]);
    expect(noneSide.latest?.path).toBe('d/meta/_snapshot.json');
  });

  it('has no latest snapshot when the chain forks', async () => {
    const { head } = loadFixture('snapshot-collision');
    const side = (await readDrizzleFolder('drizzle', Object.keys(head).sort(), read(head)))!;
    expect(chainTip(side.snapshots)).toBeUndefined();
  });
});

describe('normalization', () => {
  it('strips the outer parentheses SQLite drops from a default', () => {
    expect(normalizeDefault('(unixepoch())')).toBe('unixepoch()');
    expect(normalizeDefault("('a') || ('b')")).toBe("('a') || ('b')");
    expect(normalizeDefault(0)).toBe('0');
    expect(normalizeDefault('( ( 1 ) )')).toBe('1');
    expect(normalizeDefault('(a)(b)')).toBe('(a)(b)');
    expect(normalizeDefault("(')')")).toBe("')'");
  });

  // A hostile snapshot: the old peeling re-scanned the inner text per layer (quadratic), and 100,000 layers took
  // minutes. One pass makes this milliseconds; the vitest timeout below fails the old code.
  it('peels a default nested 100,000 deep in one pass', { timeout: 5_000 }, () => {
    const depth = 100_000;
    expect(normalizeDefault(`${'( '.repeat(depth)}1${' )'.repeat(depth)}`)).toBe('1');
    expect(normalizeDefault(`${'('.repeat(depth)}1${')'.repeat(depth - 1)}`)).toBe(`${'('.repeat(depth)}1${')'.repeat(depth - 1)}`);
  });

  it('reads the v1 snapshot exactly like the legacy one it was converted from', () => {
    const legacy = loadFixture('clean').head['drizzle/meta/0001_snapshot.json'];
    const v1 = loadFixture('v1-layout').head;
    const v1Snapshot = Object.entries(v1).find(([p]) => p.endsWith('_posts/snapshot.json'))![1];
    const a = normalizeLegacySnapshot(JSON.parse(legacy));
    const b = normalizeV1Snapshot(JSON.parse(v1Snapshot));
    expect(compareSchemas(a, b, labels)).toEqual([]);
    expect(Object.keys(b.tables).sort()).toEqual(['posts', 'users']);
  });

  it('finds a replayed schema equal to the snapshot drizzle-kit generated with it', () => {
    const { head } = loadFixture('clean');
    const replayed = normalizeReplayed(schemaFromSql(`${head['drizzle/0000_init.sql']};\n${head['drizzle/0001_posts.sql']}`));
    expect(compareSchemas(replayed, normalizeLegacySnapshot(JSON.parse(head['drizzle/meta/0001_snapshot.json'])), labels)).toEqual([]);
  });

  it('names each kind of difference once, in a stable order', () => {
    const a = normalizeReplayed(schemaFromSql(`
      CREATE TABLE p (id INTEGER PRIMARY KEY);
      CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id) ON DELETE CASCADE, n TEXT NOT NULL DEFAULT 'x');
      CREATE INDEX c_n ON c (n);
      CREATE TABLE only_a (id INTEGER);`));
    const b = normalizeReplayed(schemaFromSql(`
      CREATE TABLE p (id INTEGER PRIMARY KEY);
      CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id), n INT, extra TEXT);
      CREATE UNIQUE INDEX c_n ON c (n, id);`));
    expect(compareSchemas(a, b, labels)).toEqual([
      'c.extra: column in B, not in A',
      'c.n: type TEXT in A, INT in B',
      'c.n: NOT NULL in A, nullable in B',
      "c.n: default 'x' in A, none in B",
      'c: index c_n is (n) in A, UNIQUE (n, id) in B',
      'c: foreign key (p_id) → p(id) ON DELETE CASCADE ON UPDATE NO ACTION in A, not in B',
      'c: foreign key (p_id) → p(id) ON DELETE NO ACTION ON UPDATE NO ACTION in B, not in A',
      'table only_a: in A, not in B',
    ]);
    expect(compareSchemas(a, b, labels, { ignoreLeftOnlyTables: true })).not.toContain('table only_a: in A, not in B');
  });
});

describe('unique constraints and unique indexes', () => {
  it('treats a unique index and a UNIQUE constraint of the same name and columns as the same thing', () => {
    const legacy = normalizeLegacySnapshot({
      tables: { u: { name: 'u', columns: { e: { name: 'e', type: 'text', notNull: true } }, indexes: { u_e_unique: { name: 'u_e_unique', columns: ['e'], isUnique: true } } } },
    });
    const v1 = normalizeV1Snapshot({
      ddl: [
        { entityType: 'tables', name: 'u' },
        { entityType: 'columns', table: 'u', name: 'e', type: 'text', notNull: true },
        { entityType: 'uniques', table: 'u', name: 'u_e_unique', columns: ['e'] },
      ],
    });
    expect(compareSchemas(legacy, v1, labels)).toEqual([]);
    const other = normalizeV1Snapshot({
      ddl: [
        { entityType: 'tables', name: 'u' },
        { entityType: 'columns', table: 'u', name: 'e', type: 'text', notNull: true },
        { entityType: 'columns', table: 'u', name: 'f', type: 'text', notNull: true },
        { entityType: 'uniques', table: 'u', name: 'u_e_unique', columns: ['e', 'f'] },
      ],
    });
    expect(compareSchemas(legacy, other, labels)).toEqual([
      'u.f: column in B, not in A',
      'u: index u_e_unique in A, not in B',
      'u: unique constraint u_e_unique is absent in A, (e, f) in B',
    ]);
  });
});

describe('expression and partial indexes', () => {
  it('compares a replayed expression index with a snapshot that spells the expression out', async () => {
    const replayed = normalizeReplayed(schemaFromSql("CREATE TABLE u (e TEXT); CREATE INDEX u_lower ON u (lower(e)) WHERE e   IS NOT NULL;"));
    const snapshot = normalizeLegacySnapshot({
      tables: { u: { name: 'u', columns: { e: { name: 'e', type: 'text' } }, indexes: { u_lower: { name: 'u_lower', columns: ['lower("e")'], isUnique: false, where: 'e IS NOT NULL' } } } },
    });
    expect(compareSchemas(replayed, snapshot, labels)).toEqual([]);
    snapshot.tables.u.indexes.u_lower.where = 'e IS NULL';
    expect(compareSchemas(replayed, snapshot, labels)).toEqual(['u: index u_lower is (<expr>) WHERE e IS NOT NULL in A, (<expr>) WHERE e IS NULL in B']);
  });
});
