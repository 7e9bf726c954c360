// replayPair when head is not base + appended files (a PR file sorted into history, an edited or removed file): the
// files both sides share run once, in one job, and each side's rest continues from that database. Every answer must be
// deep-equal to full replays of both sides, with the cache off and on.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Applier, MigrationFile } from '../../src/discover/types.js';
import type { Job } from '../../src/replay/protocol.js';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { migration, tableNames } from './migration-files.js';

const HANG = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT max(x) FROM c;';

const path = (name: string, n: number, tag = 'm') => `${name}/migrations/${String(n).padStart(4, '0')}_${tag}.sql`;

/** A history with failures (one counted in `more`), notes and renames, so merging them is exercised too. */
function history(name: string, n: number, applierOf: (i: number) => Applier = () => 'wrangler'): MigrationFile[] {
  const files: MigrationFile[] = [];
  for (let i = 1; i <= n; i++) {
    const lines = [`CREATE TABLE ${name}_t${i} (id INTEGER PRIMARY KEY, v TEXT);`, `CREATE INDEX ${name}_t${i}_v ON ${name}_t${i} (v);`];
    if (i > 1) lines.push(`ALTER TABLE ${name}_t${i - 1} ADD COLUMN next_id INTEGER REFERENCES ${name}_t${i}(id);`);
    if (i === 2) lines.push('CREATE INDEX broken ON nowhere (x);', 'CREATE INDEX broken_too ON nowhere (y);', 'BEGIN TRANSACTION;');
    if (i === 3) lines.push(`ALTER TABLE ${name}_t1 RENAME COLUMN v TO value;`);
    const applier = applierOf(i);
    files.push(migration(path(name, i * 10), lines.join(applier === 'drizzle' ? '\n--> statement-breakpoint\n' : '\n'), applier));
  }
  return files;
}

/** The PR's file, sorted into history before main's newer files. */
const prFile = (name: string, n: number, sql: string, applier: Applier = 'wrangler') => migration(path(name, n, 'pr'), sql, applier);

interface Case {
  name: string;
  base: MigrationFile[];
  head: MigrationFile[];
  /** Files per segment of the one job that replays the pair: shared, base's rest, head's rest (none when not forked). */
  segments: number[] | null;
}

function cases(prefix: string): Case[] {
  const out: Case[] = [];
  {
    const name = `${prefix}ins`;
    const base = history(name, 6);
    const drop = prFile(name, 55, `DROP INDEX ${name}_t4_v;\nALTER TABLE ${name}_t4 DROP COLUMN v;\nALTER TABLE ${name}_t5 DROP COLUMN v;`);
    out.push({ name: 'a migration inserted in the middle of history', base, head: [...base.slice(0, 5), drop, base[5]], segments: [5, 1, 2] });
  }
  {
    const name = `${prefix}edit`;
    const base = history(name, 6);
    const edited = { ...base[3], content: `${base[3].content}\nCREATE TABLE ${name}_extra (x INTEGER NOT NULL);` };
    out.push({ name: 'a file edited in the middle', base, head: [...base.slice(0, 3), edited, ...base.slice(4)], segments: [3, 3, 3] });
  }
  {
    const name = `${prefix}rm`;
    const base = history(name, 8);
    out.push({ name: 'a file removed in the middle', base, head: [...base.slice(0, 5), ...base.slice(6)], segments: [5, 3, 2] });
  }
  {
    const name = `${prefix}rmlast`;
    const base = history(name, 5);
    out.push({ name: 'the last file removed (head is the shared files)', base, head: base.slice(0, 4), segments: [4, 1] });
  }
  {
    // Files 1-5 by wrangler, 6-8 by drizzle (one outer transaction): the shared files end before the drizzle run.
    const name = `${prefix}drz`;
    const base = history(name, 8, (i) => (i > 5 ? 'drizzle' : 'wrangler'));
    const pr = prFile(name, 75, `CREATE TABLE ${name}_pr (x TEXT);\n--> statement-breakpoint\nCREATE INDEX pr_broken ON nowhere (z);`, 'drizzle');
    out.push({ name: 'a drizzle folder with a file inserted', base, head: [...base.slice(0, 7), pr, ...base.slice(7)], segments: [5, 3, 4] });
  }
  {
    // Two jobs side by side cost less wall time than one saving a single shared file.
    const name = `${prefix}early`;
    const base = history(name, 6);
    out.push({ name: 'a file inserted near the start (each side on its own)', base, head: [base[0], prFile(name, 15, 'CREATE TABLE early_pr (x);'), ...base.slice(1)], segments: null });
  }
  {
    const name = `${prefix}drzall`;
    const base = history(name, 5, () => 'drizzle');
    const pr = prFile(name, 35, `CREATE TABLE ${name}_pr (x TEXT);`, 'drizzle');
    out.push({ name: 'an all-drizzle history (no cut possible)', base, head: [...base.slice(0, 3), pr, ...base.slice(3)], segments: null });
  }
  return out;
}

