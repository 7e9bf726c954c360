// How the App reads a PR: GitHub's test merge or the lay-over of the PR's files on base, fork PRs, the read budget
// (≤ 5 requests to load a review whatever the number of migration files), and what a push that appends one costs.
import { afterEach, describe, expect, it } from 'vitest';
import { payload, pullRequestPayload, startHarness, type Harness } from './helpers/app-harness.js';
import { GitHubModel, type Files } from './helpers/github-model.js';

const WRANGLER = `name = "shop"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "shop-db"\ndatabase_id = "00000000-0000-0000-0000-000000000000"\n`;
const main: Files = {
  '.github/safari.yml': 'failOn: warning\n',
  'wrangler.toml': WRANGLER,
  'migrations/0001_init.sql': 'CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n',
};

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Requests that load the review's files (everything except the check run and the sticky comment with its head check). */
const loadingReads = (model: GitHubModel) =>
  model.summary().filter((r) => /^(GET \/pulls|GET \/git|GET \/compare|POST \/graphql)/.test(r) && r !== 'POST /graphql pr-head');

describe('the head the core reviews = base tip + the PR', () => {
  it("uses GitHub's test-merge commit when it is mergeable and its parents are the current base tip and PR tip", async () => {
    const model = new GitHubModel();
    const base = { ...main, 'migrations/0002_orders.sql': 'CREATE TABLE orders (id INTEGER PRIMARY KEY);\n' };
    model.addPull({ number: 1, mergeBase: main, base, head: { ...main, 'migrations/0003_items.sql': 'CREATE TABLE items (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders(id));\n' } });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 1));
    const s = model.shas(model.pulls.get(1)!);
    const trees = model.requests.filter((r) => r.path.includes('/git/trees/')).map((r) => r.path.split('/').pop());
    expect(trees).toEqual(expect.arrayContaining([s.base, s.mergedTree]));
    expect(model.summary()).not.toContain('GET /compare/:sha...:sha');
    // orders exists only on main (after the PR branched): the merged head has it, so the FK is fine.
    expect(model.checks[0].conclusion).toBe('success');
    expect(harness.logs.find((l) => l.msg === 'review')).toMatchObject({ method: 'test-merge' });
  });

  it("lays the PR's files over base when the test merge is stale, and reports files both sides changed as conflicts", async () => {
    const model = new GitHubModel();
    const base = { ...main, 'migrations/0002_orders.sql': 'CREATE TABLE orders (id INTEGER PRIMARY KEY);\n' };
    model.addPull({
      number: 2,
      mergeBase: main,
      base,
      head: { ...main, 'migrations/0002_orders.sql': 'CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT);\n' },
      staleTestMerge: true,
    });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 2));
    expect(model.summary()).toContain('GET /compare/:sha...:sha');
    expect(model.requests.filter((r) => r.path.includes('/git/trees/'))).toHaveLength(1);
    expect(harness.logs.find((l) => l.msg === 'review')).toMatchObject({ method: 'lay-over' });
    expect(model.comments[0].body).toContain('0002_orders.sql');
    expect(model.checks[0].output!.summary).toMatch(/conflict/i);
  });

  it('reads a fork PR through the base repository only', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 3, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' }, fork: true });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 3, (p) => {
      p.pull_request.head.repo.full_name = 'stranger/shop';
      p.pull_request.head.repo.owner.login = 'stranger';
    }));
    expect(model.checks[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    for (const r of model.requests) expect(r.path === '/graphql' || r.path.startsWith('/repos/octo-org/shop/')).toBe(true);
  });
});

