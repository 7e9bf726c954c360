// Safari itself run as an unprivileged user (the App's container should not run as root): both sandboxes still reach
// the full plan here, so strict isolation replays and evaluates. Needs root to start the unprivileged process.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const script = new URL('./non-root-safari.mjs', import.meta.url).pathname;
const UNPRIVILEGED = 65533;

describe.runIf(process.getuid?.() === 0)('Safari as an unprivileged user', () => {
  it(`replays and evaluates under the ${process.env.SAFARI_EXPECT_PLAN ?? 'full'} plan with strict isolation`, () => {
    // @ts-expect-error spawnSync honours `detached` (normalizeSpawnArguments passes it to libuv); @types/node omits it.
    const run = spawnSync(process.execPath, [script], {
      // Its own session, like a service: the attack must not reach the test runner's group either.
      detached: true,
      uid: UNPRIVILEGED,
      gid: UNPRIVILEGED,
      cwd: '/tmp',
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout);
    const expected = process.env.SAFARI_EXPECT_PLAN ?? 'full';
    expect(seen).toEqual({
      uid: UNPRIVILEGED,
      replayPlan: expected,
      schemaPlan: expected,
      replayOk: true,
      tables: ['t'],
      evaluation: 'ok',
      killers: [expect.stringMatching(/^(ok|crashed)$/), 'threw'],
    });
    // A schema that SIGKILLs its process group reaches only its own sandbox: `unshare`, whose death takes the child
    // down (crashed) unless the child answered first (ok). One that SIGKILLs every process it can finds none (ESRCH,
    // so it threw). Either way Safari lived to print the line: in Safari's own group the first would have killed it.
  });
});
