// replayPair: history replayed once when head only appends, the base cache, and equality with full replays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationFile } from '../../src/discover/types.js';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import type { ReplayResult } from '../../src/replay/types.js';
import { migration, tableNames } from './migration-files.js';

let sandbox: ReplaySandbox;
beforeAll(() => {
  sandbox = new ReplaySandbox({ size: 2, log: () => {} });
});
afterAll(async () => {
  await sandbox.close();
});

/** A history with failures, notes and renames in base files, so merging them is exercised too. */
function history(name: string, n: number): MigrationFile[] {
  const files: MigrationFile[] = [];
  for (let i = 1; i <= n; i++) {
    const lines = [`CREATE TABLE ${name}_t${i} (id INTEGER PRIMARY KEY, v TEXT);`, `CREATE INDEX ${name}_t${i}_v ON ${name}_t${i} (v);`];
    if (i > 1) lines.push(`ALTER TABLE ${name}_t${i - 1} ADD COLUMN next_id INTEGER REFERENCES ${name}_t${i}(id);`);
    if (i === 2) lines.push('CREATE INDEX broken ON nowhere (x);', 'BEGIN TRANSACTION;');
    if (i === 3) lines.push(`ALTER TABLE ${name}_t1 RENAME COLUMN v TO value;`);
    files.push(migration(`${name}/migrations/${String(i).padStart(4, '0')}_m.sql`, lines.join('\n')));
  }
  return files;
}

const appended = (name: string) => [
  migration(`${name}/migrations/9001_pr.sql`, `ALTER TABLE ${name}_t2 RENAME TO ${name}_renamed;\nCREATE INDEX pr_broken ON nowhere (y);`),
  migration(`${name}/migrations/9002_pr.sql`, `CREATE TABLE ${name}_new (x TEXT);\nCOMMIT;`),
];

/** Everything but the statement counter must equal a full replay; the counter too, as history ran exactly once. */
function expectSame(actual: ReplayResult, full: ReplayResult): void {
  expect(actual).toEqual(full);
}

describe('replayPair', () => {
  it('replays history once when head only appends files, and matches full replays of both sides', async () => {
    const base = history('a', 5);
    const head = [...base, ...appended('a')];
    const pair = await sandbox.replayPair({ database: 'a', dialect: 'd1', base, head });
    expect(pair).toMatchObject({ incremental: true, cached: false });
    const [fullBase, fullHead] = await Promise.all([
      sandbox.replay({ database: 'a', dialect: 'd1', files: base }),
      sandbox.replay({ database: 'a', dialect: 'd1', files: head }),
    ]);
    expectSame(pair.base, fullBase);
    expectSame(pair.head, fullHead);
    expect(tableNames(pair.head.schema)).toContain('a_renamed');
    expect(pair.head.failures.map((f) => f.file)).toEqual(['a/migrations/0002_m.sql', 'a/migrations/9001_pr.sql']);
    expect(pair.head.compatibility.map((c) => c.file)).toEqual(['a/migrations/0002_m.sql', 'a/migrations/9002_pr.sql']);
    expect(pair.head.renames.map((r) => r.to)).toEqual(['value', 'a_renamed']);
    expect(pair.head.migrations).toBe(7);
  });

  it('restores a cached base on a re-review and applies only the new files', async () => {
    const base = history('b', 4);
    const first = await sandbox.replayPair({ database: 'b', dialect: 'sqlite', base, head: [...base, appended('b')[0]] });
    expect(first).toMatchObject({ incremental: true, cached: false });
    await sandbox.settled(); // the snapshot reaches the cache just after the answer
    // The usual push: same base, one more PR file.
    const head = [...base, ...appended('b')];
    const second = await sandbox.replayPair({ database: 'b', dialect: 'sqlite', base, head });
    expect(second).toMatchObject({ incremental: true, cached: true });
    const fullHead = await sandbox.replay({ database: 'b', dialect: 'sqlite', files: head });
    expectSame(second.base, first.base);
    expectSame(second.head, fullHead);
    // Nothing appended: head is base, straight from the cache.
    const same = await sandbox.replayPair({ database: 'b', dialect: 'sqlite', base, head: base });
    expect(same).toMatchObject({ incremental: true, cached: true });
    expectSame(same.head, first.base);
  });

  it('does not reuse a cached base for another dialect or for changed base contents', async () => {
    const base = history('c', 3);
    await sandbox.replayPair({ database: 'c', dialect: 'sqlite', base, head: base });
    await sandbox.settled();
    expect((await sandbox.replayPair({ database: 'c', dialect: 'sqlite', base, head: base })).cached).toBe(true);
    const otherDialect = await sandbox.replayPair({ database: 'c', dialect: 'd1', base, head: base });
    expect(otherDialect.cached).toBe(false);
    const edited = base.map((f, i) => (i === 0 ? { ...f, content: `${f.content}\nCREATE TABLE extra (x);` } : f));
    const changed = await sandbox.replayPair({ database: 'c', dialect: 'sqlite', base: edited, head: edited });
    expect(changed.cached).toBe(false);
    expect(tableNames(changed.head.schema)).toContain('extra');
  });

  it('falls back to two full replays when the PR edits or reorders history', async () => {
    const base = history('d', 4);
    const edited = base.map((f, i) => (i === 1 ? { ...f, content: f.content.replace('CREATE INDEX broken ON nowhere (x);', '') } : f));
    const reordered = [base[0], base[2], base[1], base[3]];
    for (const head of [edited, reordered, base.slice(0, 3)]) {
      const pair = await sandbox.replayPair({ database: 'd', dialect: 'sqlite', base, head });
      expect(pair.incremental).toBe(false);
      expectSame(pair.head, await sandbox.replay({ database: 'd', dialect: 'sqlite', files: head }));
    }
    const pair = await sandbox.replayPair({ database: 'd', dialect: 'sqlite', base, head: edited });
    // On plain SQLite the explicit BEGIN inside the file's transaction fails too: the edit removed the first failure.
    expect(pair.head.failures.map((f) => [f.statement, f.more])).toEqual([['BEGIN TRANSACTION;', 0]]);
    expect(pair.base.failures.map((f) => [f.statement, f.more])).toEqual([['CREATE INDEX broken ON nowhere (x);', 1]]);
  });

  it('replays many databases of one review concurrently across the pool', async () => {
    const names = ['e1', 'e2', 'e3', 'e4', 'e5'];
    const pairs = await Promise.all(
      names.map((n) => {
        const base = history(n, 3);
        return sandbox.replayPair({ database: n, dialect: 'd1', base, head: [...base, ...appended(n)] });
      }),
    );
    pairs.forEach((p, i) => {
      expect(tableNames(p.head.schema)).toContain(`${names[i]}_new`);
      expect(tableNames(p.base.schema)).not.toContain(`${names[i]}_new`);
    });
  });
});
