/**
 * How a replay child is started: the strongest isolation this machine allows, tried in order at startup.
 * Full: no network (`unshare -rn`), OS limits (`prlimit`: ~2 GiB address space, CPU seconds, no file may be
 * written), and as root also uid/gid 65534 (nobody). Always an empty environment and an empty working directory.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface LaunchPlan {
  name: 'full' | 'no-network' | 'limits-only' | 'plain';
  command: string;
  args: string[];
  uid?: number;
  gid?: number;
}

/** Big allocations fail cleanly under this; Node itself needs ~700 MB of address space to start. */
export const ADDRESS_SPACE_BYTES = 2 * 1024 ** 3;
/** Cumulative over a warm child's life; the pool retires children long before the soft limit. */
export const CPU_SECONDS_SOFT = 600;
export const CPU_SECONDS_HARD = 620;
export const NOBODY = 65534;
const NODE_FLAGS = ['--max-old-space-size=768', '--no-warnings'];

function findTool(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/** Candidate plans, strongest first; the sandbox keeps the first whose child starts and says it is ready. */
export function launchPlans(childScript: string): LaunchPlan[] {
  const node = [process.execPath, ...NODE_FLAGS, childScript];
  const prlimit = findTool('prlimit');
  const unshare = findTool('unshare');
  const limits = prlimit
    ? [prlimit, `--as=${ADDRESS_SPACE_BYTES}`, `--cpu=${CPU_SECONDS_SOFT}:${CPU_SECONDS_HARD}`, '--fsize=0', '--core=0', '--']
    : [];
  const root = process.getuid?.() === 0;
  const plans: LaunchPlan[] = [];
  if (prlimit && unshare) {
    const args = ['-rn', ...limits, ...node];
    if (root) plans.push({ name: 'full', command: unshare, args, uid: NOBODY, gid: NOBODY });
    plans.push({ name: root ? 'no-network' : 'full', command: unshare, args });
  }
  if (prlimit) plans.push({ name: 'limits-only', command: limits[0], args: [...limits.slice(1), ...node] });
  plans.push({ name: 'plain', command: process.execPath, args: [...NODE_FLAGS, childScript] });
  return plans;
}

/** One line for the log when the strongest plan was not available. */
export function describeFallback(chosen: LaunchPlan, failed: { plan: LaunchPlan; reason: string }[]): string {
  const why = failed.map((f) => `${f.plan.name}: ${f.reason}`).join('; ');
  const what: Record<LaunchPlan['name'], string> = {
    full: 'full isolation',
    'no-network': 'no network and OS limits, but not as an unprivileged user',
    'limits-only': 'OS limits but with network access',
    plain: 'a plain child process without OS limits or network isolation',
  };
  return `replay sandbox runs with ${what[chosen.name]} (${why || 'prlimit/unshare not found'})`;
}
