// The review runs in a worker the server can stop: a review past its deadline is killed with its whole process group
// (sandbox children included) and the next review gets a fresh worker; a crash is a clear error, not a hung check.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ReviewFailedError, ReviewTimeoutError, ReviewWorkers } from '../../src/github/review-workers.js';
import { memoryTree } from '../helpers/memory-tree.js';

const STUCK = new URL('./helpers/stuck-worker.mjs', import.meta.url).pathname;
/** Running (a killed process whose parent is gone may linger as a zombie until reaped: that is not running). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

let workers: ReviewWorkers | undefined;
afterEach(async () => {
  await workers?.close();
  workers = undefined;
});

const shape = { baseId: 'b', headId: 'h', baseSha: 'b', headSha: 'h', mergeBaseSha: 'b', changes: [], conflicts: [], origin: 'same-repo' as const };

function stuckReview(w: ReviewWorkers) {
  let grandchild = 0;
  const tree = memoryTree({});
  const head = { ...tree, read: async (paths: string[]) => ((grandchild = Number(paths[0].slice(4))), tree.read(paths)) };
  return { run: w.review({ ...shape, base: tree, head }, { evaluateSchema: false, acknowledgements: [] }), grandchild: () => grandchild };
}

describe('ReviewWorkers', () => {
  it('stops a review at the deadline, from outside its event loop, with its process group, and carries on', async () => {
    workers = new ReviewWorkers({ size: 1, deadlineMs: 1500, script: STUCK });
    const first = stuckReview(workers);
    await expect(first.run).rejects.toBeInstanceOf(ReviewTimeoutError);
    await new Promise((r) => setTimeout(r, 200));
    expect(first.grandchild()).toBeGreaterThan(0);
    expect(alive(first.grandchild())).toBe(false);
    // A fresh worker takes the next review.
    const second = stuckReview(workers);
    await expect(second.run).rejects.toBeInstanceOf(ReviewTimeoutError);
    expect(second.grandchild()).not.toBe(first.grandchild());
  });

  it('a worker that dies mid-review fails that review clearly', async () => {
    process.env.SAFARI_TEST_STUCK_MODE = 'crash';
    try {
      workers = new ReviewWorkers({ size: 1, deadlineMs: 30_000, script: STUCK });
      await expect(stuckReview(workers).run).rejects.toThrow(ReviewFailedError);
      await expect(stuckReview(workers).run).rejects.toThrow(/ended unexpectedly \(exit 7\)/);
    } finally {
      delete process.env.SAFARI_TEST_STUCK_MODE;
    }
  });

  it('runs the real core review on files served over IPC', async () => {
    workers = new ReviewWorkers({ size: 1 });
    const base = memoryTree({ 'migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n' }, 'base');
    const head = memoryTree({ 'migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n', 'migrations/0002_b.sql': 'CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));\n' }, 'head');
    const { result, diagrams, isolation } = await workers.review(
      { ...shape, base, head, changes: [{ path: 'migrations/0002_b.sql', status: 'added' }] },
      { evaluateSchema: false, acknowledgements: [] },
    );
    expect(result.databases[0].delta.tablesAdded).toEqual(['b']);
    expect(Object.values(diagrams)[0]).toContain('a ||--o{ b');
    expect(isolation).toMatch(/^(full|no-network|limits-only|plain)$/);
    expect(head.reads.flat()).toContain('migrations/0002_b.sql');
  });

  it('keeps texts by blob SHA: a second review of the same files sends none of them again, a changed one only', async () => {
    workers = new ReviewWorkers({ size: 1 });
    const v1 = { 'migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n' };
    const v2 = { ...v1, 'migrations/0002_b.sql': 'CREATE TABLE b (id INTEGER PRIMARY KEY);\n' };
    // Keyed like the API's trees: a text's name is a hash of its content.
    const keyed = (files: Record<string, string>, id: string) => {
      const tree = memoryTree(files, id);
      return { ...tree, shas: (paths: string[]) => new Map(paths.map((p) => [p, files[p] && createHash('sha1').update(files[p]).digest('hex')])) };
    };
    const run = (base: ReturnType<typeof keyed>, head: ReturnType<typeof keyed>) =>
      workers!.review({ ...shape, base, head, changes: [{ path: 'migrations/0002_b.sql', status: 'added' }] }, { evaluateSchema: false, acknowledgements: [] });
    const [b1, h1] = [keyed(v1, 'b1'), keyed(v2, 'h1')];
    expect((await run(b1, h1)).result.databases[0].delta.tablesAdded).toEqual(['b']);
    expect([...b1.reads.flat(), ...h1.reads.flat()].filter((p) => p.endsWith('.sql')).sort()).toEqual(['migrations/0001_init.sql', 'migrations/0002_b.sql']);

    const [b2, h2] = [keyed(v1, 'b2'), keyed(v2, 'h2')];
    expect((await run(b2, h2)).result.databases[0].delta.tablesAdded).toEqual(['b']);
    expect([...b2.reads.flat(), ...h2.reads.flat()].filter((p) => p.endsWith('.sql'))).toEqual([]);

    const v3 = { ...v2, 'migrations/0002_b.sql': 'CREATE TABLE b (id INTEGER PRIMARY KEY, note TEXT);\n' };
    const [b3, h3] = [keyed(v1, 'b3'), keyed(v3, 'h3')];
    const third = await run(b3, h3);
    expect(third.result.databases[0].delta.tablesAdded).toEqual(['b']);
    expect([...b3.reads.flat(), ...h3.reads.flat()].filter((p) => p.endsWith('.sql'))).toEqual(['migrations/0002_b.sql']);
  });
});

describe('workerEnvironment', () => {
  it("never hands the App's credentials to a review worker", async () => {
    const { workerEnvironment } = await import('../../src/github/review-workers.js');
    const env = workerEnvironment({ PATH: '/bin', PRIVATE_KEY: 'k', PRIVATE_KEY_PATH: '/k.pem', WEBHOOK_SECRET: 's', GITHUB_TOKEN: 't', APP_ID: '1', SAFARI_ISOLATION: 'strict' });
    expect(env).toEqual({ PATH: '/bin', SAFARI_ISOLATION: 'strict' });
  });
});