describe('read budget', () => {
  it('loads a PR adding 100 migration files with 5 reads, the same as a PR adding one', async () => {
    const model = new GitHubModel();
    const many: Files = { ...main };
    for (let i = 0; i < 100; i++) many[`migrations/${String(i + 2).padStart(4, '0')}_t${i}.sql`] = `CREATE TABLE t${i} (id INTEGER PRIMARY KEY);\n`;
    model.addPull({ number: 4, mergeBase: main, base: main, head: many });
    model.addPull({ number: 5, mergeBase: main, base: main, head: { ...main, 'migrations/0002_t.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY);\n' } });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 4));
    const hundred = loadingReads(model);
    // The state and the file list go out side by side: either may arrive first.
    expect([...hundred.slice(0, 2)].sort()).toEqual(['GET /pulls/4/files', 'POST /graphql pr-state']);
    expect(hundred.slice(2)).toEqual(['GET /git/trees/:sha', 'GET /git/trees/:sha', 'POST /graphql blobs']);
    model.requests.length = 0;
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 5));
    expect(loadingReads(model)).toHaveLength(hundred.length);
    expect(model.checks.every((c) => c.status === 'completed')).toBe(true);
  });

  it('a push that appends one migration fetches exactly one new blob (blobs are cached by SHA)', async () => {
    const model = new GitHubModel();
    const head = { ...main, 'migrations/0002_a.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n' };
    model.addPull({ number: 6, mergeBase: main, base: main, head });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 6));
    model.requests.length = 0;
    model.pulls.get(6)!.head = { ...head, 'migrations/0003_b.sql': 'CREATE TABLE b (id INTEGER PRIMARY KEY);\n' };
    await harness.deliver('pull_request', pullRequestPayload(model, 'synchronize', 6));
    const blobQueries = model.requests.filter((r) => r.path === '/graphql' && /object\(oid/.test(r.body.query));
    expect(blobQueries).toHaveLength(1);
    expect(blobQueries[0].body.query.match(/object\(oid/g)).toHaveLength(1);
    // Listings are cached by SHA too: the base tip didn't move, only the new test merge's tree is read.
    const trees = model.requests.filter((r) => r.path.includes('/git/trees/')).map((r) => r.path.split('/').pop());
    const shas = model.shas(model.pulls.get(6)!);
    expect(trees).toEqual([shas.mergedTree]);
  });
});

describe('huge repositories', () => {
  it('a truncated recursive tree falls back to folder-by-folder listings and reviews the same', async () => {
    const model = new GitHubModel();
    const deep = { ...main, 'src/a/b/c.ts': 'export {};\n', 'docs/x.md': '# x\n' };
    model.addPull({ number: 50, mergeBase: deep, base: deep, head: { ...deep, 'migrations/0002_drop.sql': 'DROP TABLE customers;\n' } });
    model.truncateTrees = true;
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 50));
    const listings = model.requests.filter((r) => r.path.includes('/git/trees/'));
    expect(listings.filter((r) => r.query.recursive === '1')).toHaveLength(2);
    // Each side: the root again, then .github, migrations, src, src/a, src/a/b, docs.
    expect(listings.filter((r) => r.query.recursive === undefined).length).toBeGreaterThanOrEqual(14);
    expect(model.checks[0]).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '1 warning in shop-db' } });
  });
});

describe('annotations', () => {
  it('sends more than 50 annotations in batches of 50', async () => {
    const model = new GitHubModel();
    const base: Files = { ...main };
    for (let i = 0; i < 60; i++) base[`migrations/${String(i + 2).padStart(4, '0')}_t${i}.sql`] = `CREATE TABLE t${i} (id INTEGER PRIMARY KEY);\n`;
    const head: Files = { ...base };
    for (let i = 0; i < 60; i++) head[`migrations/${String(i + 62).padStart(4, '0')}_drop${i}.sql`] = `DROP TABLE t${i};\n`;
    model.addPull({ number: 7, mergeBase: base, base, head });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 7));
    const [check] = model.checks;
    expect(check.updates.map((u) => u.output?.annotations?.length)).toEqual([50, 10]);
    expect(check.updates[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output!.annotations).toHaveLength(60);
  });
});

