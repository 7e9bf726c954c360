// The launch plans as data: which protections each candidate claims and the exact commands a child starts with.
// protections.test.ts checks that the commands really give those protections.
import { describe, expect, it } from 'vitest';
import { isChildUid } from '../../src/sandbox/child-uid.js';
import { launchCommand, launchPlans } from '../../src/sandbox/launch.js';

const tools = { unshare: '/usr/bin/unshare', prlimit: '/usr/bin/prlimit' };
const limits = { addressSpaceBytes: 2 * 1024 ** 3, cpuSeconds: [600, 620] as [number, number] };

describe('launchPlans', () => {
  it('puts every protection on the strongest plan: user, network and PID namespaces with their own /proc, and limits', () => {
    const [strongest] = launchPlans({ ...tools, root: false });
    expect(strongest).toMatchObject({ name: 'full', missing: [], protections: ['network', 'processes', 'user', 'limits'] });
    const c = launchCommand(strongest, limits, ['child.js']);
    expect([c.command, ...c.args]).toEqual([
      '/usr/bin/unshare', '--user', '--map-user=65534', '--map-group=65534', '-n', '-p', '--fork', '--mount-proc', '--kill-child', '--',
      '/usr/bin/prlimit', '--as=2147483648', '--cpu=600:620', '--fsize=0', '--core=0', '--',
      process.execPath, 'child.js',
    ]);
    expect(c.uid).toBeUndefined();
  });

  it('as root, starts each child as a uid of its own (never the reviewer, never nobody, never shared)', () => {
    const [strongest] = launchPlans({ ...tools, root: true });
    const uids = Array.from({ length: 20 }, () => launchCommand(strongest, limits, ['x']).uid!);
    expect(new Set(uids).size).toBe(20);
    for (const uid of uids) {
      expect(isChildUid(uid)).toBe(true);
      expect([0, 65534]).not.toContain(uid);
    }
  });

  it('names what each weaker plan lacks, down to a plain process', () => {
    const names = launchPlans({ ...tools, root: false }).map((p) => p.missing.join('+') || 'nothing');
    expect(names).toEqual(['nothing', 'limits', 'processes', 'processes+limits', 'network', 'network+limits', 'network+processes+user', 'network+processes+user+limits']);
    expect(launchPlans({ unshare: null, prlimit: null, root: false })).toEqual([
      expect.objectContaining({ name: 'plain', namespaces: [], prlimit: null, missing: ['network', 'processes', 'user', 'limits'] }),
    ]);
  });

  it("as root, falls back to root's own uid last, and says the user is then not separated", () => {
    const plans = launchPlans({ ...tools, root: true });
    expect(plans.filter((p) => p.dedicatedUid)).toHaveLength(8);
    const last = plans.filter((p) => !p.dedicatedUid);
    expect(last.map((p) => p.missing.includes('user'))).toEqual(Array(8).fill(true));
    expect(plans.indexOf(last[0])).toBe(8);
  });

  it('keeps uid separation without unshare when root (spawn sets the uid; no namespace needed)', () => {
    const [strongest] = launchPlans({ unshare: null, prlimit: tools.prlimit, root: true });
    expect(strongest).toMatchObject({ name: 'partial', protections: ['user', 'limits'], missing: ['network', 'processes'] });
    expect(isChildUid(launchCommand(strongest, limits, ['x']).uid!)).toBe(true);
  });
});
