// Each protection of the sandbox, attacked from inside a real child started under a real launch plan, with the exact
// outcome asserted for the plan in use: the full plan on this machine (CI says which plan it must reach), the plan a
// non-root Safari gets, and the plan of a host without `unshare` (as under Docker's default seccomp profile). Removing
// `--fsize=0`, the network namespace or any other protection from launch.ts makes one of these fail.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaLaunchPlan } from '../../src/drizzle/evaluate-schema.js';
import { CHILD_SCRIPT, ReplaySandbox } from '../../src/replay/sandbox.js';
import { SandboxChild } from '../../src/replay/sandbox-child.js';
import { isChildUid } from '../../src/sandbox/child-uid.js';
import { hostTools, launchCommand, launchPlans, type LaunchPlan, type LaunchTools } from '../../src/sandbox/launch.js';

const probe = new URL('./attack-probe.mjs', import.meta.url).pathname;
const root = process.getuid?.() === 0;
/** The uid a non-root Safari runs as in these tests (they run as root and start it as this user). */
const REVIEWER = 65533;
const SECRET = `safari-fake-secret-${process.pid}`;
const LIMITS = { addressSpaceBytes: 2 * 1024 ** 3, cpuSeconds: [1, 2] as [number, number] };

interface Host {
  who: string;
  tools: LaunchTools;
  /** Safari's own uid on this host (undefined: this process's). */
  reviewerUid?: number;
}

const hosts: Host[] = [
  { who: 'Safari as this process', tools: hostTools() },
  ...(root ? [{ who: 'Safari as an unprivileged user', tools: { ...hostTools(), root: false }, reviewerUid: REVIEWER }] : []),
  { who: 'a host without unshare', tools: { ...hostTools(), unshare: null } },
];

/** The first plan whose chain starts a trivial node here, as the sandboxes choose it. */
function choosePlan(host: Host): LaunchPlan {
  for (const plan of launchPlans(host.tools)) {
    const c = launchCommand(plan, LIMITS, ['-e', '0']);
    const r = spawnSync(c.command, c.args, { env: {}, cwd: tmpdir(), uid: c.uid ?? host.reviewerUid, gid: c.gid ?? host.reviewerUid, timeout: 10_000 });
    if (r.status === 0) return plan;
  }
  throw new Error('no plan starts');
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  uid: number | undefined;
}

function launch(host: Host, plan: LaunchPlan, cwd: string, probeArgs: string[], limits = LIMITS): { child: ChildProcess; uid: number | undefined } {
  const c = launchCommand(plan, limits, [probe, ...probeArgs]);
  const uid = c.uid ?? host.reviewerUid;
  const child = spawn(c.command, c.args, { cwd, env: {}, uid, gid: c.gid ?? host.reviewerUid, stdio: ['pipe', 'pipe', 'pipe'] });
  return { child, uid };
}

function attack(host: Host, plan: LaunchPlan, cwd: string, probeArgs: string[], timeoutMs = 15_000): Promise<Run> {
  const { child, uid } = launch(host, plan, cwd, probeArgs);
  child.stdin!.end();
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, uid });
    }),
  );
}

const answer = (r: Run) => JSON.parse(r.stdout.trim().split('\n').at(-1) ?? 'null');

