// What replayPair asks its children to do for each shape of a pair: which files run in which job, what is restored,
// what is kept, what is let go. The children here are recorders (test/replay/fake-child.mjs): they log every line and
// answer an empty schema, so these tests see the plan; the real replays' results are checked in replay-pair,
// replay-fork and replay-cache. A wrong plan gives right answers at a wrong cost, or (a database kept under another
// history's key) a wrong answer on the next review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationFile } from '../../src/discover/types.js';
import type { Job } from '../../src/replay/protocol.js';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { recordingSandboxPerTest } from './fake-child-plan.js';
import { migration, tableNames } from './migration-files.js';

const file = (name: string) => migration(`m/${name}.sql`, `CREATE TABLE t_${name} (x);`);
const [a, b, c, d, x, y, z] = ['0001_a', '0002_b', '0003_c', '0004_d', '0002_x', '0003_y', '0004_z'].map(file);
const [p, q, r] = ['0001_p', '0002_q', '0003_r'].map(file);
const drizzle = (name: string) => migration(`drizzle/${name}.sql`, `CREATE TABLE t_${name} (x);`, 'drizzle');

/** A job as the child read it, in short: file names per segment, `segment:slot` per kept database. */
interface Sent {
  segments: string[][];
  restore?: string;
  keep?: string[];
  continues?: number[];
  engine?: string;
  skip?: string[];
}

const recordingSandbox = recordingSandboxPerTest();

