// `safari backtest` on a small generated history: which commits it reviews, what it blames each for, the summary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest } from '../../src/backtest/backtest.js';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { captureCli } from '../helpers/capture-cli.js';
import { cleanupRepos, git, makeRepo } from '../helpers/git-repo.js';

const wrangler = `name = "app"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\ndatabase_id = "x"\n`;
let repo: string;
const sandbox = new ReplaySandbox();

beforeAll(async () => {
  repo = await makeRepo([
    { branch: 'main', message: 'init', files: { 'wrangler.toml': wrangler, 'migrations/0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n' } },
    { branch: 'main', message: 'docs only', files: { 'README.md': 'hello\n' } },
    { branch: 'main', message: 'add posts', files: { 'migrations/0002_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY);\n' } },
    { branch: 'main', message: 'index a missing column', files: { 'migrations/0003_bad.sql': '-- oops\nCREATE INDEX users_name ON users(name);\n' } },
    // A PR branch merged with a merge commit: the merge is what the branch received, reviewed onto its first parent.
    { branch: 'feature', from: 'main', message: 'feature: tags', files: { 'migrations/0004_tags.sql': 'CREATE TABLE tags (id INTEGER PRIMARY KEY);\n' } },
    { branch: 'feature', message: 'feature: docs', files: { 'docs.md': 'x\n' } },
    { branch: 'main' },
  ]);
  await git(repo, ['merge', '--no-ff', '-q', '-m', 'Merge feature', 'feature']);
});

afterAll(async () => {
  await sandbox.close();
  await cleanupRepos();
});

