/**
 * How every sandbox child (replay, schema.ts evaluation) is started: the strongest launch plan this machine allows.
 *
 * A plan is a chain of commands that each exec the next, ending in `node …`:
 *   [spawn as a dedicated uid when root] unshare --user --map-user=65534 -n -p --fork --mount-proc --kill-child -- prlimit … -- node …
 * and the protections it gives (isolation.ts): `network` (an empty network namespace), `processes` (a PID namespace
 * with its own /proc: no other process is visible, signalable or readable), `user` (a uid that is not the reviewer's:
 * a dedicated uid per child as root; a user namespace otherwise) and `limits` (prlimit: address space, CPU seconds,
 * `--fsize=0` so no byte can be written to any file, `--core=0`). Always an empty environment.
 * Candidates are listed strongest first; callers keep the first whose child starts.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { nextChildUid } from './child-uid.js';
import { PROTECTIONS, type Protection } from './isolation.js';

export interface LaunchPlan {
  /** `full` when nothing is missing, `plain` when nothing is there, else `partial`. */
  name: 'full' | 'partial' | 'plain';
  protections: Protection[];
  missing: Protection[];
  /** Commands before `node` (unshare …, prlimit …); prlimit's own limits are added per child (see launchCommand). */
  namespaces: string[];
  prlimit: string | null;
  /** Root: each child runs as its own uid (spawn's uid/gid), never the reviewer's nor one shared with another child. */
  dedicatedUid: boolean;
}

export interface ChildLimits {
  addressSpaceBytes: number;
  /** prlimit --cpu soft:hard, in CPU seconds. */
  cpuSeconds: [number, number];
}

export interface LaunchCommand {
  command: string;
  args: string[];
  uid?: number;
  gid?: number;
}

export interface LaunchTools {
  unshare: string | null;
  prlimit: string | null;
  root: boolean;
}

export function findTool(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

export function hostTools(): LaunchTools {
  return { unshare: findTool('unshare'), prlimit: findTool('prlimit'), root: process.getuid?.() === 0 };
}

/** Candidate plans, strongest first, for these tools (tests pass tools to simulate a host without `unshare`). */
export function launchPlans(tools: LaunchTools = hostTools()): LaunchPlan[] {
  const { unshare, prlimit, root } = tools;
  // A user namespace where the child is nobody: it gets no capabilities, so it can't unmount its own /proc to see the
  // host's. --kill-child: when the parent SIGKILLs `unshare`, the namespace's first process dies with it (no orphan).
  const user = ['--user', '--map-user=65534', '--map-group=65534'];
  const flagSets: { flags: string[]; gives: Protection[] }[] = unshare
    ? [
        { flags: [...user, '-n', '-p', '--fork', '--mount-proc', '--kill-child'], gives: ['network', 'processes', 'user'] },
        { flags: [...user, '-n'], gives: ['network', 'user'] },
        { flags: [...user, '-p', '--fork', '--mount-proc', '--kill-child'], gives: ['processes', 'user'] },
        { flags: [], gives: [] },
      ]
    : [{ flags: [], gives: [] }];
  const plans: LaunchPlan[] = [];
  // Root's last resort: the same chains under root's own uid (a container whose user namespace maps no uid that
  // high). A user namespace alone doesn't separate root's children from root, so those plans lack `user`.
  const uidChoices = root ? [true, false] : [false];
  for (const dedicatedUid of uidChoices) {
    for (const { flags, gives } of flagSets) {
      for (const limits of prlimit ? [prlimit, null] : [null]) {
        const have = new Set<Protection>(root && !dedicatedUid ? gives.filter((g) => g !== 'user') : gives);
        // spawn's uid/gid needs root, not a namespace: the child is another user even without unshare.
        if (dedicatedUid) have.add('user');
        if (limits) have.add('limits');
        const protections = PROTECTIONS.filter((p) => have.has(p));
        const missing = PROTECTIONS.filter((p) => !have.has(p));
        plans.push({
          name: missing.length === 0 ? 'full' : protections.length === 0 ? 'plain' : 'partial',
          protections,
          missing,
          namespaces: flags.length ? [unshare!, ...flags, '--'] : [],
          prlimit: limits,
          dedicatedUid,
        });
      }
    }
  }
  return plans;
}

/** The command that starts one child under `plan`: `node` with `nodeArgs`, its own uid when root, `limits` applied. */
export function launchCommand(plan: LaunchPlan, limits: ChildLimits, nodeArgs: string[]): LaunchCommand {
  const prlimit = plan.prlimit
    ? [
        plan.prlimit,
        `--as=${limits.addressSpaceBytes}`,
        `--cpu=${limits.cpuSeconds[0]}:${limits.cpuSeconds[1]}`,
        '--fsize=0',
        '--core=0',
        '--',
      ]
    : [];
  const [command, ...args] = [...plan.namespaces, ...prlimit, process.execPath, ...nodeArgs];
  if (!plan.dedicatedUid) return { command, args };
  const uid = nextChildUid();
  return { command, args, uid, gid: uid };
}

/**
 * Starts a sandbox child: an empty environment, its own uid when root, and its own session and process group. The
 * group matters as much as the namespaces: `kill(0, sig)` signals the caller's whole process group across PID
 * namespaces, and a child of a non-root Safari has Safari's uid outside its namespace, so in Safari's group it could
 * kill or stop Safari. The parent still kills the child by pid (`--kill-child` takes the namespace down with it).
 */
export function spawnChild(launch: LaunchCommand, options: { cwd: string; stdio: StdioOptions }): ChildProcess {
  return spawn(launch.command, launch.args, { cwd: options.cwd, env: {}, uid: launch.uid, gid: launch.gid, stdio: options.stdio, detached: true });
}

/** One line for the log when the strongest plan was not available. */
export function describePlan(chosen: LaunchPlan, failed: { plan: LaunchPlan; reason: string }[] = []): string {
  const why = failed.length ? ` (${failed.map((f) => `${f.plan.protections.join('+') || 'plain'}: ${f.reason}`).join('; ')})` : '';
  if (chosen.missing.length === 0) return `sandbox runs with full isolation (${chosen.protections.join(', ')})`;
  return `sandbox runs without ${chosen.missing.join(', ')}${why}`;
}
