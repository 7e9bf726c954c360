// How the parent reads a child's answers: lines split across pipe reads, and a job the child reports as failed.
import { describe, expect, it } from 'vitest';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { fakeChildPlans } from './fake-child-plan.js';
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
});
