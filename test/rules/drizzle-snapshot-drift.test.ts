import { describe, expect, it } from 'vitest';
import { formatMessage } from '../../src/findings.js';
import rule from '../../src/rules/drizzle-snapshot-drift.js';
import { drizzleInput, loadFixture, type Tree } from '../drizzle/drizzle-input.js';
import { expectFires, expectPasses } from '../helpers/lint.js';

const input = (base: Tree, head: Tree) => drizzleInput(base, head, { evaluate: false });

describe('drizzle-snapshot-drift', () => {
  it('passes migrations that replay to exactly the latest snapshot (legacy and v1)', async () => {
    const clean = loadFixture('clean');
    await expectPasses(rule, await input(clean.base, clean.head));
    const v1 = loadFixture('v1-layout');
    await expectPasses(rule, await input(v1.base, v1.head));
  });

  it('fires for generated SQL edited by hand, pointing at the edited file', async () => {
    const f = loadFixture('hand-edited-sql');
    const [r] = await expectFires(rule, await input(f.base, f.head));
    expect(r).toMatchObject({ messageId: 'drift', file: 'drizzle/0001_posts.sql', data: { snapshot: 'drizzle/meta/0001_snapshot.json', count: 2 } });
    const opening = (data: typeof r.data) => {
      const message = formatMessage(String(rule.meta.messages.drift), data);
      return message.slice(0, message.indexOf(' gives'));
    };
    expect(opening(r.data)).toBe('Replaying the migrations in `drizzle/` (app)');
  });

  it('does not name a database twice when it is named after its folder (no wrangler binding names it)', async () => {
    const f = loadFixture('hand-edited-sql');
    const built = await input(f.base, f.head);
    const [db] = built.databases;
    const renamed = {
      ...built,
      databases: [{ ...db, spec: { ...db.spec, name: 'drizzle' } }],
      drizzle: { ...built.drizzle, folders: built.drizzle.folders.map((folder) => ({ ...folder, database: 'drizzle' })) },
    };
    const [r] = await expectFires(rule, renamed);
    expect(formatMessage(String(rule.meta.messages.drift), r.data)).toMatch(/^Replaying the migrations in `drizzle\/` gives a schema/);
  });

  it('fires for a snapshot edited by hand (a dropped index and a changed default)', async () => {
    const f = loadFixture('clean');
    const snap = JSON.parse(f.head['drizzle/meta/0001_snapshot.json']);
    delete snap.tables.posts.indexes.posts_author_idx;
    snap.tables.users.columns.plan.default = "'pro'";
    const [r] = await expectFires(rule, await input(f.base, { ...f.head, 'drizzle/meta/0001_snapshot.json': JSON.stringify(snap) }));
    expect(r.details).toEqual([
      'posts: index posts_author_idx in the migrations, not in the snapshot',
      "users.plan: default 'free' in the migrations, 'pro' in the snapshot",
    ]);
  });

  it('reads DESC and COLLATE index columns as the same column on both sides (drizzle-kit writes `"created_at" desc`)', async () => {
    // Modelled on a Drizzle-on-D1 app whose feed index is `index().on(desc(t.createdAt))`: drizzle-kit's snapshot keeps
    // the column as `"created_at" desc`, the SQL says the same, and SQLite's pragma reports the bare column name.
    const f = loadFixture('clean');
    const SQL = 'drizzle/0001_posts.sql';
    const SNAP = 'drizzle/meta/0001_snapshot.json';
    const sql = `${f.head[SQL]}\n--> statement-breakpoint\nCREATE INDEX \`posts_updated_idx\` ON \`posts\` ("updated_at" desc);\n--> statement-breakpoint\nCREATE INDEX \`posts_title_idx\` ON \`posts\` ("title" collate nocase);`;
    const snap = JSON.parse(f.head[SNAP]);
    snap.tables.posts.indexes.posts_updated_idx = { name: 'posts_updated_idx', columns: ['"updated_at" desc'], isUnique: false };
    snap.tables.posts.indexes.posts_title_idx = { name: 'posts_title_idx', columns: ['"title" collate nocase'], isUnique: false };
    await expectPasses(rule, await input(f.base, { ...f.head, [SQL]: sql, [SNAP]: JSON.stringify(snap) }));
    // A real difference in the indexed column is still drift.
    snap.tables.posts.indexes.posts_updated_idx.columns = ['"score" desc'];
    const [r] = await expectFires(rule, await input(f.base, { ...f.head, [SQL]: sql, [SNAP]: JSON.stringify(snap) }));
    expect(r.details).toEqual(['posts: index posts_updated_idx is (updated_at) in the migrations, (score) in the snapshot']);
  });

  it('fires for an edited v1 migration.sql', async () => {
    const v1 = loadFixture('v1-layout');
    const sql = Object.keys(v1.head).find((p) => p.endsWith('_posts/migration.sql'))!;
    const head = { ...v1.head, [sql]: v1.head[sql].replace('`title` text NOT NULL', '`title` text') };
    const [r] = await expectFires(rule, await input(v1.base, head));
    expect(r.details).toEqual(['posts.title: nullable in the migrations, NOT NULL in the snapshot']);
  });

  it('stays silent while the journal is inconsistent (the journal rule reports that)', async () => {
    const f = loadFixture('journal-missing-entry');
    await expectPasses(rule, await input(f.base, f.head));
  });

  it('marks drift main already had as pre-existing', async () => {
    const f = loadFixture('hand-edited-sql');
    const [r] = await expectFires(rule, await input(f.head, { ...f.head, 'README.md': 'x\n' }));
    expect(r.preexisting).toBe(true);
  });
});
