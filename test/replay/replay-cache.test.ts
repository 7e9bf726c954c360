// Re-reviews from a base database kept in a child, with schemas sent as patches: every answer must be deep-equal to
// full replays of both sides — on histories that change tables in every way, on the grove fixture, and when the child
// that kept the base is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture } from '../../fixtures/generate/index.mjs';
import { discover } from '../../src/discover/discover.js';
import { loadMigrations } from '../../src/discover/load-migrations.js';
import type { MigrationFile } from '../../src/discover/types.js';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import type { ReplayPairResult } from '../../src/replay/types.js';
import { openGitSource } from '../../src/source/git.js';
import { migration } from './migration-files.js';
import { HISTORIES } from './schema-histories.js';

let sandbox: ReplaySandbox;
beforeAll(() => {
  sandbox = new ReplaySandbox({ size: 2, log: () => {} });
});
afterAll(async () => {
  await sandbox.close();
});

const files = (name: string, steps: string[]): MigrationFile[] =>
  steps.map((sql, i) => migration(`${name}/migrations/${String(i + 1).padStart(4, '0')}_m.sql`, sql));

/** replayPair's answer against full replays of each side in a fresh database. */
async function expectFullEquivalent(s: ReplaySandbox, pair: ReplayPairResult, dialect: 'd1' | 'sqlite', base: MigrationFile[], head: MigrationFile[]) {
  const [fullBase, fullHead] = await Promise.all([
    s.replay({ database: 'x', dialect, files: base }),
    s.replay({ database: 'x', dialect, files: head }),
  ]);
  expect(pair.base).toEqual(fullBase);
  expect(pair.head).toEqual(fullHead);
  // (Key order may differ: SQLite lists tables in the order it loaded them, and a restored database reloads them.)
}

describe('re-review from a kept base database', () => {
  for (const [name, steps] of Object.entries(HISTORIES)) {
    it(`matches full replays at every cut of ${name}, first uncached then cached`, async () => {
      for (let cut = 0; cut <= steps.length; cut++) {
        const all = files(`${name}-${cut}`, steps); // own paths: nothing cached from another cut
        const base = all.slice(0, cut);
        const first = await sandbox.replayPair({ database: name, dialect: 'sqlite', base, head: all });
        expect(first).toMatchObject({ incremental: true, cached: false });
        await expectFullEquivalent(sandbox, first, 'sqlite', base, all);
        const again = await sandbox.replayPair({ database: name, dialect: 'sqlite', base, head: all });
        expect(again).toMatchObject({ incremental: true, cached: cut > 0 }); // an empty base is nothing to keep
        await expectFullEquivalent(sandbox, again, 'sqlite', base, all);
      }
    });

    it(`matches full replays push after push of ${name}: the PR appends, edits its own file, main moves on`, async () => {
      const all = files(`${name}-push`, steps);
      const half = Math.floor(all.length / 2);
      const pr = (i: number, sql: string) => migration(`${name}-push/migrations/9${String(i).padStart(3, '0')}_pr.sql`, sql);
      const pushes: { base: MigrationFile[]; head: MigrationFile[] }[] = [];
      for (let n = half; n <= all.length; n++) pushes.push({ base: all.slice(0, half), head: all.slice(0, n) });
      const last = all.slice(0, all.length);
      // The PR's own file, then that file edited (history diverges from the previous head), then main catches up.
      pushes.push({ base: all.slice(0, half), head: [...last, pr(1, 'CREATE TABLE pr_one (x);')] });
      pushes.push({ base: all.slice(0, half), head: [...last, pr(1, 'CREATE TABLE pr_one (x, y);')] });
      pushes.push({ base: last, head: [...last, pr(1, 'CREATE TABLE pr_one (x, y);')] });
      // A PR file that sorts before main's newer files: head is not base + appended.
      pushes.push({ base: last, head: [...all.slice(0, half), pr(0, 'CREATE TABLE pr_zero (x);'), ...all.slice(half)] });
      for (const [i, { base, head }] of pushes.entries()) {
        const pair = await sandbox.replayPair({ database: name, dialect: 'sqlite', base, head });
        if (i > 0) expect(pair.cached).toBe(true);
        await expectFullEquivalent(sandbox, pair, 'sqlite', base, head);
      }
    });
  }

  it('matches full replays on every database of the grove fixture, and shares unchanged tables with the base', async () => {
    const repo = await buildFixture('grove');
    const source = await openGitSource(repo, 'main', 'pr');
    try {
      const discovery = await discover(source.head);
      let shared = 0;
      let databases = 0;
      for (const spec of discovery.databases) {
        if (spec.notReplayed) continue;
        const base = await loadMigrations(source.base, spec);
        const head = await loadMigrations(source.head, spec);
        if (!base.length && !head.length) continue;
        databases++;
        const req = { database: spec.name, dialect: spec.dialect, base, head };
        const first = await sandbox.replayPair(req);
        await expectFullEquivalent(sandbox, first, spec.dialect, base, head);
        const again = await sandbox.replayPair(req);
        expect(again.cached).toBe(true);
        await expectFullEquivalent(sandbox, again, spec.dialect, base, head);
        for (const [name, table] of Object.entries(again.head.schema.tables)) {
          if (again.base.schema.tables[name] === table) shared++;
        }
      }
      expect(databases).toBeGreaterThanOrEqual(5);
      expect(shared).toBeGreaterThan(40); // the databases the PR appends nothing to are the cached base itself
    } finally {
      await source.close();
    }
  });

  it('keeps nothing when the cache has no budget', async () => {
    const s = new ReplaySandbox({ size: 1, cacheBytes: 0, log: () => {} });
    try {
      const base = files('nobudget', HISTORIES.columns);
      const head = [...base, migration('nobudget/migrations/9001_pr.sql', 'CREATE TABLE pr (x);')];
      await s.replayPair({ database: 'n', dialect: 'sqlite', base, head });
      const again = await s.replayPair({ database: 'n', dialect: 'sqlite', base, head });
      expect(again.cached).toBe(false);
      await expectFullEquivalent(s, again, 'sqlite', base, head);
    } finally {
      await s.close();
    }
  });
});