describe('GitHub failing', () => {
  it('retries a 500 and then succeeds', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 8, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' } });
    model.failures.push({ method: 'GET', path: /\/git\/trees\//, statuses: [500] });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 8));
    expect(model.checks[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(model.requests.filter((r) => r.path.includes('/git/trees/'))).toHaveLength(3);
  });

  it('the API failing for good completes the check as failure with the reason, never leaving it in progress', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 9, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' } });
    model.failures.push({ method: 'GET', path: /\/pulls\/9\/files/, statuses: [], always: 502 });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 9));
    expect(model.checks[0]).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'GitHub API error (502)' } });
    expect(model.comments).toHaveLength(0);
  });

  it('a check run that cannot be created stops the review before it publishes anything (the review itself runs alongside)', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 19, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' } });
    model.failures.push({ method: 'POST', path: /\/check-runs$/, statuses: [], always: 502 });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 19));
    expect(model.checks).toHaveLength(0);
    expect(model.comments).toHaveLength(0);
    expect(model.summary().filter((r) => !r.startsWith('GET ') && !r.startsWith('POST /graphql'))).toEqual(['POST /check-runs', 'POST /check-runs', 'POST /check-runs', 'POST /check-runs']);
    expect(harness.logs.find((l) => l.msg === 'review failed before its check existed')).toMatchObject({ pr: 19 });
  });

  it('takes over a check a dead process left in progress on the same head instead of creating another', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 10, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' } });
    const head = model.shas(model.pulls.get(10)!).head;
    model.checks.push({ id: 1, head_sha: head, name: 'Migration Safari', status: 'in_progress', app: { id: 4242 }, updates: [] });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 10));
    expect(model.checks).toHaveLength(1);
    expect(model.checks[0]).toMatchObject({ id: 1, status: 'completed', conclusion: 'success' });
  });
});

describe('checks a dead process left behind', () => {
  it('the next review of the PR, whatever triggers it, completes unfinished checks on its older commits (found with the PR state: no extra read)', async () => {
    const model = new GitHubModel();
    const files = { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' };
    // Two pushes ago a process died reviewing the PR; its check is still in progress. Another App's check is not ours.
    const [twoAgo, oneAgo] = ['a'.repeat(40), 'b'.repeat(40)];
    model.addPull({ number: 31, mergeBase: main, base: main, head: files, earlierCommits: [twoAgo, oneAgo] });
    model.checks.push({ id: 1, head_sha: twoAgo, name: 'Migration Safari', status: 'in_progress', app: { id: 4242 }, updates: [] });
    model.checks.push({ id: 2, head_sha: oneAgo, name: 'Migration Safari', status: 'in_progress', app: { id: 999 }, updates: [] });
    harness = await startHarness(model);
    await harness.deliver('issue_comment', payload('issue_comment.created.pr', (p) => {
      p.issue.number = 31;
      p.comment.body = '/safari rerun';
      p.comment.user = { login: 'dev', type: 'User' };
      p.repository.name = model.repo;
      p.repository.owner.login = model.owner;
    }));
    expect(model.checks.find((c) => c.id === 1)).toMatchObject({ status: 'completed', conclusion: 'cancelled', output: { title: 'Superseded by a newer push' } });
    expect(model.checks.find((c) => c.id === 2)).toMatchObject({ status: 'in_progress' });
    expect(model.checks.find((c) => c.id > 2)).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(model.summary().filter((r) => r.startsWith('GET /commits/'))).toHaveLength(1); // only the head's own lookup
  });

  it('the next push closes the unfinished check on the previous head (synchronize `before`), also after a force-push', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 30, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' } });
    const oldHead = model.shas(model.pulls.get(30)!).head;
    model.checks.push({ id: 1, head_sha: oldHead, name: 'Migration Safari', status: 'in_progress', app: { id: 4242 }, updates: [] });
    model.pulls.get(30)!.head = { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY, y TEXT);\n' };
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'synchronize', 30, (p) => (p.before = oldHead)));
    expect(model.checks.find((c) => c.id === 1)).toMatchObject({ status: 'completed', conclusion: 'cancelled', output: { title: 'Superseded by a newer push' } });
    expect(model.checks.find((c) => c.id !== 1)).toMatchObject({ status: 'completed', conclusion: 'success' });
  });
});