/** A one-child sandbox of recorders (misbehaving as `flags` say), and the jobs they read since the last call. */
function recording(options: Parameters<typeof recordingSandbox>[0] = {}) {
  const rec = recordingSandbox(options);
  let seen = 0;
  return {
    ...rec,
    pair: (base: MigrationFile[], head: MigrationFile[], engine?: 'libsql') =>
      rec.sandbox.replayPair({ database: 'db', dialect: 'sqlite', base, head, ...(engine ? { engine } : {}) }),
    /** The jobs read since the last call. */
    jobs(): Sent[] {
      const all = rec.lines().filter((line): line is Job => 'id' in line);
      const fresh = all.slice(seen);
      seen = all.length;
      return fresh.map((job) => ({
        segments: job.segments.map((files) => files.map((f) => f.path.replace(/^.*\//, '').slice(0, -4))),
        ...(job.restore ? { restore: job.restore } : {}),
        ...(job.keep ? { keep: job.keep.map((k) => `${k.segment}:${k.slot}`) } : {}),
        ...(job.continues ? { continues: job.continues } : {}),
        ...(job.engine ? { engine: job.engine } : {}),
        ...(job.skip?.length ? { skip: job.skip.map((k) => `${k.segment}:${k.file}:${k.offset}`) } : {}),
      }));
    },
  };
}

describe('replayPair plans: head = base + appended files', () => {
  it('runs base and the appended files in one job, keeps base, and on a re-review runs only the appended files', async () => {
    const rec = recording();
    const first = await rec.pair([a], [a, b]);
    expect(rec.jobs()).toEqual([{ segments: [['0001_a'], ['0002_b']], keep: ['0:s1'] }]);
    expect(first).toMatchObject({ incremental: true, cached: false, base: { migrations: 1 }, head: { migrations: 2 } });

    const again = await rec.pair([a], [a, b]);
    expect(rec.jobs()).toEqual([{ restore: 's1', segments: [['0002_b']] }]); // base comes from the cache as it is
    expect(again).toMatchObject({ incremental: true, cached: true, base: { migrations: 1 }, head: { migrations: 2 } });
  });

  it('runs a head equal to base once, without an empty segment, and continues a kept base with base files only', async () => {
    const rec = recording();
    const same = await rec.pair([a], [a]);
    expect(rec.jobs()).toEqual([{ segments: [['0001_a']], keep: ['0:s1'] }]);
    expect([same.base.migrations, same.head.migrations]).toEqual([1, 1]);
    expect(same.head).not.toBe(same.base);

    await rec.pair([a, b], [a, b]);
    expect(rec.jobs()).toEqual([{ restore: 's1', segments: [['0002_b']], keep: ['0:s2'] }]);
  });

  it('continues the head from a longer kept head, and still keeps the base it replays', async () => {
    const rec = recording();
    await rec.pair([a, x], [a, b]); // forked: keeps base [a, x] (s1) and head [a, b] (s2)
    expect(rec.jobs()).toEqual([{ segments: [['0001_a'], ['0002_x'], ['0002_b']], continues: [-1, 0, 0], keep: ['1:s1', '2:s2'] }]);

    const next = await rec.pair([a], [a, b, c]);
    expect(rec.jobs()).toEqual([
      { segments: [['0001_a']], keep: ['0:s3'] },
      { restore: 's2', segments: [['0003_c']] },
    ]);
    expect(next).toMatchObject({ incremental: true, cached: true, base: { migrations: 1 }, head: { migrations: 3 } });
    expect(rec.sandbox.cacheUsage.entries).toBe(3);
  });

  it("never keeps one side's database under the other side's history (sides that share no file)", async () => {
    const rec = recording();
    await rec.pair([a, b], [p, q, r]);
    expect(rec.jobs()).toEqual([
      { segments: [['0001_a', '0002_b']], keep: ['0:s1'] },
      { segments: [['0001_p', '0002_q', '0003_r']], keep: ['0:s2'] },
    ]);
    // [p, q] was never replayed on its own: nothing kept may stand for it.
    const next = await rec.pair([p, q], [p, q]);
    expect(rec.jobs()).toEqual([{ segments: [['0001_p', '0002_q']], keep: ['0:s3'] }]);
    expect(next.cached).toBe(false);
  });
});

describe('replayPair plans: head is not base + appended files', () => {
  it('forks when the shared files are at least the shorter rest', async () => {
    for (const [base, head] of [
      [[a, x], [a, b, c]],
      [[a, x], [a, b, c, d]],
      [[a, x, y, z], [a, b]],
    ]) {
      const rec = recording();
      const pair = await rec.pair(base, head);
      const jobs = rec.jobs();
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ segments: [['0001_a'], base.slice(1).map((f) => f.path.slice(2, -4)), head.slice(1).map((f) => f.path.slice(2, -4))] });
      expect([pair.base.migrations, pair.head.migrations, pair.incremental]).toEqual([base.length, head.length, false]);
    }
  });

  it('forks after a wrangler file that a drizzle file follows (only two drizzle files share a transaction)', async () => {
    const rec = recording();
    const [dx, db] = [drizzle('0002_x'), drizzle('0002_b')];
    await rec.pair([a, dx], [a, db]);
    expect(rec.jobs()).toEqual([{ segments: [['0001_a'], ['0002_x'], ['0002_b']], continues: [-1, 0, 0], keep: ['1:s1', '2:s2'] }]);
  });

  it('forks at the end of a head that is the start of base, after a drizzle file', async () => {
    const rec = recording();
    const [da] = [drizzle('0000_a')];
    const pair = await rec.pair([da, b], [da]); // the PR deletes base's last migration
    // One job: head is the first segment, base continues it.
    expect(rec.jobs()).toEqual([{ segments: [['0000_a'], ['0002_b']], keep: ['0:s1', '1:s2'] }]);
    expect([pair.base.migrations, pair.head.migrations]).toEqual([2, 1]);
  });

  it('runs the sides side by side when the shorter rest is longer than the shared files', async () => {
    const rec = recording();
    await rec.pair([a, x, y], [a, b, c]);
    expect(rec.jobs()).toEqual([
      { segments: [['0001_a', '0002_x', '0003_y']], keep: ['0:s1'] },
      { segments: [['0001_a', '0002_b', '0003_c']], keep: ['0:s2'] },
    ]);
  });

  it('counts only the shared files after the kept start as saved', async () => {
    const rec = recording();
    await rec.pair([a], [a]);
    rec.jobs();
    // Shared [a, b]; [a] is kept: forking would save one file for rests of two each.
    await rec.pair([a, b, x, y], [a, b, c, d]);
    expect(rec.jobs()).toEqual([
      { restore: 's1', segments: [['0002_b', '0002_x', '0003_y']], keep: ['0:s2'] },
      { restore: 's1', segments: [['0002_b', '0003_c', '0004_d']], keep: ['0:s3'] },
    ]);
  });

  it('does not fork when every shared file is already kept', async () => {
    const rec = recording();
    await rec.pair([a], [a]);
    rec.jobs();
    const pair = await rec.pair([a, x], [a]);
    expect(rec.jobs()).toEqual([{ restore: 's1', segments: [['0002_x']], keep: ['0:s2'] }]);
    expect([pair.base.migrations, pair.head.migrations, pair.cached]).toEqual([2, 1, true]);
  });

  it("lets a push's kept head go once the next push's head continues it (three segments)", async () => {
    const rec = recording();
    await rec.pair([a, x], [a, b]); // keeps base s1, head s2
    rec.jobs();
    await rec.pair([a, x], [a, b, c]);
    expect(rec.jobs()).toEqual([{ restore: 's2', segments: [['0003_c']], keep: ['0:s3'] }]);
    expect(rec.sandbox.cacheUsage.entries).toBe(2); // base [a, x] and head [a, b, c]
    await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [a] });
    expect(rec.forgotten()).toEqual(['s2']); // read by the child before the job sent after it
  });

  it("lets a push's kept head go once the next push's head continues it (head = the shared files)", async () => {
    const rec = recording();
    const first = await rec.pair([a, x], [a]);
    expect(rec.jobs()).toEqual([{ segments: [['0001_a'], ['0002_x']], keep: ['0:s1', '1:s2'] }]);
    expect([first.base.migrations, first.head.migrations]).toEqual([2, 1]);
    await rec.pair([a, x], [a, c]);
    // Base comes from the cache as it is; head continues the kept head [a].
    expect(rec.jobs()).toEqual([{ restore: 's1', segments: [['0003_c']], keep: ['0:s3'] }]);
    expect(rec.sandbox.cacheUsage.entries).toBe(2);
  });
});