describe('what the children keep', () => {
  it('keeps the base, and the latest head of a PR that sorts a file into history: a push supersedes the head it continued', async () => {
    const s = new ReplaySandbox({ size: 1, log: () => {} });
    try {
      const base = files('keep', HISTORIES.columns);
      const pr = (n: string, sql = `CREATE TABLE pr_${n.replace(/\W/g, '_')} (x);`) => migration(`keep/migrations/${n}_pr.sql`, sql);
      const sorted = [...base.slice(0, 3), pr('0003a'), ...base.slice(3)]; // between main's files: not base + appended
      await s.replayPair({ database: 'k', dialect: 'sqlite', base, head: sorted });
      expect(s.cacheUsage.entries).toBe(2); // base, head
      const pushed = [...sorted, pr('9001')];
      const second = await s.replayPair({ database: 'k', dialect: 'sqlite', base, head: pushed });
      expect(second).toMatchObject({ incremental: false, cached: true });
      expect(s.cacheUsage.entries).toBe(2); // base, the new head
      await expectFullEquivalent(s, second, 'sqlite', base, pushed);
      // The PR's sorted-in file amended: the head starts over, the other head stays (it was not continued).
      const amended = [...base.slice(0, 3), pr('0003a', 'CREATE TABLE amended (y);'), ...base.slice(3), pr('9001')];
      const third = await s.replayPair({ database: 'k', dialect: 'sqlite', base, head: amended });
      expect(third.cached).toBe(true); // the base
      expect(s.cacheUsage.entries).toBe(3);
      await expectFullEquivalent(s, third, 'sqlite', base, amended);
    } finally {
      await s.close();
    }
  });

  it('keeps only the base for a PR that appends: a push restores it and runs the PR files again', async () => {
    const s = new ReplaySandbox({ size: 1, log: () => {} });
    try {
      const base = files('append', HISTORIES.tables);
      const pr = (i: number) => migration(`append/migrations/900${i}_pr.sql`, `CREATE TABLE pr_${i} (x);`);
      await s.replayPair({ database: 'a', dialect: 'sqlite', base, head: [...base, pr(1)] });
      expect(s.cacheUsage.entries).toBe(1);
      const pushed = await s.replayPair({ database: 'a', dialect: 'sqlite', base, head: [...base, pr(1), pr(2)] });
      expect(pushed).toMatchObject({ incremental: true, cached: true });
      expect(s.cacheUsage.entries).toBe(1);
      await expectFullEquivalent(s, pushed, 'sqlite', base, [...base, pr(1), pr(2)]);
    } finally {
      await s.close();
    }
  });
});

describe('when the child keeping the base is gone', () => {
  const hang = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT max(x) FROM c;';

  it('replays the base again after the child was replaced, with the same answer', async () => {
    const s = new ReplaySandbox({ size: 1, timeoutMs: 1000, log: () => {} });
    try {
      const base = files('gone', HISTORIES.tables);
      const head = [...base, migration('gone/migrations/9001_pr.sql', 'ALTER TABLE A ADD COLUMN pr TEXT;')];
      const first = await s.replayPair({ database: 'g', dialect: 'sqlite', base, head });
      expect((await s.replayPair({ database: 'g', dialect: 'sqlite', base, head })).cached).toBe(true);
      // Another database's hang kills the only child, and the base it kept with it.
      const hung = await s.replay({ database: 'h', dialect: 'sqlite', files: [migration('h/0001_hang.sql', hang)] });
      expect(hung.failures.map((f) => f.kind)).toEqual(['timeout']);
      const again = await s.replayPair({ database: 'g', dialect: 'sqlite', base, head });
      expect(again.cached).toBe(false);
      expect(again).toEqual({ ...first, cached: false });
      await expectFullEquivalent(s, again, 'sqlite', base, head);
      // …and the new child keeps it for the next push.
      expect((await s.replayPair({ database: 'g', dialect: 'sqlite', base, head })).cached).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('blames a hang in a file appended to a cached base on that file, and finishes the rest from a fresh replay', async () => {
    const s = new ReplaySandbox({ size: 2, timeoutMs: 1000, log: () => {} });
    try {
      const base = files('hang', HISTORIES.indexes);
      const appended = migration('hang/migrations/9001_pr.sql', `CREATE TABLE pr_a (x);\n${hang}\nCREATE TABLE pr_b (x);`);
      await s.replayPair({ database: 'h', dialect: 'sqlite', base, head: base });
      const pair = await s.replayPair({ database: 'h', dialect: 'sqlite', base, head: [...base, appended] });
      expect(pair.cached).toBe(true);
      expect(pair.head.failures).toMatchObject([{ kind: 'timeout', file: appended.path, line: 2 }]);
      expect(Object.keys(pair.head.schema.tables)).toEqual(expect.arrayContaining(['pr_a', 'pr_b']));
      await expectFullEquivalent(s, pair, 'sqlite', base, [...base, appended]);
    } finally {
      await s.close();
    }
  });
});