/** The jobs a call submits, seen at the sandbox's queue. */
async function jobsOf<T>(sandbox: ReplaySandbox, fn: () => Promise<T>): Promise<{ value: T; jobs: Omit<Job, 'id'>[] }> {
  const target = sandbox as unknown as { submit: (job: Omit<Job, 'id'>) => unknown };
  const spy = vi.spyOn(target, 'submit');
  try {
    const value = await fn();
    return { value, jobs: spy.mock.calls.map((c) => c[0]) };
  } finally {
    spy.mockRestore();
  }
}

async function expectFullEquivalent(sandbox: ReplaySandbox, base: MigrationFile[], head: MigrationFile[]) {
  const { value: pair, jobs } = await jobsOf(sandbox, () => sandbox.replayPair({ database: 'x', dialect: 'd1', base, head }));
  const [fullBase, fullHead] = await Promise.all([
    sandbox.replay({ database: 'x', dialect: 'd1', files: base }),
    sandbox.replay({ database: 'x', dialect: 'd1', files: head }),
  ]);
  expect(pair.base).toEqual(fullBase);
  expect(pair.head).toEqual(fullHead);
  expect(pair.incremental).toBe(false);
  return { pair, jobs };
}

for (const cacheBytes of [0, undefined]) {
  describe(`replayPair, head not base + appended files, ${cacheBytes === 0 ? 'no cache' : 'cache on'}`, () => {
    let sandbox: ReplaySandbox;
    beforeAll(() => {
      sandbox = new ReplaySandbox({ size: 2, timeoutMs: 1000, cacheBytes, log: () => {} });
    });
    afterAll(async () => {
      await sandbox.close();
    });
    const prefix = cacheBytes === 0 ? 'n' : 'c';

    for (const c of cases(prefix)) {
      it(`matches full replays: ${c.name}`, async () => {
        const { pair, jobs } = await expectFullEquivalent(sandbox, c.base, c.head);
        expect(pair.cached).toBe(false);
        if (c.segments) {
          // One job: the shared files once, then each side's rest.
          expect(jobs.map((j) => j.segments.map((s) => s.length))).toEqual([c.segments]);
          if (c.segments.length === 3) expect(jobs[0].continues).toEqual([-1, 0, 0]);
        } else {
          expect(jobs.every((j) => j.continues === undefined)).toBe(true);
        }
        if (cacheBytes !== 0) {
          // A re-review of the same pair starts from what the first one kept, and still matches.
          const again = await expectFullEquivalent(sandbox, c.base, c.head);
          expect(again.pair.cached).toBe(true);
        }
      });
    }

    it('reports a failure inside the shared files once per side, with its count of further failures', async () => {
      const { pair } = await expectFullEquivalent(sandbox, cases(`${prefix}f`)[0].base, cases(`${prefix}f`)[0].head);
      for (const side of [pair.base, pair.head]) {
        expect(side.failures.filter((f) => f.file === path(`${prefix}fins`, 20))).toEqual([
          expect.objectContaining({ kind: 'sql', line: 4, more: 1 }),
        ]);
      }
    });

    it("attributes a timeout in head's rest to its file:line and replays the rest of head", async () => {
      const name = `${prefix}hang`;
      const base = history(name, 5);
      const pr = prFile(name, 35, `CREATE TABLE ${name}_pr (x);\n\n${HANG}\nCREATE TABLE ${name}_after (x);`);
      const { pair } = await expectFullEquivalent(sandbox, base, [...base.slice(0, 3), pr, ...base.slice(3)]);
      expect(pair.head.failures).toContainEqual(expect.objectContaining({ kind: 'timeout', file: pr.path, line: 3, more: 0 }));
      expect(pair.base.failures.some((f) => f.kind === 'timeout')).toBe(false);
      expect(tableNames(pair.head.schema)).toEqual(expect.arrayContaining([`${name}_after`, `${name}_t5`]));
    });

    it('attributes a timeout inside the shared files to its file:line on both sides', async () => {
      const name = `${prefix}phang`;
      const files = history(name, 5);
      const hang = migration(path(name, 25), `CREATE TABLE ${name}_h (x);\n${HANG}\nCREATE TABLE ${name}_h2 (x);`);
      const base = [...files.slice(0, 2), hang, ...files.slice(2)];
      const head = [...base.slice(0, 4), prFile(name, 35, `CREATE TABLE ${name}_pr (x);`), ...base.slice(4)];
      const { pair, jobs } = await expectFullEquivalent(sandbox, base, head);
      expect(jobs).toHaveLength(2); // the forked job, then once more without the statement
      expect(jobs[1].skip).toEqual([{ segment: 0, file: 2, offset: expect.any(Number) }]);
      for (const side of [pair.base, pair.head]) {
        expect(side.failures).toContainEqual({
          kind: 'timeout',
          file: hang.path,
          line: 2,
          statement: HANG,
          message: expect.stringMatching(/wall-time limit of 1 s/),
          more: 0,
        });
        expect(tableNames(side.schema)).toEqual(expect.arrayContaining([`${name}_h2`, `${name}_t5`]));
      }
    });

    it.runIf(cacheBytes === 0)('replays each side on its own when the shared job stops twice, as full replays do', async () => {
      const name = `${prefix}twice`;
      const files = history(name, 4);
      const hang = (n: number) => migration(path(name, n), `CREATE TABLE ${name}_h${n} (x);\n${HANG}`);
      const base = [files[0], hang(15), files[1], hang(25), ...files.slice(2)];
      const head = [...base.slice(0, 4), prFile(name, 27, `CREATE TABLE ${name}_pr (x);`), ...base.slice(4)];
      const { pair, jobs } = await expectFullEquivalent(sandbox, base, head);
      expect(jobs[0].continues).toEqual([-1, 0, 0]);
      expect(jobs.slice(2).every((j) => j.continues === undefined && j.segments.length === 1)).toBe(true); // then the sides
      expect(pair.head.failures.filter((f) => f.kind === 'timeout').map((f) => f.file)).toEqual([hang(15).path, hang(25).path]);
    });
  });
}

