// The OS limits of the strongest launch plan, checked by running a probe under it (not SQL: the gate stops that first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchPlans } from '../../src/replay/launch.js';

const probe = new URL('./limits-probe.mjs', import.meta.url).pathname;

describe('launchPlans', () => {
  it('ends with a plain plan that always exists', () => {
    const plans = launchPlans(probe);
    expect(plans[plans.length - 1]).toMatchObject({ name: 'plain', command: process.execPath });
  });

  it('puts no network, no file writes, a bounded address space and an empty environment on the strongest plan', () => {
    const plan = launchPlans(probe)[0];
    if (plan.name === 'plain' || plan.name === 'limits-only') return; // this machine has no unshare: nothing to check
    const cwd = mkdtempSync(join(tmpdir(), 'safari-launch-'));
    try {
      const run = spawnSync(plan.command, plan.args, { cwd, env: {}, uid: plan.uid, gid: plan.gid, encoding: 'utf8', timeout: 20_000 });
      if (run.status !== 0) return; // the sandbox falls back in this case (its own test covers that); nothing to probe
      const seen = JSON.parse(run.stdout);
      expect(seen.env).toBe(0);
      expect(seen.cwdWrite).not.toBe('written');
      expect(seen.tmpWrite).not.toBe('written');
      expect(seen.bigAllocation).not.toBe('allocated');
      expect(seen.interfaces).toEqual([]);
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