describe('backtest', () => {
  it('reviews each first-parent commit that touches migrations against its parent, and summarises', async () => {
    const progress: string[] = [];
    const result = await backtest({
      repo,
      sandbox,
      progress: (e) => progress.push(e.kind === 'start' ? `start ${e.total}/${e.considered}` : `${e.index} ${e.commit.subject}`),
    });
    // Root commit: nothing to review it against; docs only: irrelevant; feature commits: not first-parent.
    expect(result.considered).toBe(5);
    expect(result.commits.map((c) => c.subject)).toEqual(['add posts', 'index a missing column', 'Merge feature']);
    expect(result.commits.map((c) => c.outcome)).toEqual(['success', 'failure', 'success']);
    const bad = result.commits[1];
    expect(bad.errors).toEqual([
      expect.objectContaining({ rule: 'replay-error', file: 'migrations/0003_bad.sql', line: 2, database: 'app-db' }),
    ]);
    expect(bad.errors[0].message).toContain('no such column: name');
    // The merge's review sees the broken 0003 as main's problem, not the merge's.
    expect(result.commits[2].errors).toEqual([]);
    expect(result.commits[2].preexisting).toBeGreaterThan(0);
    expect(result.summary).toMatchObject({ reviewed: 3, failed: 1, passed: 2, neutral: 0, byRule: [{ rule: 'replay-error', errors: 1, warnings: 0 }] });
    expect(result.summary.timing.maxMs).toBeGreaterThanOrEqual(result.summary.timing.medianMs);
    expect(progress).toEqual(['start 3/5', '1 add posts', '2 index a missing column', '3 Merge feature']);
  });

  it('--last N keeps the newest N relevant commits; --since REV only those after it', async () => {
    const last = await backtest({ repo, sandbox, last: 1 });
    expect(last.commits.map((c) => c.subject)).toEqual(['Merge feature']);
    const since = await backtest({ repo, sandbox, since: 'HEAD~2' });
    expect(since.commits.map((c) => c.subject)).toEqual(['index a missing column', 'Merge feature']);
    const onFeature = await backtest({ repo, sandbox, branch: 'feature' });
    expect(onFeature.commits.map((c) => c.subject)).toEqual(['add posts', 'index a missing column', 'feature: tags']);
  });

  it('says when the clone is shallow, and skips the commit whose parent is cut off', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = join(await mkdtemp(join(tmpdir(), 'safari-shallow-')), 'clone');
    await git(tmpdir(), ['clone', '-q', '--depth', '2', `file://${repo}`, dir]);
    const result = await backtest({ repo: dir, sandbox });
    expect(result.shallow).toBe(true);
    expect(result.commits.map((c) => c.subject)).toEqual(['Merge feature']);
    expect((await backtest({ repo, sandbox, last: 1 })).shallow).toBe(false);
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('a broken safari.yml on the parent is reported for that commit, and the run goes on', async () => {
    const broken = await makeRepo([
      { branch: 'main', files: { 'wrangler.toml': wrangler, 'migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER);\n' } },
      { branch: 'main', message: 'bad config', files: { '.github/safari.yml': 'failOn: sometimes\n' } },
      { branch: 'main', message: 'next migration', files: { 'migrations/0002_b.sql': 'CREATE TABLE b (id INTEGER);\n' } },
    ]);
    const result = await backtest({ repo: broken, sandbox });
    expect(result.commits.map((c) => [c.subject, c.outcome])).toEqual([
      ['bad config', 'success'],
      ['next migration', 'configuration-error'],
    ]);
    expect(result.commits[1].problem).toContain('failOn');
    expect(result.summary.configurationErrors).toBe(1);
  });
});

describe('safari backtest (CLI)', () => {
  const capture = captureCli;

  it('prints the summary on stdout, progress on stderr, and exits 0 whatever the history holds', async () => {
    const { code, stdout, stderr } = await capture(['backtest', '--repo', repo, '--format', 'text']);
    expect(code).toBe(0);
    expect(stdout).toContain('3 commits reviewed of 5 first-parent commits on HEAD');
    expect(stdout).toContain('1 would have failed, 0 neutral, 2 passed');
    expect(stdout).toMatch(/replay-error\s+1\s+0/);
    expect(stdout).toMatch(/✖ replay-error  migrations\/0003_bad\.sql:2 \[app-db\]  .*no such column: name/);
    expect(stderr).toMatch(/\[2\/3\] [0-9a-f]{7} index a missing column — failure: 1 error, 0 warnings/);
    const md = await capture(['backtest', '--repo', repo, '--format', 'markdown']);
    expect(md.stdout).toContain('| `replay-error` | 1 | 0 |');
    expect(md.stdout).toContain('### Commits with errors');
    const json = JSON.parse((await capture(['backtest', '--repo', repo, '--format', 'json'])).stdout);
    expect(json.summary).toMatchObject({ reviewed: 3, failed: 1 });
  });

  it('refuses --last with --since, a bad --last, and an unknown branch with one line and exit 2', async () => {
    expect((await capture(['backtest', '--repo', repo, '--last', '2', '--since', 'HEAD~1'])).code).toBe(2);
    const bad = await capture(['backtest', '--repo', repo, '--last', 'ten']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--last must be a positive whole number');
    const unknown = await capture(['backtest', '--repo', repo, '--branch', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--branch "nope" is not a commit');
  });
});

describe('backtest on the grove fixture', () => {
  it('finds the reverted incident: the ADD COLUMN production refused, and the revert of it only a warning', async () => {
    const { buildFixture } = await import('../../fixtures/generate/index.mjs');
    const grove = await buildFixture('grove');
    const log = (await git(grove, ['log', 'main', '--format=%H %s'])).split('\n');
    const sha = async (subject: string) => log.find((l) => l.slice(41) === subject)!.slice(0, 40);
    const incident = await sha('Meadow: remember when a post was pinned');
    const revert = await sha('Revert "Meadow: remember when a post was pinned"');
    const result = await backtest({ repo: grove, sandbox, branch: revert, since: `${incident}~1` });
    expect(result.commits.map((c) => [c.subject, c.outcome, c.errors.map((e) => e.rule)])).toEqual([
      ['Meadow: remember when a post was pinned', 'failure', ['add-column-on-populated-table']],
      ['Revert "Meadow: remember when a post was pinned"', 'neutral', []],
    ]);
    // Every database with rows in meadow_posts refused it; one with an empty table may have run it: said, not failed.
    expect(result.commits[1].warnings).toContainEqual(expect.objectContaining({ rule: 'deleted-migration', messageId: 'deletedRefused' }));
    expect(result.commits[0].errors[0]).toMatchObject({ file: 'libs/engine/migrations/077_meadow_pinned_at.sql', line: 2, database: 'grove-engine-db' });
  }, 120_000);
});

describe('backtest Markdown', () => {
  it('keeps commit subjects and finding values from the repository inside code', async () => {
    const { renderBacktestMarkdown } = await import('../../src/backtest/render-backtest.js');
    const { summarize } = await import('../../src/backtest/backtest.js');
    const hostile = await makeRepo([
      { branch: 'main', files: { 'wrangler.toml': wrangler, 'migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER);\n' } },
      { branch: 'main', message: 'ping @org/team <img src=x onerror=alert(1)> [link](https://evil.example)', files: { 'migrations/0002_b.sql': 'CREATE INDEX "@org/x <b>" ON a (nope);\n' } },
    ]);
    const result = await backtest({ repo: hostile, sandbox });
    expect(result.summary).toEqual(summarize(result.commits));
    const md = renderBacktestMarkdown(result);
    expect(md).toContain('`ping @org/team <img src=x onerror=alert(1)> [link](https://evil.example)`');
    // Outside code spans: no mention, no tag, no link from the repository.
    const outside = md.replace(/(`+)[^`]*?\1/g, '');
    expect(outside).not.toMatch(/@org|<img|<b>|\]\(https/);
  });
});
