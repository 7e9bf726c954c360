// Where a stopped or dead child's failure points, what an empty side keeps, launchPlan's timer, and what the pool's
// options do (its size, its log, its cache budget, its folder).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../src/replay/protocol.js';
import { commonPrefix, ReplaySandbox, withSandbox } from '../../src/replay/sandbox.js';
import { fakeChildPlans, recordingSandbox, type FakeChildScenario } from './fake-child-plan.js';
import { migration, tableNames } from './migration-files.js';

const HANG = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;';

async function replayOnFake(scenario: FakeChildScenario, files = [migration('m/0001.sql', 'CREATE TABLE a (x);\nCREATE TABLE b (x);')]) {
  const s = new ReplaySandbox({ size: 1, log: () => {}, launchPlans: fakeChildPlans(scenario) });
  try {
    return await s.replay({ database: 'f', dialect: 'sqlite', files });
  } finally {
    await s.close();
  }
}

/** The live processes with `tag` among their arguments (the fake children of one sandbox). */
function pidsTagged(tag: string): string[] {
  return readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(tag);
    } catch {
      return false; // gone meanwhile
    }
  });
}

describe('ReplaySandbox options (mutants)', () => {
  it.each([
    [3, 3],
    [1, 1],
    [0, 1],
    [undefined, availableParallelism()],
  ])('with size %s, runs %i children', async (size, expected) => {
    const tag = `pool-${randomUUID()}`;
    const s = new ReplaySandbox({ size, log: () => {}, launchPlans: fakeChildPlans('error', tag) });
    try {
      await s.launchPlan; // by then the pool is filled (the children are spawned, not necessarily ready)
      expect(pidsTagged(tag).length).toBe(expected);
    } finally {
      await s.close();
    }
    expect(pidsTagged(tag).length).toBe(0);
  }, 20_000);

  it('says a weaker sandbox on stderr, as one line, when it is given no log', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const s = new ReplaySandbox({ size: 1, launchPlans: fakeChildPlans('error') });
    try {
      await s.launchPlan;
    } finally {
      spy.mockRestore();
      await s.close();
    }
    expect(written).toContain('sandbox runs without network, processes, user, limits\n');
  }, 20_000);

  it('is best-effort unless told strict', async () => {
    const plain = new ReplaySandbox({ size: 1, log: () => {} });
    const strict = new ReplaySandbox({ size: 1, log: () => {}, isolation: 'strict' });
    try {
      expect([plain.mode, strict.mode]).toEqual(['best-effort', 'strict']);
    } finally {
      await Promise.all([plain.close(), strict.close()]);
    }
  }, 20_000);

  it('names its folder so that a later Safari sweeps it after a crash, and removes it when the process exits unclosed', async () => {
    const before = new Set(process.listeners('exit'));
    const s = new ReplaySandbox({ size: 1, log: () => {} });
    const dir = s.workingDirectory;
    try {
      // temp-folders.ts sweeps `safari-<replay|schema>-<pid>-…` of processes that are gone, and nothing else.
      expect(basename(dir)).toMatch(new RegExp(`^safari-replay-${process.pid}-`));
      const added = process.listeners('exit').filter((l) => !before.has(l));
      expect(added).toHaveLength(1);
      (added[0] as () => void)();
      expect(existsSync(dir)).toBe(false);
    } finally {
      await s.close();
    }
    expect(process.listeners('exit').filter((l) => !before.has(l))).toEqual([]);
  }, 20_000);

  it('closes for good: its children are gone when close() resolves, none restarts, later replays are refused', async () => {
    const tag = `close-${randomUUID()}`;
    const s = new ReplaySandbox({ size: 2, log: () => {}, launchPlans: fakeChildPlans('error', tag) });
    await s.launchPlan;
    const pids = pidsTagged(tag);
    expect(pids).toHaveLength(2);
    rmSync(s.workingDirectory, { recursive: true }); // someone cleaned the temp folder meanwhile
    await s.close();
    // Reaped, not just signalled: kill(pid, 0) fails only once the process is gone for good.
    for (const pid of pids) expect(() => process.kill(Number(pid), 0)).toThrow();
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(pidsTagged(tag).length).toBe(0);
    const after = await s.replay({ database: 'c', dialect: 'sqlite', files: [migration('m/0001.sql', 'CREATE TABLE a (x);')] });
    expect(after.failures).toEqual([
      { kind: 'crashed', file: 'm/0001.sql', line: 1, statement: '(starting the replay)', message: 'the replay sandbox was closed', more: 0 },
    ]);
    // A job without files names none.
    expect((await s.replay({ database: 'e', dialect: 'sqlite', files: [] })).failures).toEqual([
      { kind: 'crashed', file: '', line: 1, statement: '', message: 'the replay sandbox was closed', more: 0 },
    ]);
    await s.close(); // twice is fine
  }, 20_000);

  it('answers a job still queued when it is closed', async () => {
    const { sandbox: s, lines, close } = recordingSandbox({ flags: ['silent'] });
    try {
      await s.launchPlan;
      const running = s.replay({ database: 'r', dialect: 'sqlite', files: [migration('m/0001.sql', 'CREATE TABLE a (x);')] });
      const queued = s.replay({ database: 'q', dialect: 'sqlite', files: [migration('m/0002.sql', 'CREATE TABLE b (x);')] });
      // Wait until the child has read the first job (it never answers), so the second one is queued.
      while (!lines().some((line) => 'id' in line)) await new Promise((resolve) => setTimeout(resolve, 20));
      await s.close();
      expect((await running).failures).toEqual([expect.objectContaining({ kind: 'crashed', file: 'm/0001.sql', message: 'the sandbox process died (killed by SIGKILL)' })]);
      expect((await queued).failures).toEqual([
        { kind: 'crashed', file: 'm/0002.sql', line: 1, statement: '(starting the replay)', message: 'the replay sandbox was closed', more: 0 },
      ]);
    } finally {
      await close();
    }
  }, 20_000);

  describe('with children that record what they are asked', () => {
    const a = migration('m/0001.sql', 'CREATE TABLE a (x);');
    const b = migration('m/0002.sql', 'CREATE TABLE b (x);');
    const c = migration('m/0001.sql', 'CREATE TABLE c (x);');
    const jobs = (lines: ReturnType<typeof recordingSandbox>['lines']) => lines().filter((line): line is Job => 'id' in line);

    it.each([
      [0, false],
      [undefined, true],
    ])('with a cache budget of %s bytes, asks a child to keep a base: %s', async (cacheBytes, keeps) => {
      const { sandbox: s, lines, close } = recordingSandbox({ cacheBytes });
      try {
        const pair = await s.replayPair({ database: 'k', dialect: 'sqlite', base: [a], head: [a, b] });
        expect([pair.base.migrations, pair.head.migrations]).toEqual([1, 2]);
        expect(jobs(lines).some((job) => job.keep)).toBe(keeps);
        expect(s.cacheUsage.entries).toBe(keeps ? 1 : 0);
      } finally {
        await close();
      }
    }, 20_000);

    it('lets the child free a database the cache evicts', async () => {
      // Room for one kept database (the recorder says 1000 bytes each).
      const { sandbox: s, lines, forgotten, close } = recordingSandbox({ cacheBytes: 1500 });
      try {
        await s.replayPair({ database: 'e', dialect: 'sqlite', base: [a], head: [a, b] });
        await s.replayPair({ database: 'e', dialect: 'sqlite', base: [c], head: [c, b] });
        await s.replay({ database: 'e', dialect: 'sqlite', files: [a] }); // read after the forget, if one was sent
        const [first, second] = jobs(lines).flatMap((job) => (job.keep ? [job.keep[0].slot] : []));
        expect(forgotten()).toEqual([first]);
        expect(second).toBeDefined();
        expect(s.cacheUsage).toEqual({ entries: 1, bytes: 1000 });
      } finally {
        await close();
      }
    }, 20_000);
  });
});