describe('what is kept and let go', () => {
  it('keeps a base continued from a kept head, and lets that head go only when a head continues it', async () => {
    const rec = recording();
    await rec.pair([a, x], [a, b]); // keeps base s1, head s2 ([a, b])
    rec.jobs();
    await rec.pair([a, b, c], [a, b, c]); // base continues the kept head [a, b]
    expect(rec.jobs()).toEqual([{ restore: 's2', segments: [['0003_c']], keep: ['0:s3'] }]);
    expect(rec.sandbox.cacheUsage.entries).toBe(3);
  });

  it('never lets a kept base go because a head continued it', async () => {
    const rec = recording();
    await rec.pair([a], [a]); // keeps base s1
    rec.jobs();
    await rec.pair([z], [a, c]); // head continues base [a] and is kept
    expect(rec.jobs()).toEqual([
      { segments: [['0004_z']], keep: ['0:s2'] },
      { restore: 's1', segments: [['0003_c']], keep: ['0:s3'] },
    ]);
    expect(rec.sandbox.cacheUsage.entries).toBe(3);
  });

  it('tells a child to forget each database once, also a continued head the budget already evicted', async () => {
    const rec = recording({ cacheBytes: 2500 }); // room for two
    await rec.pair([z], [a]); // base s1, head s2
    await rec.pair([y], [a, b]); // base s3 evicts s1; head s4 (continuing s2) evicts s2
    await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [a] }); // read after any forget
    expect(rec.forgotten()).toEqual(['s1', 's2']);
    expect(rec.sandbox.cacheUsage.entries).toBe(2);
  });

  it('does not start from a kept database between two drizzle files, which run in one transaction', async () => {
    const rec = recording();
    const [d1, d2] = [drizzle('0000_a'), drizzle('0001_b')];
    await rec.pair([d1], [d1]);
    rec.jobs();
    await rec.pair([d1, d2], [d1, d2]);
    expect(rec.jobs()).toEqual([{ segments: [['0000_a', '0001_b']], keep: ['0:s2'] }]);
  });
});

