// Where a stopped or dead child's failure points, what an empty side keeps, and launchPlan's timer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { fakeChildPlans, type FakeChildScenario } from './fake-child-plan.js';
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
