// Every hostile case of issue §3: each becomes a ReplayFailure at file:line, no file appears, the pool recovers.
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import type { ReplayResult } from '../../src/replay/types.js';
import { migration, tableNames } from './migration-files.js';

const tag = `safari-evil-${process.pid}-${Date.now()}`;
const named = join(tmpdir(), `${tag}-abs.db`);
let sandbox: ReplaySandbox;
const logs: string[] = [];

beforeAll(() => {
  sandbox = new ReplaySandbox({ size: 2, log: (l) => logs.push(l) });
});
afterAll(async () => {
  await sandbox.close();
});

/** Replays `sql` as the second file (after a harmless first one) and returns the result. */
async function replayHostile(sql: string, s = sandbox): Promise<ReplayResult> {
  return s.replay({
    database: 'hostile',
    dialect: 'sqlite',
    files: [
      migration('db/migrations/0001_init.sql', 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n'),
      migration('db/migrations/0002_evil.sql', `-- looks innocent\nCREATE TABLE before_evil (x);\n${sql}\nCREATE TABLE after_evil (x);\n`),
    ],
  });
}

function expectNoFileCreated(s = sandbox): void {
  expect(readdirSync(s.workingDirectory)).toEqual([]);
  for (const dir of [process.cwd(), tmpdir(), s.workingDirectory]) {
    expect(readdirSync(dir).filter((name) => name.startsWith(tag))).toEqual([]);
  }
  expect(existsSync(named)).toBe(false);
}

/** The hostile statement failed at line 3 of the second file, and the statements around it still ran. */
function expectFailureAtLine3(r: ReplayResult, kind: string, message: RegExp): void {
  expect(r.ok).toBe(false);
  expect(r.failures).toHaveLength(1);
  expect(r.failures[0]).toMatchObject({ kind, file: 'db/migrations/0002_evil.sql', line: 3, more: 0 });
  expect(r.failures[0].message).toMatch(message);
  expect(tableNames(r.schema)).toEqual(['after_evil', 'before_evil', 'users']);
}

describe('hostile SQL in the sandbox', () => {
  it('runs its children under the full plan on this machine (CI: SAFARI_EXPECT_PLAN), and only a weaker one is logged', async () => {
    const plan = await sandbox.launchPlan;
    expect(plan.name).toBe(process.env.SAFARI_EXPECT_PLAN ?? 'full');
    expect(logs).toEqual(plan.missing.length ? [expect.stringMatching(/^sandbox runs without /)] : []);
  });

  it('under strict isolation, runs nothing on a weaker plan and answers "sandbox unavailable"', async () => {
    const weak = (await sandbox.launchPlan).missing.length ? await sandbox.launchPlan : { ...(await sandbox.launchPlan), name: 'partial' as const, missing: ['network' as const], protections: ['processes' as const, 'user' as const, 'limits' as const] };
    const strict = new ReplaySandbox({ size: 1, isolation: 'strict', log: () => {}, launchPlans: () => [weak] });
    try {
      const r = await replayHostile('SELECT 1;', strict);
      expect(r.ok).toBe(false);
      expect(r.failures[0]).toMatchObject({ kind: 'crashed', statement: '(starting the replay)' });
      expect(r.failures[0].message).toMatch(/sandbox unavailable: this machine cannot give the sandbox no network/);
      expect(r.statements).toBe(0);
    } finally {
      await strict.close();
    }
  });

  it.each([
    ['ATTACH with a relative path', `ATTACH DATABASE '${tag}-rel.db' AS evil;`],
    ['ATTACH with an absolute path', `ATTACH '${named}' AS evil;`],
    ['ATTACH hidden behind a comment', `/*x*/ATTACH '${named}' AS evil;`],
    ['VACUUM INTO', `VACUUM INTO '${named}';`],
    ['VACUUM INTO a relative path', `VACUUM INTO '${tag}-vac.db';`],
  ])('refuses %s and creates no file', async (_name, sql) => {
    const r = await replayHostile(sql);
    expectFailureAtLine3(r, 'refused', /not allowed/);
    expect(r.failures[0].statement).toBe(sql.replace('/*x*/', ''));
    expectNoFileCreated();
  });

  it('refuses PRAGMA writable_schema', async () => {
    const r = await replayHostile('PRAGMA writable_schema = 1;');
    expectFailureAtLine3(r, 'refused', /writable_schema/);
  });

  it('refuses raising max_page_count, and its own page cap then stops a big insert cleanly', async () => {
    const r = await replayHostile(
      [
        'PRAGMA max_page_count = 2147483647;',
        'CREATE TABLE blob_store (b BLOB);',
        'INSERT INTO blob_store WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c LIMIT 400) SELECT randomblob(1000000) FROM c;',
      ].join('\n'),
    );
    expect(r.ok).toBe(false);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ kind: 'refused', line: 3, more: 1 });
    expect(tableNames(r.schema)).toEqual(['after_evil', 'before_evil', 'blob_store', 'users']);
    expectNoFileCreated();
  });

  it('stops a big insert at its own page cap with a memory failure', async () => {
    const r = await replayHostile(
      'INSERT INTO before_evil WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c LIMIT 400) SELECT randomblob(1000000) FROM c;',
    );
    expectFailureAtLine3(r, 'memory', /full/);
    expectNoFileCreated();
  });

  it.each([
    ["SELECT load_extension('/usr/lib/evil.so');"],
    ["SELECT \"load_extension\"('/usr/lib/evil.so');"],
    ["SELECT [load_extension]('/usr/lib/evil.so');"],
    ["SELECT `LOAD_EXTENSION`('/usr/lib/evil.so');"],
  ])('refuses %s', async (sql) => {
    const r = await replayHostile(sql);
    expectFailureAtLine3(r, 'refused', /load_extension/);
  });

  it('turns a huge allocation into a clean memory failure, creates no file, and keeps serving', async () => {
    const r = await replayHostile(
      'SELECT randomblob(400000000), randomblob(400000000), randomblob(400000000), randomblob(400000000);',
    );
    expectFailureAtLine3(r, 'memory', /memory|too big/);
    expectNoFileCreated();
    const next = await replayHostile('SELECT length(zeroblob(900000000) || zeroblob(900000000));');
    expectFailureAtLine3(next, 'memory', /too big/);
    const clean = await replayHostile('SELECT 1;');
    expect(clean.ok).toBe(true);
  });

  describe('with a 1 s wall-time limit', () => {
    let fast: ReplaySandbox;
    beforeAll(() => {
      fast = new ReplaySandbox({ size: 1, timeoutMs: 1000, log: () => {} });
    });
    afterAll(async () => {
      await fast.close();
    });

    it('stops an infinite recursive CTE with a timeout at its file:line, replays the rest, and recovers', async () => {
      const sql = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;';
      const r = await replayHostile(sql, fast);
      expectFailureAtLine3(r, 'timeout', /wall-time limit of 1 s/);
      expect(r.failures[0].statement).toBe(sql);
      expectNoFileCreated(fast);
      const next = await replayHostile('SELECT 1;', fast);
      expect(next.ok).toBe(true);
      expect(tableNames(next.schema)).toEqual(['after_evil', 'before_evil', 'users']);
    });

    it('blames a hang in an appended file on that file only, keeping base intact', async () => {
      const base = [migration('db/migrations/0001_init.sql', 'CREATE TABLE users (id INTEGER PRIMARY KEY);')];
      const pr = migration(
        'db/migrations/0002_pr.sql',
        'CREATE TABLE a (x);\n\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT max(x) FROM c;\nCREATE TABLE b (x);',
      );
      const pair = await fast.replayPair({ database: 'hostile', dialect: 'd1', base, head: [...base, pr] });
      expect(pair.base.ok).toBe(true);
      expect(pair.head.failures).toEqual([expect.objectContaining({ kind: 'timeout', file: 'db/migrations/0002_pr.sql', line: 3 })]);
      expect(tableNames(pair.head.schema)).toEqual(['a', 'b', 'users']);
    });

    it('reports a hang in full even after an earlier failure in the same file', async () => {
      const base = [migration('db/migrations/0001_init.sql', 'CREATE TABLE users (id INTEGER PRIMARY KEY);')];
      const pr = migration(
        'db/migrations/0002_pr.sql',
        'CREATE INDEX users_name ON users(name);\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT max(x) FROM c;\n',
      );
      const pair = await fast.replayPair({ database: 'hostile', dialect: 'd1', base, head: [...base, pr] });
      expect(pair.head.failures.map((f) => [f.kind, f.line, f.more])).toEqual([
        ['sql', 1, 0],
        ['timeout', 2, 0],
      ]);
    });
  });
});