describe('replayPair from a kept database, head not base + appended files', () => {
  it("shares the files after a previous review's base, restoring that base once", async () => {
    const sandbox = new ReplaySandbox({ size: 2, log: () => {} });
    try {
      const all = history('kept', 11);
      const earlier = all.slice(0, 6);
      await sandbox.replayPair({ database: 'k', dialect: 'sqlite', base: earlier, head: earlier });
      // Main moved on by five files; the PR's file sorts before main's last one.
      const base = all;
      const head = [...all.slice(0, 10), prFile('kept', 105, 'CREATE TABLE kept_pr (x);'), all[10]];
      const { value: pair, jobs } = await jobsOf(sandbox, () => sandbox.replayPair({ database: 'k', dialect: 'sqlite', base, head }));
      expect(pair).toMatchObject({ incremental: false, cached: true });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ restore: expect.any(String), continues: [-1, 0, 0] });
      expect(jobs[0].segments.map((s) => s.length)).toEqual([4, 1, 2]);
      const [fullBase, fullHead] = await Promise.all([
        sandbox.replay({ database: 'k', dialect: 'sqlite', files: base }),
        sandbox.replay({ database: 'k', dialect: 'sqlite', files: head }),
      ]);
      expect(pair.base).toEqual(fullBase);
      expect(pair.head).toEqual(fullHead);
      // Both ends are kept: the same review again runs nothing.
      const again = await jobsOf(sandbox, () => sandbox.replayPair({ database: 'k', dialect: 'sqlite', base, head }));
      expect(again.jobs).toHaveLength(0);
      expect(again.value.base).toEqual(fullBase);
      expect(again.value.head).toEqual(fullHead);
    } finally {
      await sandbox.close();
    }
  });
});