describe('ReplaySandbox (mutants)', () => {
  it('blames a child that dies while reading the schema back on the last file, saying so', async () => {
    const r = await replayOnFake('schema-crash');
    expect(r.failures).toEqual([
      {
        kind: 'crashed',
        file: 'm/0001.sql',
        line: 1,
        statement: '(reading the schema back from SQLite)',
        message: 'the sandbox process died (exited with code 3)',
        more: 0,
      },
    ]);
    expect(r.unreplayed).toEqual([]); // every statement ran
  }, 20_000);

  it('lists the files after the statement a child stopped in twice as never replayed', async () => {
    const files = ['m/0001.sql', 'm/0002.sql', 'm/0003.sql'].map((path) => migration(path, 'CREATE TABLE a (x);'));
    const r = await replayOnFake('bogus-offset', files); // it dies in file 0 of segment 0, skipped or not
    expect(r.failures.map((f) => f.file)).toEqual(['m/0001.sql', 'm/0001.sql']);
    expect(r.unreplayed).toEqual(['m/0002.sql', 'm/0003.sql']);
  }, 20_000);

  it('falls back to line 1 when a child reports a statement offset the file does not have', async () => {
    const r = await replayOnFake('bogus-offset');
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => [f.kind, f.file, f.line, f.statement])).toContainEqual(['crashed', 'm/0001.sql', 1, '']);
    expect(r.failures.every((f) => f.line === 1 && f.statement === '')).toBe(true);
  }, 20_000);

  it('keeps no timer running once the launch plan is known', async () => {
    // A left-over interval would keep the CLI's process alive after the review.
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const s = new ReplaySandbox({ size: 1, log: () => {} });
    try {
      expect((await s.launchPlan).name).toBeTruthy();
      const settled = timers();
      await s.launchPlan;
      await s.launchPlan;
      expect(timers()).toBe(settled);
    } finally {
      await s.close();
    }
  }, 20_000);

  it('holds the process open while a job waits for a child, and lets it go once no job does', async () => {
    // The children are unref'd; a job's own timer holds the process only while the job runs.
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const { sandbox: s, close } = recordingSandbox({ flags: ['retire'] });
    try {
      await s.launchPlan;
      const idle = timers();
      const first = s.replay({ database: 'f', dialect: 'sqlite', files: [migration('m/0001.sql', 'CREATE TABLE a (x);')] });
      expect(timers()).toBe(idle + 2); // the job's timer, and the pool's hold
      const second = s.replay({ database: 's', dialect: 'sqlite', files: [migration('m/0002.sql', 'CREATE TABLE b (x);')] });
      expect(timers()).toBe(idle + 2); // still one hold for both jobs
      await first;
      // The child retired after the first job: the second waits for its successor, held by the pool alone.
      expect(timers()).toBe(idle + 1);
      expect((await second).ok).toBe(true);
      expect(timers()).toBe(idle);
    } finally {
      await close();
    }
  }, 20_000);

  it('replays nothing for, and keeps nothing of, a base without migrations', async () => {
    const s = new ReplaySandbox({ size: 1, log: () => {} });
    try {
      const head = [migration('m/0001.sql', 'CREATE TABLE a (x);')];
      const pair = await s.replayPair({ database: 'n', dialect: 'sqlite', base: [], head });
      expect(pair.base).toMatchObject({ ok: true, migrations: 0, statements: 0 });
      expect(tableNames(pair.head.schema)).toEqual(['a']);
      expect(s.cacheUsage.entries).toBe(0); // an appending head is never kept, and there is no base to keep
    } finally {
      await s.close();
    }
  }, 20_000);

  describe('with a 1 s wall-time limit', () => {
    let fast: ReplaySandbox;
    beforeAll(() => {
      fast = new ReplaySandbox({ size: 1, timeoutMs: 1000, log: () => {} });
    });
    afterAll(async () => {
      await fast.close();
    });
    // A child answers jobs only after its warm-up, which a loaded machine can stretch past 1 s: wait for a warm one,
    // so that the hang, not the warm-up, is what the limit stops.
    async function warm(): Promise<void> {
      for (let i = 0; i < 10; i++) {
        const r = await fast.replay({ database: 'warm', dialect: 'sqlite', files: [migration('m/0001.sql', 'SELECT 1;')] });
        if (r.ok) return;
      }
    }

    it('points a hang in a drizzle file at its statement, after a chunk without a semicolon', async () => {
      await warm();
      const file = migration('drizzle/0000_x.sql', `CREATE TABLE a (x)\n--> statement-breakpoint\n${HANG}`, 'drizzle');
      const r = await fast.replay({ database: 'd', dialect: 'sqlite', files: [file] });
      expect(r.failures).toEqual([expect.objectContaining({ kind: 'timeout', file: 'drizzle/0000_x.sql', line: 3, statement: HANG })]);
      expect(tableNames(r.schema)).toEqual(['a']);
    }, 40_000);

    it('points a hang in an SQL file at its statement, after a string that spells a drizzle breakpoint', async () => {
      await warm();
      const file = migration('m/0001.sql', `CREATE TABLE t (s TEXT);\nINSERT INTO t VALUES ('--> statement-breakpoint');\n${HANG}`);
      const r = await fast.replay({ database: 'w', dialect: 'sqlite', files: [file] });
      expect(r.failures).toEqual([expect.objectContaining({ kind: 'timeout', file: 'm/0001.sql', line: 3, statement: HANG })]);
    }, 40_000);
  });
});

