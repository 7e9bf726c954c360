// Behaviours of drizzle-snapshot-collision that its mutation run showed untested: new folders, the order that decides
// which snapshot to regenerate, chains of new snapshots, and what counts as replacing main's latest.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/drizzle-snapshot-collision.js';
import { drizzleInput, loadFixture, type Tree } from '../drizzle/drizzle-input.js';
import { expectFires, expectPasses } from '../helpers/lint.js';

const input = (base: Tree, head: Tree) => drizzleInput(base, head, { evaluate: false });
const clean = loadFixture('clean').head;
const v1 = loadFixture('v1-layout').head;
const ROOT = '00000000-0000-0000-0000-000000000000';
const S0 = 'drizzle/meta/0000_snapshot.json';
const S1 = 'drizzle/meta/0001_snapshot.json';
const V1_INIT = 'drizzle/20261124123331_init/snapshot.json';
const V1_POSTS = 'drizzle/20261124123332_posts/snapshot.json';
const id = (tree: Tree, path: string): string => JSON.parse(tree[path]).id;
/** A legacy snapshot: the given one's schema under a new id and parent. */
const legacy = (newId: string, prevId: string): string => JSON.stringify({ ...JSON.parse(clean[S1]), id: newId, prevId });
const without = (tree: Tree, ...paths: string[]): Tree => Object.fromEntries(Object.entries(tree).filter(([p]) => !paths.includes(p)));

describe('drizzle-snapshot-collision: folders main does not have', () => {
  it('passes a PR that adds the whole Drizzle folder', async () => {
    const i = await input({}, clean);
    expect(i.drizzle.folders[0].base).toBeUndefined();
    await expectPasses(rule, i);
  });

  it('passes a PR that adds snapshots to a folder that had none on main', async () => {
    const i = await input(without(clean, S0, S1), clean);
    expect(i.drizzle.folders[0].base?.snapshots).toEqual([]);
    await expectPasses(rule, i);
  });
});

describe('drizzle-snapshot-collision: shared parents', () => {
  it('keeps main\'s snapshot as the one to build on when the PR\'s twin sorts first, and names the empty root', async () => {
    // A v1 branch generated a first migration from scratch before main's; its folder's timestamp is older.
    const twin = { ...JSON.parse(v1[V1_INIT]), id: '11111111-2222-4333-8444-555555555555', prevIds: [ROOT] };
    const head = { ...v1, 'drizzle/20000101000000_again/migration.sql': 'SELECT 1;', 'drizzle/20000101000000_again/snapshot.json': JSON.stringify(twin) };
    const reports = await expectFires(rule, await input(v1, head));
    expect(reports).toEqual([
      expect.objectContaining({
        messageId: 'shared-parent',
        file: 'drizzle/20000101000000_again/snapshot.json',
        preexisting: false,
        data: expect.objectContaining({ other: V1_INIT, parent: 'the empty root' }),
      }),
    ]);
  });
});

describe('drizzle-snapshot-collision: stale parents', () => {
  it('passes a PR that generated two migrations in a row on top of main\'s latest', async () => {
    const a = '5a5a5a5a-0000-4000-8000-000000000001';
    const head = { ...clean, 'drizzle/meta/0002_snapshot.json': legacy(a, id(clean, S1)), 'drizzle/meta/0003_snapshot.json': legacy('5a5a5a5a-0000-4000-8000-000000000002', a) };
    await expectPasses(rule, await input(clean, head));
  });

  it('is silent when the PR regenerates main\'s latest v1 migration and git reports the folder as renamed', async () => {
    const renamedSnapshot = 'drizzle/20261201000000_posts/snapshot.json';
    const regenerated = { ...JSON.parse(v1[V1_POSTS]), id: '9b1f0e0c-0000-4000-8000-000000000002' };
    const head = {
      ...without(v1, V1_POSTS, V1_POSTS.replace('snapshot.json', 'migration.sql')),
      [renamedSnapshot]: JSON.stringify(regenerated),
      [renamedSnapshot.replace('snapshot.json', 'migration.sql')]: v1[V1_POSTS.replace('snapshot.json', 'migration.sql')],
    };
    const i = await input(v1, head);
    i.changes = [
      { path: renamedSnapshot, status: 'renamed', oldPath: V1_POSTS },
      { path: renamedSnapshot.replace('snapshot.json', 'migration.sql'), status: 'renamed', oldPath: V1_POSTS.replace('snapshot.json', 'migration.sql') },
    ];
    await expectPasses(rule, i);
  });

  it('is silent when the PR drops main\'s last two migrations and regenerates from the one before', async () => {
    const main = { ...clean, 'drizzle/meta/0002_snapshot.json': legacy('6b6b6b6b-0000-4000-8000-000000000001', id(clean, S1)) };
    const pr = { ...without(main, 'drizzle/meta/0002_snapshot.json'), [S1]: legacy('6b6b6b6b-0000-4000-8000-000000000002', id(clean, S0)) };
    await expectPasses(rule, await input(main, pr));
  });

  it('still warns when the snapshot replacing main\'s latest names a parent no snapshot has', async () => {
    const pr = { ...clean, [S1]: legacy('7c7c7c7c-0000-4000-8000-000000000001', '3a6b5c9e-8e2d-4f4a-a1c5-7f6e8d2a3b4c') };
    const reports = await expectFires(rule, await input(clean, pr));
    expect(reports.map((r) => [r.messageId, r.file])).toEqual([['unknown-parent', S1]]);
  });

  it('compares with the last of three snapshots when main\'s chain is broken, and knows main\'s other tip', async () => {
    // main's 0002 names a parent from another generation run: 0001 and 0002 are both tips.
    const main = { ...clean, 'drizzle/meta/0002_snapshot.json': legacy('8d8d8d8d-0000-4000-8000-000000000001', '3a6b5c9e-8e2d-4f4a-a1c5-7f6e8d2a3b4c') };
    const pr = { ...main, 'drizzle/meta/0003_snapshot.json': legacy('8d8d8d8d-0000-4000-8000-000000000002', id(clean, S1)) };
    const i = await input(main, pr);
    expect(i.drizzle.folders[0].base?.latest).toBeUndefined();
    const reports = await expectFires(rule, i);
    expect(reports).toEqual([
      expect.objectContaining({ messageId: 'stale-parent', file: 'drizzle/meta/0003_snapshot.json', data: expect.objectContaining({ parent: S1, latest: 'drizzle/meta/0002_snapshot.json' }) }),
    ]);
  });
  describe('when main\'s only snapshot names a parent no snapshot has (copied from another repository)', () => {
    const main = without({ ...clean, [S0]: JSON.stringify({ ...JSON.parse(clean[S0]), prevId: '3a6b5c9e-8e2d-4f4a-a1c5-7f6e8d2a3b4c' }) }, S1);

    it('still knows the empty root as a parent: a new snapshot following it is stale, not hand-made', async () => {
      const pr = { ...main, [S1]: legacy('9e9e9e9e-0000-4000-8000-000000000001', ROOT) };
      const reports = await expectFires(rule, await input(main, pr));
      expect(reports).toEqual([expect.objectContaining({ messageId: 'stale-parent', file: S1, data: expect.objectContaining({ parent: 'the empty root', latest: S0 }) })]);
    });

    it('is silent when the PR regenerates that snapshot from the empty root', async () => {
      const pr = { ...main, [S0]: JSON.stringify({ ...JSON.parse(clean[S0]), id: '9e9e9e9e-0000-4000-8000-000000000002' }) };
      await expectPasses(rule, await input(main, pr));
    });
  });
});