describe('when a child misbehaves', () => {
  it('forgets a database the child could not keep (0 bytes)', async () => {
    const rec = recording({ flags: ['keep-zero'] });
    await rec.pair([a], [a, b]);
    await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [a] });
    expect(rec.forgotten()).toEqual(['s1']);
    expect(rec.sandbox.cacheUsage.entries).toBe(0);
  });

  it('reports the replay stopped when a child answers a segment before the segment it continues', async () => {
    const rec = recording({ flags: ['reverses-segments'] });
    const pair = await rec.pair([a], [a, b]);
    const message =
      'the sandbox answered a schema that does not fit together (segment 1 came before the segment it continues); ' +
      'the sandbox process was stopped';
    expect(pair.head.failures).toEqual([expect.objectContaining({ kind: 'crashed', message })]);
    expect(pair.base).toMatchObject({ ok: false, unreplayed: ['m/0001_a.sql'] });
  });

  it('gives up after three failed restarts: the waiting job and every later one are answered at once, saying so', async () => {
    const rec = recording({ flags: ['fails-to-restart', 'dies-at-job=1'] });
    const r = await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [a, b] });
    const gaveUp = 'the replay sandbox could not restart its child process';
    // The child died in a's first statement; the retry that skips it waited for a child that never started.
    expect(r.failures.map((f) => [f.file, f.message])).toEqual([
      ['m/0001_a.sql', 'the sandbox process died (exited with code 3)'],
      ['m/0002_b.sql', gaveUp],
    ]);
    expect(rec.lines().filter((line) => 'failed' in line)).toHaveLength(3);
    const later = await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [c] });
    expect(later.failures).toEqual([expect.objectContaining({ kind: 'crashed', file: 'm/0003_c.sql', message: gaveUp })]);
    expect(rec.lines().filter((line) => 'failed' in line)).toHaveLength(3); // no child is started for it
    expect(rec.jobs()).toHaveLength(1);
  });

  it('starts no child after strict isolation refused the plan (the probe child goes, and is not replaced)', async () => {
    const rec = recording({ isolation: 'strict' });
    const r = await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [a] });
    const missing = [
      'no network (an empty network namespace)',
      'no other process visible (a PID namespace with its own /proc)',
      "a user that is not the reviewer's (a dedicated uid, or a user namespace)",
      'OS limits (address space, CPU time, no file writes, no core dumps)',
    ];
    const message = `sandbox unavailable: this machine cannot give the sandbox ${missing.join('; ')}`;
    expect(r.failures).toEqual([expect.objectContaining({ kind: 'crashed', message })]);
    // The probe's exit reaches the pool within milliseconds, and a replacement would log its start as soon.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(rec.lines()).toEqual([{ started: expect.any(Number), cwd: expect.any(String) }]);
  });

  it.each([
    ['answers at its CPU time', ['cpu=300000000'], 1],
    ['answers past its CPU time', ['cpu=300000001'], 2],
    ['reports an error past its CPU time', ['cpu=300000001', 'fails-job'], 2],
  ])('retires a child only once it %s (a new child runs the next job)', async (_, flags, children) => {
    const rec = recording({ flags });
    await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [a] });
    const next = await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [b] });
    expect(next.ok).toBe(!flags.includes('fails-job'));
    expect(rec.lines().filter((line) => 'started' in line)).toHaveLength(children);
  });

  it('keeps nothing a retiring child holds', async () => {
    const rec = recording({ flags: ['retire'] });
    const pair = await rec.pair([a], [a, b]);
    expect([pair.base.migrations, pair.head.migrations]).toEqual([1, 2]);
    expect(rec.sandbox.cacheUsage.entries).toBe(0);
  });

  it('replays the history again when the child no longer has the database, and keeps it under the same key', async () => {
    const rec = recording({ flags: ['amnesiac'] });
    await rec.pair([a], [a]); // s1 (the child only says so)
    await rec.pair([z], [z]); // s2
    rec.jobs();
    const pair = await rec.pair([a, b], [a, b]);
    expect(rec.jobs()).toEqual([
      { restore: 's1', segments: [['0002_b']], keep: ['0:s3'] },
      { segments: [['0001_a'], ['0002_b']], keep: ['0:s4', '1:s5'] },
    ]);
    expect([pair.base.migrations, pair.head.migrations, pair.base.ok]).toEqual([2, 2, true]);
    expect(rec.sandbox.cacheUsage.entries).toBe(3); // s2, s4, s5: s1 is gone, nothing else
    await rec.pair([z], [z]);
    expect(rec.jobs()).toEqual([]); // still kept
    await rec.pair([a, c], [a, c]);
    expect(rec.jobs()[0]).toEqual({ restore: 's4', segments: [['0003_c']], keep: ['0:s6'] }); // [a] kept again as s4
    // A database the child does not have is dropped, not evicted: the child is never told to forget it.
    expect(rec.forgotten()).toEqual([]);
  });

  it('answers a job that waits for a kept database as missing when the child holding it dies meanwhile, and replays that history again', async () => {
    // The child dies in the first statement of z's job; the pinned job waits behind that job. (Sent to the dead child,
    // it would wait for an answer that never comes.)
    const rec = recording({ flags: ['dies-in=0004_z'], timeoutMs: 60_000 });
    await rec.pair([a], [a]); // s1
    rec.jobs();
    const [other, pinned] = await Promise.all([rec.pair([z], [z]), rec.pair([a], [a, b])]);
    expect(other.base.failures).toEqual([expect.objectContaining({ kind: 'crashed', file: 'm/0004_z.sql' })]);
    expect(pinned.base).toMatchObject({ ok: true, migrations: 1 });
    expect(pinned.head).toMatchObject({ ok: true, migrations: 2 });
    const jobs = rec.jobs();
    // Never sent to the dead child: the history runs again, as a leading segment, on its successor.
    expect(jobs.filter((j) => j.restore)).toEqual([]);
    expect(jobs).toContainEqual({ segments: [['0001_a'], ['0002_b']], keep: [expect.stringMatching(/^0:s\d+$/)] });
  }, 20_000);

  it('replays a fork again from the start when the child no longer has its start', async () => {
    const rec = recording({ flags: ['amnesiac'] });
    await rec.pair([a], [a]);
    rec.jobs();
    const pair = await rec.pair([a, b, x], [a, b, c]);
    expect(rec.jobs()).toEqual([
      { restore: 's1', segments: [['0002_b'], ['0002_x'], ['0003_c']], continues: [-1, 0, 0], keep: ['1:s2', '2:s3'] },
      { segments: [['0001_a'], ['0002_b'], ['0002_x'], ['0003_c']], continues: [-1, 0, 1, 1], keep: ['0:s4', '2:s5', '3:s6'] },
    ]);
    expect([pair.base.migrations, pair.head.migrations]).toEqual([3, 3]);
  });

  it('never answers from a kept database whose schema does not fit the answer, nor keeps what was built on it', async () => {
    const rec = recording({ flags: ['bad-patch'] });
    await rec.pair([z], [z]); // s1, which stays
    await rec.pair([a], [a]); // s2
    rec.jobs();
    const pair = await rec.pair([a, b], [a, b]);
    expect(rec.jobs()).toEqual([
      { restore: 's2', segments: [['0002_b']], keep: ['0:s3'] },
      { segments: [['0001_a'], ['0002_b']], keep: ['0:s4', '1:s5'] },
    ]);
    expect(pair.base).toMatchObject({ ok: true, migrations: 2 });
    await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [a] }); // read after any forget
    expect(rec.forgotten()).toEqual(['s2', 's3']); // once each
    expect(rec.sandbox.cacheUsage.entries).toBe(3); // s1, s4, s5
  });

  it('reports the replay stopped, naming the patch, when a fresh replay answers a schema that does not fit together', async () => {
    const rec = recording({ flags: ['bad-patch-always'] });
    const pair = await rec.pair([a], [a, b]);
    const failure = {
      kind: 'crashed',
      file: 'm/0001_a.sql',
      line: 1,
      statement: '(starting the replay)',
      message:
        'the sandbox answered a schema that does not fit together (schema patch: table ghost is neither sent nor known); ' +
        'the sandbox process was stopped',
      more: 0,
    };
    expect(pair.base).toMatchObject({ ok: false, failures: [failure], migrations: 1, statements: 0 });
    expect(pair.head).toMatchObject({ ok: false, failures: [failure], migrations: 2, statements: 0 });
    expect(pair.head.schema.tables).toEqual({});
    expect([pair.base.unreplayed, pair.head.unreplayed]).toEqual([['m/0001_a.sql'], ['m/0001_a.sql', 'm/0002_b.sql']]);
    expect(rec.sandbox.cacheUsage.entries).toBe(0); // nothing it kept is believed
    // The child that answered is gone: the next job runs on a new one, which is not asked to restore anything.
    await rec.pair([a], [a]);
    const lines = rec.lines();
    const started = lines.filter((line) => 'started' in line);
    expect(started).toHaveLength(2);
    expect(lines.indexOf(started[1])).toBe(lines.length - 2); // the new child's first line, then the job
    expect(lines.at(-1)).toMatchObject({ segments: [[{ path: 'm/0001_a.sql' }]] });
    expect(lines.at(-1)).not.toHaveProperty('restore');
  });

  it('skips the statement that stopped a child, once, and keeps nothing of the retried attempt', async () => {
    const rec = recording({ flags: ['dies-unless-skipping'] });
    const pair = await rec.pair([a], [a, b]);
    expect(rec.jobs()).toEqual([
      { segments: [['0001_a'], ['0002_b']], keep: ['0:s1'] },
      { segments: [['0001_a'], ['0002_b']], skip: ['0:0:0'] },
    ]);
    const failure = {
      kind: 'crashed',
      file: 'm/0001_a.sql',
      line: 1,
      statement: 'CREATE TABLE t_0001_a (x);',
      message: 'the sandbox process died (exited with code 3)',
      more: 0,
    };
    expect(pair.base.failures).toEqual([failure]);
    expect(pair.head.failures).toEqual([failure]);
    expect(pair.head).not.toHaveProperty('unreplayed'); // the retry ran every file
    expect(rec.sandbox.cacheUsage.entries).toBe(0);
  });

  it("sorts the failure of the statement that stopped a child in among the child's own, by file and line", async () => {
    const rec = recording({ flags: ['dies-unless-skipping', 'reports-failures'] });
    const pair = await rec.pair([a, b], [a, b]);
    expect(pair.base.failures.map((f) => `${f.file}:${f.line} ${f.kind}`)).toEqual(['m/0001_a.sql:1 crashed', 'm/0001_a.sql:3 sql', 'm/0002_b.sql:1 sql']);
  });

  it('names the wall-time limit in the failure of a child that never answers', async () => {
    for (const [timeoutMs, shown] of [
      [1000, '1 s'],
      [1250, '1.3 s'],
    ] as const) {
      const { sandbox } = recording({ timeoutMs, flags: ['silent'] });
      await sandbox.launchPlan; // the limit counts from the job's start, not the child's
      const r = await sandbox.replay({ database: 'db', dialect: 'sqlite', files: [a] });
      expect(r.failures).toEqual([
        {
          kind: 'timeout',
          file: 'm/0001_a.sql',
          line: 1,
          statement: '(starting the replay)',
          message: `the replay exceeded the wall-time limit of ${shown} while running this statement; the sandbox was stopped`,
          more: 0,
        },
      ]);
    }
  });

  it('does not retry when the child died between statements, and keeps the segments it finished', async () => {
    const rec = recording({ flags: ['dies-after-segment'] });
    const pair = await rec.pair([a], [a, b]);
    expect(rec.jobs()).toHaveLength(1);
    expect(pair.base).toMatchObject({ ok: true, failures: [], migrations: 1 });
    expect(pair.base).not.toHaveProperty('unreplayed');
    expect(pair.head).toMatchObject({ ok: false, unreplayed: ['m/0002_b.sql'] });
    expect(pair.head.failures).toEqual([expect.objectContaining({ kind: 'crashed', message: 'the sandbox process died (exited with code 3)' })]);
  });

  it('gives up, answering, when the child dies replaying a kept history again', async () => {
    const rec = recording({ flags: ['amnesiac', 'dies-at-job=3'] });
    await rec.pair([a], [a]);
    const pair = await rec.pair([a, b], [a, b]); // job 2: missing; job 3: [a] again, then [b]: dies in [a]
    expect(rec.jobs().slice(1)).toEqual([
      { restore: 's1', segments: [['0002_b']], keep: ['0:s2'] },
      { segments: [['0001_a'], ['0002_b']], keep: ['0:s3', '1:s4'] },
    ]);
    expect(pair.base.ok).toBe(false);
    expect(pair.base.failures).toEqual([expect.objectContaining({ kind: 'crashed', file: 'm/0001_a.sql', line: 1 })]);
    // Both files counted: the history replayed again ([a]) never finished either.
    expect([pair.base.migrations, pair.head.migrations]).toEqual([2, 2]);
    expect(pair.base.unreplayed).toEqual(['m/0002_b.sql']); // it died in a's statement: a is where the failure is
  });
  it('skips the statement that stopped a child in a history it replays again, in the segment it belongs to', async () => {
    const rec = recording({ flags: ['amnesiac', 'dies-in=0002_b'] });
    await rec.pair([a], [a]); // s1, which the child does not keep
    rec.jobs();
    const pair = await rec.pair([a, b], [a, b]);
    expect(rec.jobs()).toEqual([
      { restore: 's1', segments: [['0002_b']], keep: ['0:s2'] }, // missing
      { segments: [['0001_a'], ['0002_b']], keep: ['0:s3', '1:s4'] }, // dies in b's first statement
      { segments: [['0001_a'], ['0002_b']], skip: ['1:0:0'] },
    ]);
    expect(pair.base).toMatchObject({ ok: false, migrations: 2 });
    expect(pair.base.failures).toEqual([expect.objectContaining({ kind: 'crashed', file: 'm/0002_b.sql', line: 1 })]);
  });

  it('gives up on a history it replays again once its first segment is answered, counting each side from there', async () => {
    const rec = recording({ flags: ['amnesiac', 'dies-after-segment-at-job=3'] });
    await rec.pair([a], [a]); // job 1: s1, which the child does not keep
    rec.jobs();
    const pair = await rec.pair([a, b], [a, b, c]); // job 2: missing; job 3: [a] again, answered, then it dies
    expect(rec.jobs().map((job) => job.segments)).toEqual([
      [['0002_b'], ['0003_c']],
      [['0001_a'], ['0002_b'], ['0003_c']],
    ]);
    expect(pair.base).toMatchObject({ ok: false, migrations: 2, statements: 0, unreplayed: ['m/0002_b.sql'] });
    expect(pair.head).toMatchObject({ ok: false, migrations: 3, statements: 0, unreplayed: ['m/0002_b.sql', 'm/0003_c.sql'] });
    for (const side of [pair.base, pair.head]) {
      expect(side.failures).toEqual([expect.objectContaining({ kind: 'crashed', message: 'the sandbox process died (exited with code 3)' })]);
      expect([side.compatibility, side.renames]).toEqual([[], []]);
    }
  });

  it.each([
    ['a segment the job does not have', '1:0'],
    ['a file the segment does not have', '0:2'],
    ['a segment that is no number of one', '0.5:0'],
    ['a file that is no number of one', '0:0.5'],
    ['a segment below zero', '-1:0'],
    ['a file below the schema read-back (-1)', '0:-2'],
  ])('does not believe a child that says it died in %s', async (_, lie) => {
    const rec = recording({ flags: [`lies-about-progress=${lie}`] });
    const r = await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [a, b] });
    expect(rec.jobs()).toHaveLength(1); // nothing to skip: no second attempt
    expect(r).toMatchObject({ ok: false, migrations: 2, unreplayed: ['m/0001_a.sql', 'm/0002_b.sql'] }); // none known to have run
    expect(r.failures).toEqual([
      { kind: 'crashed', file: 'm/0002_b.sql', line: 1, statement: '(starting the replay)', message: 'the sandbox process died (exited with code 3)', more: 0 },
    ]);
  });

  it('gives a child that comes free to the job waiting for the database it keeps, before jobs queued earlier', async () => {
    const rec = recording();
    await rec.pair([a], [a]); // s1
    rec.jobs();
    const running = rec.pair([z], [z]);
    const queued = rec.pair([y], [y]);
    const pinned = rec.pair([a], [a, b]); // waits for the child that keeps s1
    await Promise.all([running, queued, pinned]);
    expect(rec.jobs().map((job) => [job.restore, job.segments])).toEqual([
      [undefined, [['0004_z']]],
      ['s1', [['0002_b']]],
      [undefined, [['0003_y']]],
    ]);
  });
});