describe.each(hosts)('sandbox protections for $who', (host) => {
  let plan: LaunchPlan;
  let cwd: string;
  let decoy: ChildProcess;
  const has = (p: string) => plan.protections.includes(p as never);

  beforeAll(() => {
    plan = choosePlan(host);
    // The children's working directory, owned by Safari (as a real one is), readable by the children.
    cwd = mkdtempSync(join(tmpdir(), 'safari-protections-'));
    chmodSync(cwd, 0o755);
    if (host.reviewerUid !== undefined) chownSync(cwd, host.reviewerUid, host.reviewerUid);
    // Another process of the reviewer's, holding a secret in its environment (the App's private key, say).
    decoy = spawn('sleep', ['60'], { env: { SAFARI_FAKE_SECRET: SECRET }, uid: host.reviewerUid, gid: host.reviewerUid, stdio: 'ignore' });
  });
  afterAll(() => {
    decoy.kill('SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  });

  it('gets the protections this host allows', () => {
    const expected: Record<string, string[]> = {
      'Safari as this process': root ? ['network', 'processes', 'user', 'limits'] : ['network', 'processes', 'user', 'limits'],
      'Safari as an unprivileged user': ['network', 'processes', 'user', 'limits'],
      // Without namespaces only root can still separate the user (spawn's uid/gid).
      'a host without unshare': root ? ['user', 'limits'] : ['limits'],
    };
    expect(plan.protections).toEqual(expected[host.who]);
  });

  it('starts every child with an empty environment, as another user', async () => {
    const r = await attack(host, plan, cwd, ['env']);
    const seen = answer(r);
    expect(seen.keys).toEqual([]);
    if (has('user') && plan.namespaces.length) expect([seen.uid, seen.gid]).toEqual([65534, 65534]);
    if (host.tools.root && has('user')) {
      expect(isChildUid(r.uid!)).toBe(true);
      expect(r.uid).not.toBe(process.getuid!());
    }
  });

  it('gives each child its own uid when Safari is root, never a shared one', () => {
    if (!plan.dedicatedUid) return expect(root && host.tools.root).toBe(false);
    const uids = new Set(Array.from({ length: 5 }, () => launchCommand(plan, LIMITS, ['-e', '0']).uid));
    expect(uids.size).toBe(5);
  });

  it('lets no byte reach any file', async () => {
    const outside = join(tmpdir(), `safari-protections-leak-${process.pid}-${host.reviewerUid ?? 0}.txt`);
    const inside = join(cwd, 'leak.txt');
    try {
      const r = await attack(host, plan, cwd, ['write', inside, outside]);
      const seen = answer(r);
      const bytes = (p: string) => (existsSync(p) ? statSync(p).size : -1);
      if (has('limits')) {
        // --fsize=0: the write fails whatever the directory allows.
        expect(seen[outside]).toBe('EFBIG');
        expect(bytes(outside)).toBeLessThanOrEqual(0);
        expect(['EFBIG', 'EACCES']).toContain(seen[inside]);
        expect(bytes(inside)).toBeLessThanOrEqual(0);
      } else {
        expect(seen[outside]).toBe('written');
        expect(bytes(outside)).toBeGreaterThan(0);
      }
    } finally {
      rmSync(outside, { force: true });
      rmSync(inside, { force: true });
    }
  });

  it('caps the address space', async () => {
    const seen = answer(await attack(host, plan, cwd, ['memory']));
    if (has('limits')) expect(seen.allocation).toMatch(/allocation failed|ERR_MEMORY_ALLOCATION_FAILED|Array buffer/i);
    else expect(seen.allocation).toBe('allocated');
  });

  it('stops a child that spins past its CPU limit on its own, without the parent', async () => {
    if (!has('limits')) return;
    const started = performance.now();
    const r = await attack(host, plan, cwd, ['spin'], 20_000);
    // Killed by the kernel (SIGXCPU; under `unshare --fork` unshare exits non-zero after it), not by our 20 s timer.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(r.signal === 'SIGXCPU' || (r.signal === null && r.status !== 0)).toBe(true);
  });

  it('keeps the child off the network, DNS included', async () => {
    const listener: Socket = createSocket('udp4');
    const received: string[] = [];
    listener.on('message', (m) => received.push(m.toString('latin1')));
    await new Promise<void>((res) => listener.bind(0, '127.0.0.1', () => res()));
    try {
      const seen = answer(await attack(host, plan, cwd, ['network', String(listener.address().port)]));
      await new Promise((r) => setTimeout(r, 200));
      if (has('network')) {
        expect(received).toEqual([]);
        expect(seen.interfaces).toEqual([]);
      } else {
        // What strict isolation exists to prevent: c-ares sends DNS from C++, past any JavaScript lockdown.
        expect(received.some((m) => m.includes('leak-dns'))).toBe(true);
        expect(received).toContain('leak-udp');
      }
    } finally {
      listener.close();
    }
  });

  it("can neither signal nor read the environment of the reviewer's other processes", async () => {
    const seen = answer(await attack(host, plan, cwd, ['reach', String(decoy.pid), String(process.pid)]));
    const target = seen.targets[String(decoy.pid)];
    if (has('processes')) {
      expect(seen.ppid).toBe(0);
      expect(target).toEqual({ signal: 'ESRCH', environ: 'ENOENT' });
    } else if (has('user')) {
      expect(target).toEqual({ signal: 'EPERM', environ: 'EACCES' });
    } else {
      expect(target.signal).toBe('allowed');
      expect(target.environ).toContain(SECRET);
    }
    for (const t of Object.values(seen.targets) as { environ: string }[]) {
      if (has('processes') || has('user')) expect(t.environ).not.toContain(SECRET);
    }
  });

  it('dies whole when the supervisor kills it: no orphan keeps running', async () => {
    const { child } = launch(host, plan, cwd, ['hold']);
    await new Promise((r) => child.stdout!.once('data', r));
    const inner = innermost(child.pid!);
    expect(existsSync(`/proc/${inner}`)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    for (let i = 0; i < 50 && existsSync(`/proc/${inner}/status`) && !zombie(inner); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(`/proc/${inner}/status`) && !zombie(inner)).toBe(false);
  });
});

/** The last process of the chain (unshare → node), seen from here. */
function innermost(pid: number): number {
  for (;;) {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    if (!children) return pid;
    pid = Number(children.split(' ')[0]);
  }
}
const zombie = (pid: number) => {
  try {
    return /State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
};

describe('the replay child', () => {
  it("runs under Node's permission model inside its namespaces: no writes, no processes, no workers", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'safari-protections-'));
    chmodSync(cwd, 0o755);
    const plan = choosePlan(hosts[0]);
    const child = new SandboxChild(plan, CHILD_SCRIPT, cwd, () => {});
    try {
      await child.ready;
      const inside = plan.namespaces.length ? { pid: 1, uid: 65534 } : {};
      expect(child.info).toMatchObject({ ...inside, permissions: { fsWrite: false, childProcess: false, worker: false } });
    } finally {
      child.kill();
      await child.closed();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('the plan in use on this machine', () => {
  // CI sets SAFARI_EXPECT_PLAN to the plan its machine must reach; a silently weaker sandbox then fails the build.
  const expected = process.env.SAFARI_EXPECT_PLAN ?? 'full';

  it(`is ${expected} for the replay children and the schema evaluation alike`, async () => {
    const sandbox = new ReplaySandbox({ size: 1, log: () => {} });
    try {
      expect((await sandbox.launchPlan).name).toBe(expected);
    } finally {
      await sandbox.close();
    }
    expect(schemaLaunchPlan().name).toBe(expected);
  });
});