describe('the pool when a child goes (mutants)', () => {
  const file = (name: string) => migration(`m/${name}.sql`, `CREATE TABLE t_${name} (x);`);
  const [a, p, z] = ['0001_a', '0001_p', '0004_z'].map(file);
  const pair = (s: ReplaySandbox, files: ReturnType<typeof file>[]) => s.replayPair({ database: 'db', dialect: 'sqlite', base: files, head: files });

  it("forgets what a child kept once it is gone (a pinned job would only learn it the slow way, and its bytes would hold the budget)", async () => {
    const rec = recordingSandbox({ flags: ['dies-in=0004_z'] });
    try {
      await pair(rec.sandbox, [a]);
      expect(rec.sandbox.cacheUsage).toEqual({ entries: 1, bytes: 1000 });
      await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [z] }); // the child dies; the retry runs on its successor
      expect(rec.sandbox.cacheUsage).toEqual({ entries: 0, bytes: 0 });
    } finally {
      await rec.close();
    }
  }, 20_000);

  it('keeps what the other children keep when one goes', async () => {
    const rec = recordingSandbox({ size: 2, flags: ['dies-in=0004_z', 'slow-in=0001_p'] });
    try {
      await pair(rec.sandbox, [a]); // on the first child
      await vi.waitFor(() => expect(rec.lines().filter((line) => 'started' in line)).toHaveLength(2), { timeout: 10_000 });
      // p's job goes to the first child, idle and first in line, which answers it 2 s late: z's job goes to the other.
      await Promise.all([pair(rec.sandbox, [p]), rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [z] })]);
      expect(rec.sandbox.cacheUsage.entries).toBe(2); // a and p, on the first child, which never died
    } finally {
      await rec.close();
    }
  }, 20_000);
});