describe('drafts', () => {
  it('are reviewed by default', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 40, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' }, draft: true });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 40));
    expect(model.checks.map((c) => c.conclusion)).toEqual(['success']);
  });

  it('with `reviewDrafts: false` on the base branch get no check until they are marked ready', async () => {
    const model = new GitHubModel();
    const base = { ...main, '.github/safari.yml': 'failOn: warning\nreviewDrafts: false\n' };
    model.addPull({ number: 41, mergeBase: base, base, head: { ...base, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' }, draft: true });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 41));
    expect(model.checks).toEqual([]);
    expect(harness.logs.find((l) => l.msg === 'review')).toMatchObject({ conclusion: 'skipped', reason: 'draft (reviewDrafts: false)' });
    model.pulls.get(41)!.draft = false;
    await harness.deliver('pull_request', pullRequestPayload(model, 'ready_for_review', 41));
    expect(model.checks.map((c) => c.conclusion)).toEqual(['success']);
  });
});

describe('limits', () => {
  it('a review past its deadline is stopped and its check completed as failure', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 20, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' } });
    harness = await startHarness(model, { reviewTimeoutMs: 5 });
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 20));
    expect(model.checks[0]).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Review stopped: it ran out of time' } });
    expect(model.comments).toHaveLength(0);
  });

  it('strict isolation (the default): where the sandbox cannot isolate, the check is neutral and no PR code runs', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 21, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' } });
    harness = await startHarness(model, { isolation: 'strict', workerScript: new URL('./helpers/weak-worker.mjs', import.meta.url).pathname });
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 21));
    expect(model.checks[0]).toMatchObject({ status: 'completed', conclusion: 'neutral', output: { title: 'Not reviewed: the sandbox cannot isolate this pull request' } });
    expect(model.checks[0].output!.summary).toContain('(plain)');
  });
});

describe('triggers', () => {
  it('re-reviews when the PR moves to another base branch (edited with changes.base), not on a title edit', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 22, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' } });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 22));
    await harness.deliver('pull_request', pullRequestPayload(model, 'edited', 22, (p) => (p.changes = { title: { from: 'old' } })));
    expect(model.checks).toHaveLength(1);
    await harness.deliver('pull_request', pullRequestPayload(model, 'edited', 22, (p) => (p.changes = { base: { ref: { from: 'develop' }, sha: { from: 'a'.repeat(40) } } })));
    expect(model.checks).toHaveLength(2);
    expect(model.checks[1].status).toBe('completed');
  });

  it('"Re-run" on the check run and on the check suite review the PRs they list', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 23, mergeBase: main, base: main, head: { ...main, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER PRIMARY KEY);\n' } });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 23));
    const shas = model.shas(model.pulls.get(23)!);
    const prRef = { number: 23, id: 1, url: '', head: { ref: 'pr', sha: shas.head, repo: { id: 1, url: '', name: 'shop' } }, base: { ref: 'main', sha: shas.base, repo: { id: 1, url: '', name: 'shop' } } };
    await harness.deliver('check_run', payload('check_run.rerequested', (p) => {
      p.check_run.pull_requests = [prRef];
      p.repository.name = 'shop';
      p.repository.owner.login = 'octo-org';
    }));
    await harness.deliver('check_suite', payload('check_suite.rerequested', (p) => {
      p.check_suite.pull_requests = [prRef];
      p.repository.name = 'shop';
      p.repository.owner.login = 'octo-org';
    }));
    expect(model.checks.map((c) => c.status)).toEqual(['completed', 'completed', 'completed']);
  });
});
