// Whole reviews of PRs that try to pass by themselves: acknowledging their own errors, or running where the sandbox is
// weaker than it should be.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { renderJson } from '../../src/render/json.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { ConfigurationError } from '../../src/review.js';
import { launchPlans } from '../../src/sandbox/launch.js';
import { reviewFiles } from '../helpers/review-files.js';
import { recordingSandboxPerTest } from '../replay/fake-child-plan.js';

const base = {
  'migrations/0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\nCREATE TABLE posts (id INTEGER PRIMARY KEY);\n',
  'src/users.ts': 'export const query = "SELECT id, email FROM users";\n',
};

describe('a PR that acknowledges its own findings', () => {
  const pr = {
    'migrations/0002_drop.sql':
      "-- safari-ignore: drop-referenced-table, destructive-change, replay-error nothing to see\nDROP TABLE users;\nATTACH DATABASE 'x.db' AS x;\n",
  };

  it('acknowledges its warnings only: the dropped table code uses and the refused ATTACH still fail it', async () => {
    const result = await reviewFiles({ base, pr });
    const byRule = Object.fromEntries(result.findings.map((f) => [`${f.rule}/${f.messageId}`, f]));
    expect(byRule['destructive-change/dropTable']).toMatchObject({ severity: 'warning', acknowledged: { reason: 'nothing to see' } });
    expect(byRule['drop-referenced-table/table']?.acknowledged).toBeUndefined();
    expect(byRule['drop-referenced-table/table']?.details).toContainEqual(expect.stringMatching(/can't acknowledge an error/));
    expect(byRule['replay-error/refused']).toMatchObject({ severity: 'error', line: 3 });
    expect(byRule['replay-error/refused'].acknowledged).toBeUndefined();
    expect(result.conclusion).toBe('failure');
  });

  it('lets the base config allow inline acknowledgement of one rule, and a writer acknowledge another, never a refusal', async () => {
    const result = await reviewFiles({
      base: { ...base, '.github/safari.yml': 'rules:\n  drop-referenced-table: { allowInlineAck: true }\n  replay-error: { allowInlineAck: true }\n' },
      pr,
      options: { acknowledgements: [{ rule: 'replay-error', reason: 'ok by me', by: 'maintainer' }] },
    });
    const byRule = Object.fromEntries(result.findings.map((f) => [`${f.rule}/${f.messageId}`, f]));
    expect(byRule['drop-referenced-table/table'].acknowledged).toEqual({ reason: 'nothing to see' });
    expect(byRule['replay-error/refused'].acknowledged).toBeUndefined();
    expect(result.conclusion).toBe('failure');
  });
});

describe("a replay that stops before the PR's migrations ran", () => {
  // A child that answers a schema that does not fit together (a subverted or broken sandbox): nothing it said is
  // believed, on base or head, so the PR's migration never ran. Main's failure stays main's; the PR is not passed.
  const recordingSandbox = recordingSandboxPerTest();

  it("is not a green check: the stop is main's, the PR's migration is named as not reviewed", async () => {
    const { sandbox } = recordingSandbox({ flags: ['bad-patch-always'] });
    const pr = { 'migrations/0002_more.sql': 'CREATE TABLE tags (id INTEGER PRIMARY KEY);\n' };
    const result = await reviewFiles({ base, pr, sandbox });
    const byRule = Object.fromEntries(result.findings.map((f) => [`${f.rule}/${f.messageId}`, f]));
    expect(byRule['replay-error/crashed']).toMatchObject({ file: 'migrations/0001_init.sql', preexisting: true });
    expect(byRule['review-incomplete/replay-stopped']).toMatchObject({
      severity: 'error',
      file: 'migrations/0002_more.sql',
      preexisting: false,
      message:
        "The replay of migrations stopped at migrations/0001_init.sql:1 (see the replay-error finding there) before the PR's migrations ran: `migrations/0002_more.sql` is not reviewed.",
    });
    expect(result.conclusion).toBe('failure');
    expect(renderMarkdown(result)).toContain(
      "The replay of `migrations` stopped at `migrations/0001_init.sql:1` (see the replay-error finding there) before the PR's migrations ran: `migrations/0002_more.sql` is not reviewed.",
    );
  });

  it('says nothing more when the PR changes no migration of that database', async () => {
    const { sandbox } = recordingSandbox({ flags: ['bad-patch-always'] });
    const result = await reviewFiles({ base, pr: { 'src/users.ts': 'export const query = "SELECT id FROM users";\n' }, sandbox });
    expect(result.findings.filter((f) => f.rule === 'review-incomplete')).toEqual([]);
    expect(result.findings.find((f) => f.rule === 'replay-error')).toMatchObject({ messageId: 'crashed', preexisting: true });
  });
});

describe('the isolation setting', () => {
  // The strongest plan this machine has, minus the network namespace: what a host without it would run.
  const weak = launchPlans().find((p) => p.protections.join() === 'processes,user,limits')!;
  const weakSandbox = new ReplaySandbox({ size: 1, log: () => {}, launchPlans: () => [weak] });
  afterAll(() => weakSandbox.close());
  afterEach(() => {
    delete process.env.SAFARI_ISOLATION;
  });
  const pr = { 'migrations/0002_more.sql': 'CREATE TABLE tags (id INTEGER PRIMARY KEY);\n' };

  it.each([
    ['the caller (the App)', {}, { isolation: 'strict' as const }, undefined],
    ['the base config', { '.github/safari.yml': 'sandbox:\n  isolation: strict\n' }, {}, undefined],
    ['SAFARI_ISOLATION', {}, {}, 'strict'],
    ['the strictest of them (config strict, caller best-effort)', { '.github/safari.yml': 'sandbox:\n  isolation: strict\n' }, { isolation: 'best-effort' as const }, 'best-effort'],
  ])('strict from %s replays nothing on a weaker sandbox and ends neutral, saying why', async (_from, config, options, env) => {
    if (env) process.env.SAFARI_ISOLATION = env;
    const result = await reviewFiles({ base: { ...base, ...config }, pr, options, sandbox: weakSandbox });
    expect(result.conclusion).toBe('neutral');
    expect(result.findings.map((f) => [f.rule, f.messageId, f.severity])).toEqual([['sandbox', 'unavailable', 'warning']]);
    expect(result.findings[0].message).toBe(
      'Sandbox unavailable: nothing was replayed or evaluated. Isolation is strict, and this machine cannot give the sandbox no network (an empty network namespace).',
    );
    expect(result.sandbox).toEqual({ isolation: 'strict', missing: ['network'], refused: true });
    expect(result.databases[0]).toMatchObject({ base: { ok: false, tables: 0 }, head: { ok: false, tables: 0 } });
    const comment = renderMarkdown(result);
    expect(comment).toContain('Sandbox unavailable: nothing was replayed or evaluated. Isolation is strict, and this machine cannot give the sandbox no network (an empty network namespace).');
    expect(renderJson(result)).toContain('"refused": true');
  });

  it('a PR cannot weaken it: its own safari.yml saying best-effort changes nothing', async () => {
    const strictBase = { ...base, '.github/safari.yml': 'sandbox:\n  isolation: strict\n' };
    const result = await reviewFiles({ base: strictBase, pr: { ...pr, '.github/safari.yml': 'sandbox:\n  isolation: best-effort\n' }, sandbox: weakSandbox });
    expect(result.sandbox?.refused).toBe(true);
    expect(result.conclusion).toBe('neutral');
  });

  it('best-effort replays on the weaker sandbox and names what was missing', async () => {
    const result = await reviewFiles({ base, pr, sandbox: weakSandbox });
    expect(result.findings.map((f) => [f.rule, f.messageId, f.severity])).toEqual([['sandbox', 'weaker', 'notice']]);
    expect(result.findings[0].message).toMatch(/^The sandbox ran without no network \(an empty network namespace\) \(isolation: best-effort\)/);
    expect(result.databases[0].head).toMatchObject({ ok: true, tables: 3 });
    expect(result.conclusion).toBe('success');
  });

  it('says nothing about the sandbox on the full plan, strict or not', async () => {
    const result = await reviewFiles({ base, pr, options: { isolation: 'strict' } });
    expect(result.findings).toEqual([]);
    expect(result.sandbox).toEqual({ isolation: 'strict', missing: [], refused: false });
    expect(result.conclusion).toBe('success');
  });

  it('refuses a SAFARI_ISOLATION that is neither setting, naming it', async () => {
    process.env.SAFARI_ISOLATION = 'strikt';
    await expect(reviewFiles({ base, pr })).rejects.toThrow(ConfigurationError);
    await expect(reviewFiles({ base, pr })).rejects.toThrow(/^SAFARI_ISOLATION: must be "strict" or "best-effort", not "strikt"$/);
  });
});
