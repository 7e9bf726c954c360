// Starting, falling back, closing: the pool never leaks a process, a directory or a rejected promise.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReplaySandbox, withSandbox } from '../../src/replay/sandbox.js';
import type { LaunchPlan } from '../../src/sandbox/launch.js';
import { migration, tableNames } from './migration-files.js';

/** A plan with no protection at all, as on a machine without prlimit or unshare (as non-root). */
const plain: LaunchPlan = {
  name: 'plain',
  protections: [],
  missing: ['network', 'processes', 'user', 'limits'],
  namespaces: [],
  prlimit: null,
  dedicatedUid: false,
};

describe('sandbox lifecycle', () => {
  it('falls back to a weaker launch plan when the strongest fails, saying so in one log line', async () => {
    const logs: string[] = [];
    const result = await withSandbox(
      async (s) => {
        expect(await s.isolation).toBe('plain');
        return s.replay({ database: 'f', dialect: 'sqlite', files: [migration('m/0001.sql', 'CREATE TABLE f (x);')] });
      },
      {
        size: 1,
        log: (l) => logs.push(l),
        launchPlans: () => [
          { ...plain, name: 'full', protections: ['network', 'processes', 'user', 'limits'], missing: [], namespaces: ['/nonexistent/unshare', '--'] },
          plain,
        ],
      },
    );
    expect(tableNames(result.schema)).toEqual(['f']);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/sandbox runs without network, processes, user, limits \(network\+processes\+user\+limits: could not start/);
  });

  it('answers every replay with a crashed failure when no child can start at all', async () => {
    const logs: string[] = [];
    const s = new ReplaySandbox({
      size: 1,
      log: (l) => logs.push(l),
      launchPlans: () => [{ ...plain, namespaces: ['/nonexistent/node', '--'] }],
    });
    try {
      const files = [migration('m/0001.sql', 'CREATE TABLE a (x);')];
      for (let i = 0; i < 2; i++) {
        const r = await s.replay({ database: 'h', dialect: 'sqlite', files });
        expect(r.ok).toBe(false);
        expect(r.failures[0]).toMatchObject({ kind: 'crashed', file: 'm/0001.sql' });
        expect(r.failures[0].message).toMatch(/could not start/);
      }
      expect(logs).toEqual([expect.stringMatching(/could not start a child process/)]);
    } finally {
      await s.close();
    }
  });

  it('answers with a crashed failure, not a rejection, when closed during a replay', async () => {
    const s = new ReplaySandbox({ size: 1, log: () => {} });
    const running = s.replay({
      database: 'g',
      dialect: 'sqlite',
      files: [migration('m/0001.sql', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;')],
    });
    await new Promise((r) => setTimeout(r, 300));
    await s.close();
    const r = await running;
    expect(r.ok).toBe(false);
    expect(r.failures[0]).toMatchObject({ kind: 'crashed', file: 'm/0001.sql', line: 1 });
    const after = await s.replay({ database: 'g', dialect: 'sqlite', files: [] });
    expect(after.failures[0].kind).toBe('crashed');
    expect(existsSync(s.workingDirectory)).toBe(false);
  });

  it('does not keep the process alive when a caller forgets close(), and still removes its directory', () => {
    const script = new URL('./unclosed-sandbox.mjs', import.meta.url).pathname;
    const out = execFileSync(process.execPath, [script], { timeout: 20_000, encoding: 'utf8' });
    const [tables, dir] = out.trim().split(' ');
    expect(tables).toBe('t');
    expect(existsSync(dir)).toBe(false);
  });
});
