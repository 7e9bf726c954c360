// How the parent reads a child's answers: lines split across pipe reads, and a job the child reports as failed; what
// it keeps of a child's stderr; that a child's pipes never keep the process alive nor crash it; where a child runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { fakeChildPlans, recordingSandboxPerTest } from './fake-child-plan.js';
import { migration } from './migration-files.js';

describe('SandboxChild (mutants)', () => {
  it('reads a line whose newline arrives alone in the next chunk, ignores a message of an unknown type, and turns an `error` answer into a crashed failure', async () => {
    const s = new ReplaySandbox({ size: 1, log: () => {}, launchPlans: fakeChildPlans('error') });
    try {
      // The fake child splits its ready line before the newline: unread, the sandbox would never start.
      expect(await s.isolation).toBe('plain');
      const r = await s.replay({ database: 'e', dialect: 'sqlite', files: [migration('m/0001.sql', 'CREATE TABLE a (x);')] });
      expect(r.ok).toBe(false);
      expect(r.failures).toEqual([
        { kind: 'crashed', file: 'm/0001.sql', line: 1, statement: '(starting the replay)', message: 'the sandbox process died (boom)', more: 0 },
      ]);
    } finally {
      await s.close();
    }
  }, 20_000);

  describe('with recording children', () => {
    const recording = recordingSandboxPerTest();

    it('tells an out-of-memory death by the last 4 KiB of stderr, and quotes its last lines', async () => {
      const s = recording({ flags: ['oom'] }).sandbox;
      const r = await s.replay({ database: 'o', dialect: 'sqlite', files: [migration('m/0001.sql', 'CREATE TABLE a (x);')] });
      expect(r.failures).toHaveLength(1);
      const [failure] = r.failures;
      expect(failure).toMatchObject({ kind: 'memory', file: 'm/0001.sql', line: 1, statement: 'CREATE TABLE a (x);' });
      const oom = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory';
      // 5000 characters were printed before that line; the last 4 KiB of stderr are kept, its last two lines quoted.
      const kept = 'x'.repeat(4096 - oom.length - 2);
      expect(failure.message).toBe(`the sandbox ran out of memory (exited with code 3: ${kept} ${oom})`);
    }, 20_000);

    it('passes over lines that are not its answer: not JSON, progress and answers with no job running, an answer to another job', async () => {
      const s = recording({ flags: ['chatty'] }).sandbox;
      // Before its ready line, in the same piece: read one line at a time, any of them misread loses the ready line.
      expect(await s.isolation).toBe('plain');
      const r = await s.replay({ database: 'c', dialect: 'sqlite', files: [migration('m/0001.sql', 'CREATE TABLE a (x);')] });
      // The other job's segment names a table `ghost` and counts 9 migrations; its `done` came first.
      expect(r).toMatchObject({ ok: true, migrations: 1, statements: 0, failures: [] });
      expect(r.schema.tables).toEqual({});
    }, 20_000);

    it("quotes the last two lines of a dead child's stderr", async () => {
      const s = recording({ flags: ['dies-saying'] }).sandbox;
      const r = await s.replay({ database: 'd', dialect: 'sqlite', files: [migration('m/0001.sql', 'CREATE TABLE a (x);')] });
      // Retried once without the statement, it dies again (in the statement after it, for a real child).
      const message = 'the sandbox process died (exited with code 3: two three)';
      expect(r.failures.map((f) => f.message)).toEqual([message, message]);
    }, 20_000);

    it("names each launch plan that could not start a child, with the last three lines of the child's stderr", async () => {
      const logs: string[] = [];
      const folder = mkdtempSync(join(tmpdir(), 'safari-fake-'));
      const plan = (flag: string) => fakeChildPlans('recorder', folder, flag)()[0];
      const s = new ReplaySandbox({ size: 1, log: (m) => logs.push(m), launchPlans: () => [plan('fails-to-start'), plan('fails-to-start-quietly')] });
      try {
        await expect(s.launchPlan).rejects.toThrow('replay sandbox could not start');
        expect(logs).toEqual(['replay sandbox could not start a child process: exited with code 3: two three four; exited with code 3']);
        const r = await s.replay({ database: 'f', dialect: 'sqlite', files: [migration('m/0001.sql', 'CREATE TABLE a (x);')] });
        expect(r.failures).toEqual([expect.objectContaining({ kind: 'crashed', message: 'the replay sandbox could not start a child process' })]);
      } finally {
        await s.close();
        rmSync(folder, { recursive: true, force: true });
      }
    }, 20_000);

    it('survives a child that closes its job pipe: the write fails quietly and the limit stops the child', async () => {
      const s = recording({ flags: ['closes-stdin'], timeoutMs: 1000 }).sandbox;
      await s.launchPlan;
      const r = await s.replay({ database: 'c', dialect: 'sqlite', files: [migration('m/0001.sql', 'CREATE TABLE a (x);')] });
      expect(r.failures).toEqual([expect.objectContaining({ kind: 'timeout', file: 'm/0001.sql' })]);
    }, 20_000);

    it("runs each child in the sandbox's own folder, and never lets the children's pipes keep the process alive", async () => {
      const pipes = () => process.getActiveResourcesInfo().filter((r) => r === 'PipeWrap').length;
      const before = pipes();
      const { sandbox: s, lines } = recording();
      await s.launchPlan;
      expect(pipes()).toBe(before);
      expect(lines()).toEqual([{ started: expect.any(Number), cwd: s.workingDirectory }]);
    }, 20_000);
  });
});