describe('replayPair plans: libSQL, which cannot serialize a database', () => {
  it('runs appended files after base in one job, and keeps nothing', async () => {
    const rec = recording();
    for (let i = 0; i < 2; i++) {
      const pair = await rec.pair([a], [a, b], 'libsql');
      expect(rec.jobs()).toEqual([{ segments: [['0001_a'], ['0002_b']], engine: 'libsql' }]);
      expect(pair).toMatchObject({ incremental: true, cached: false, base: { migrations: 1 }, head: { migrations: 2 } });
    }
    expect(rec.sandbox.cacheUsage.entries).toBe(0);
  });

  it('sends the engine with a single replay too', async () => {
    const rec = recording();
    await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', engine: 'libsql', files: [a] });
    await rec.sandbox.replay({ database: 'db', dialect: 'sqlite', files: [a] });
    expect(rec.jobs()).toEqual([{ segments: [['0001_a']], engine: 'libsql' }, { segments: [['0001_a']] }]);
  });

  it('runs a head equal to base once', async () => {
    const rec = recording();
    const pair = await rec.pair([a], [a], 'libsql');
    expect(rec.jobs()).toEqual([{ segments: [['0001_a']], engine: 'libsql' }]);
    expect([pair.base.migrations, pair.head.migrations]).toEqual([1, 1]);
    expect(pair.head).not.toBe(pair.base);
  });

  it('replays each side from scratch otherwise, and an empty side not at all', async () => {
    const rec = recording();
    const forked = await rec.pair([a, x], [a, b], 'libsql');
    expect(rec.jobs()).toEqual([
      { segments: [['0001_a', '0002_x']], engine: 'libsql' },
      { segments: [['0001_a', '0002_b']], engine: 'libsql' },
    ]);
    expect(forked).toMatchObject({ incremental: false, cached: false, base: { migrations: 2 }, head: { migrations: 2 } });

    const fromNothing = await rec.pair([], [a], 'libsql');
    expect(rec.jobs()).toEqual([{ segments: [['0001_a']], engine: 'libsql' }]);
    expect(fromNothing).toMatchObject({ incremental: false, base: { ok: true, migrations: 0 }, head: { migrations: 1 } });

    const toNothing = await rec.pair([a], [], 'libsql');
    expect(rec.jobs()).toEqual([{ segments: [['0001_a']], engine: 'libsql' }]);
    expect(toNothing).toMatchObject({ base: { migrations: 1 }, head: { ok: true, migrations: 0 } });
  });
});

describe('replayPair with consecutive drizzle files (real children)', () => {
  let sandbox: ReplaySandbox;
  beforeAll(() => {
    sandbox = new ReplaySandbox({ size: 1, log: () => {} });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('never cuts between two drizzle files of one side, even where the other side ends', async () => {
    // drizzle-kit's migrator runs pending files in one transaction: the second file's failed commit (a deferred
    // foreign key still violated) takes the first file's table with it. A cut after the first file would commit it.
    const first = migration('drizzle/0000_p.sql', 'CREATE TABLE p (id INTEGER PRIMARY KEY);', 'drizzle');
    const second = migration(
      'drizzle/0001_c.sql',
      'CREATE TABLE c (p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED);\n--> statement-breakpoint\nINSERT INTO c VALUES (5);',
      'drizzle',
    );
    const pair = await sandbox.replayPair({ database: 'dz', dialect: 'sqlite', base: [first, second], head: [first] });
    expect(tableNames(pair.base.schema)).toEqual([]);
    expect(pair.base.failures).toEqual([expect.objectContaining({ file: 'drizzle/0001_c.sql', statement: 'COMMIT' })]);
    expect(tableNames(pair.head.schema)).toEqual(['p']);
  }, 20_000);
});
