import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/drizzle-snapshot-collision.js';
import { drizzleInput, loadFixture, type Tree } from '../drizzle/drizzle-input.js';
import { expectFires, expectPasses } from '../helpers/lint.js';

const input = (base: Tree, head: Tree) => drizzleInput(base, head, { evaluate: false });

describe('drizzle-snapshot-collision', () => {
  it('passes a chain with one child per snapshot (legacy and v1)', async () => {
    const clean = loadFixture('clean');
    await expectPasses(rule, await input(clean.base, clean.head));
    const v1 = loadFixture('v1-layout');
    await expectPasses(rule, await input(v1.base, v1.head));
  });

  it('fires when two snapshots share a parent, naming both and the command', async () => {
    const f = loadFixture('snapshot-collision');
    const [r] = await expectFires(rule, await input(f.base, f.head));
    expect(r).toMatchObject({
      messageId: 'shared-parent',
      file: 'drizzle/meta/0002_snapshot.json',
      data: { other: 'drizzle/meta/0001_snapshot.json', command: 'npx drizzle-kit generate' },
      preexisting: false,
    });
  });

  it('fires when the PR\'s first new snapshot does not follow main\'s latest (conflicting files resolved to the PR\'s side)', async () => {
    const f = loadFixture('snapshot-collision');
    const prSql = f.head['drizzle/0002_tags.sql'];
    const prSnapshot = f.head['drizzle/meta/0002_snapshot.json'];
    const head: Tree = { ...f.base, 'drizzle/0001_tags.sql': prSql, 'drizzle/meta/0001_snapshot.json': prSnapshot };
    const i = await input(f.base, head);
    // The PR added its 0001 snapshot (main's reached main after the branch started; the conflict kept the PR's side).
    i.changes = i.changes.map((c) => (c.path === 'drizzle/meta/0001_snapshot.json' ? { ...c, status: 'added' as const } : c));
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({
      messageId: 'stale-parent',
      file: 'drizzle/meta/0001_snapshot.json',
      data: { parent: 'drizzle/meta/0000_snapshot.json', latest: 'drizzle/meta/0001_snapshot.json', latestId: JSON.parse(f.base['drizzle/meta/0001_snapshot.json']).id.slice(0, 8) },
    });
  });

  it('compares with main\'s last snapshot when main\'s own chain is broken', async () => {
    const c = loadFixture('snapshot-collision');
    const clean = loadFixture('clean');
    // main's 0001 names a parent from another generation run: main has two chain tips.
    const base = { ...clean.base, 'drizzle/meta/0001_snapshot.json': c.base['drizzle/meta/0001_snapshot.json'] };
    const head = { ...base, 'drizzle/meta/0001_snapshot.json': c.head['drizzle/meta/0002_snapshot.json'] };
    const i = await input(base, head);
    i.changes = i.changes.map((c) => (c.path === 'drizzle/meta/0001_snapshot.json' ? { ...c, status: 'added' as const } : c));
    expect(i.drizzle.folders[0].base?.latest).toBeUndefined();
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'stale-parent', data: { latest: 'drizzle/meta/0001_snapshot.json' } });
  });

  it('fires for v1 snapshots whose prevIds name the same parent', async () => {
    const v1 = loadFixture('v1-layout');
    const first = Object.keys(v1.base).find((p) => p.endsWith('/snapshot.json'))!;
    const firstId = JSON.parse(v1.base[first]).id;
    const twin = { ...JSON.parse(v1.head[first]), id: '11111111-2222-4333-8444-555555555555', prevIds: [firstId] };
    const head = { ...v1.head, 'drizzle/29990101000000_twin/migration.sql': 'SELECT 1;', 'drizzle/29990101000000_twin/snapshot.json': JSON.stringify(twin) };
    const reports = await expectFires(rule, await input(v1.base, head));
    expect(reports.map((r) => [r.messageId, r.file])).toEqual([['shared-parent', 'drizzle/29990101000000_twin/snapshot.json']]);
  });

  it('marks a fork main already had as pre-existing', async () => {
    const f = loadFixture('snapshot-collision');
    const [r] = await expectFires(rule, await input(f.head, { ...f.head, 'README.md': 'x\n' }));
    expect(r.preexisting).toBe(true);
  });

  it('is silent when the PR regenerates main\'s latest migration (same parent, new snapshot id) while main has not moved', async () => {
    // A common Drizzle workflow: the author reworks the newest migration before deploying it, deletes it and runs
    // drizzle-kit generate again. The new snapshot replaces main's newest one and follows the same parent.
    const main = loadFixture('clean').head;
    const snap = JSON.parse(main['drizzle/meta/0001_snapshot.json']);
    snap.id = '9b1f0e0c-0000-4000-8000-000000000001';
    const pr = { ...main, 'drizzle/meta/0001_snapshot.json': JSON.stringify(snap, null, 2) };
    await expectPasses(rule, await input(main, pr));
    // Main's newest snapshot still in head beside one with its parent: two branches, a real collision.
    const both = { ...pr, 'drizzle/meta/0002_snapshot.json': main['drizzle/meta/0001_snapshot.json'] };
    await expectFires(rule, await input(main, both));
  });

  it('is silent when the PR squashes main\'s migrations into a new 0000 from the empty root (deleted- and edited-migration say so)', async () => {
    // Modelled on pre-release apps (Makisuo/electric-proxy, toyamarinyon/shion): delete every migration, run generate,
    // get one `0000_*` whose snapshot follows the empty root. Advising to take main's journal would undo the squash.
    const main = loadFixture('clean').head;
    const root = JSON.parse(main['drizzle/meta/0000_snapshot.json']);
    const squashed = { ...JSON.parse(main['drizzle/meta/0001_snapshot.json']), id: '7d1c2b3a-0000-4000-8000-00000000abcd', prevId: root.prevId };
    const journal = JSON.parse(main['drizzle/meta/_journal.json']);
    journal.entries = [{ ...journal.entries[0], tag: '0000_squashed' }];
    const pr: Tree = {
      ...main,
      'drizzle/meta/0000_snapshot.json': JSON.stringify(squashed, null, 2),
      'drizzle/meta/_journal.json': JSON.stringify(journal, null, 2),
      'drizzle/0000_squashed.sql': `${main['drizzle/0000_init.sql']}\n${main['drizzle/0001_posts.sql']}`,
    };
    for (const gone of ['drizzle/meta/0001_snapshot.json', 'drizzle/0001_posts.sql', 'drizzle/0000_init.sql']) delete pr[gone];
    await expectPasses(rule, await input(main, pr));
  });

  it('warns, not errs, when the PR\'s snapshot names a parent no snapshot has (drizzle-kit refuses only shared parents)', async () => {
    // Modelled on gxxk-dev/VOCArchive 4af6447: a hand-written 0002_snapshot.json whose prevId is an invented id.
    const main = loadFixture('clean').head;
    const next = { ...JSON.parse(main['drizzle/meta/0001_snapshot.json']), id: '4b7c1b8f-9d3a-4a5e-b2c6-8f7e9d3a4b5c', prevId: '3a6b5c9e-8e2d-4f4a-a1c5-7f6e8d2a3b4c' };
    const journal = JSON.parse(main['drizzle/meta/_journal.json']);
    journal.entries.push({ ...journal.entries[1], idx: 2, tag: '0002_more' });
    const pr: Tree = { ...main, 'drizzle/0002_more.sql': 'SELECT 1;', 'drizzle/meta/0002_snapshot.json': JSON.stringify(next), 'drizzle/meta/_journal.json': JSON.stringify(journal) };
    const reports = await expectFires(rule, await input(main, pr));
    expect(reports.map((r) => [r.messageId, r.severity])).toEqual([['unknown-parent', 'warning']]);
    expect(reports[0].data).toMatchObject({ parent: '3a6b5c9e', latest: 'drizzle/meta/0001_snapshot.json' });
  });
});