describe('closing before the launch plan is known', () => {
  it('leaves no child running and takes no weaker plan: the first plan did not fail, close() stopped it', async () => {
    const tag = `early-${randomUUID()}`;
    const plans = fakeChildPlans('error', tag)()[0];
    const logs: string[] = [];
    const s = new ReplaySandbox({ size: 2, log: (line) => logs.push(line), launchPlans: () => [plans, { ...plans, name: 'partial' }] });
    await s.close(); // the first plan's child is still starting
    await expect(s.launchPlan).rejects.toThrow('the replay sandbox was closed');
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second plan's child would be up by now
    expect(pidsTagged(tag)).toEqual([]);
    expect(logs).toEqual([]);
  }, 20_000);
});

describe('withSandbox (mutants)', () => {
  it('closes the sandbox after the function, which then answers nothing but "closed"', async () => {
    let kept: ReplaySandbox | undefined;
    const value = await withSandbox(
      async (s) => {
        kept = s;
        return 42;
      },
      { size: 1, log: () => {}, launchPlans: fakeChildPlans('error') },
    );
    expect(value).toBe(42);
    const r = await kept!.replay({ database: 'db', dialect: 'sqlite', files: [migration('m/0001.sql', 'SELECT 1;')] });
    expect(r.failures).toEqual([expect.objectContaining({ message: 'the replay sandbox was closed' })]);
  });
});

describe('commonPrefix (mutants)', () => {
  const f = (path: string, content = 'x', applier: 'wrangler' | 'drizzle' = 'wrangler') => ({ path, content, applier });
  it('counts the first files both histories share: the same path, applier and content, in order', () => {
    expect(commonPrefix([f('a'), f('b')], [f('a'), f('b'), f('c')])).toBe(2);
    expect(commonPrefix([f('a'), f('b')], [f('a'), f('c')])).toBe(1); // another path
    expect(commonPrefix([f('a'), f('b')], [f('a'), f('b', 'x', 'drizzle')])).toBe(1); // another applier
    expect(commonPrefix([f('a'), f('b')], [f('a'), f('b', 'y')])).toBe(1); // another content
    expect(commonPrefix([], [f('a')])).toBe(0);
  });
});
