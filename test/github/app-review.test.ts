// The App end to end inside one process: webhook → queued review in a worker → check run and sticky comment, with
// GitHub served by nock (test/github/helpers/github-model.ts) and every request asserted.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeData } from '../../src/github/sticky-comment.js';
import { pullRequestPayload, startHarness, type Harness } from './helpers/app-harness.js';
import { BOT_LOGIN, GitHubModel, type Files } from './helpers/github-model.js';

const WRANGLER = `name = "shop"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "shop-db"\ndatabase_id = "00000000-0000-0000-0000-000000000000"\n`;
const INIT = 'CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\nCREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total INTEGER NOT NULL);\n';
const main: Files = { '.github/safari.yml': 'failOn: warning\n', 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': INIT, 'README.md': 'shop\n' };

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(model: GitHubModel, settings = {}) {
  harness = await startHarness(model, settings);
  return harness;
}

describe('a pull request that drops a table', () => {
  it('creates the check in progress, completes it with the conclusion, title and annotations, then creates the one sticky comment', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 7, mergeBase: main, base: main, head: { ...main, 'migrations/0002_drop_orders.sql': 'DROP TABLE orders;\n' } });
    const h = await start(model);
    await h.deliver('pull_request', pullRequestPayload(model, 'opened', 7));

    const sent = model.summary();
    // The check, the file loading and the comment lookup go out side by side; the order within each is fixed.
    expect([...sent].sort()).toEqual(
      [
        'POST /graphql pr-state',
        'GET /commits/:sha/check-runs',
        'POST /check-runs',
        'GET /pulls/7/files',
        'GET /git/trees/:sha',
        'GET /git/trees/:sha',
        'POST /graphql blobs',
        'GET /issues/7/comments',
        'PATCH /check-runs/100',
        'POST /graphql pr-head',
        'POST /issues/7/comments',
      ].sort(),
    );
    const at = (r: string) => sent.indexOf(r);
    // The PR's state, the check runs on the event's head and the changed files go out first, side by side.
    expect([at('POST /graphql pr-state'), at('GET /commits/:sha/check-runs'), at('GET /pulls/7/files')].sort()).toEqual([0, 1, 2]);
    expect(at('GET /commits/:sha/check-runs')).toBeLessThan(at('POST /check-runs'));
    expect(at('GET /pulls/7/files')).toBeLessThan(at('POST /graphql blobs'));
    // The comment only once GitHub confirms the reviewed head is still the PR's (another replica may have moved on).
    expect(at('POST /graphql pr-head')).toBeLessThan(at('POST /issues/7/comments'));
    for (const write of ['PATCH /check-runs/100', 'POST /issues/7/comments']) {
      expect(at(write)).toBeGreaterThan(Math.max(at('POST /check-runs'), at('POST /graphql blobs'), at('GET /issues/7/comments')));
    }
    const [check] = model.checks;
    expect(check.head_sha).toBe(model.shas(model.pulls.get(7)!).head);
    expect(check.updates[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output!.title).toMatch(/^1 warning in shop-db$/);
    expect(check.output!.annotations).toEqual([
      expect.objectContaining({ path: 'migrations/0002_drop_orders.sql', start_line: 1, annotation_level: 'warning', title: 'destructive-change' }),
    ]);
    expect(model.comments).toHaveLength(1);
    expect(model.comments[0].body).toMatch(/^<!-- migration-safari -->/);
    expect(model.comments[0].body).toContain('https://example.test/docs/rules/destructive-change.md');
    expect(model.comments[0].body).toContain('[the check run](https://github.com/octo-org/shop/runs/100)');
    expect(decodeData(model.comments[0].body).head).toBe(check.head_sha);
    const line = h.logs.find((l) => l.msg === 'review');
    expect(line).toMatchObject({ repo: 'octo-org/shop', pr: 7, head: check.head_sha, conclusion: 'failure', method: 'test-merge', requests: { reads: 8, writes: 3, sourceReads: 5 } });
    expect(line!.durationMs).toBeGreaterThan(0);
    expect(JSON.stringify(h.logs)).not.toContain('ghs_test_token');
    expect(JSON.stringify(h.logs)).not.toContain('DROP TABLE');
  });

  it('updates the same comment on the next push and never duplicates it; a redelivered webhook changes nothing', async () => {
    const model = new GitHubModel();
    const pr = { number: 8, mergeBase: main, base: main, head: { ...main, 'migrations/0002_drop_orders.sql': 'DROP TABLE orders;\n' } };
    model.addPull(pr);
    const h = await start(model);
    const opened = pullRequestPayload(model, 'opened', 8);
    await h.deliver('pull_request', opened);
    await h.deliver('pull_request', opened); // redelivery
    expect(model.checks).toHaveLength(1);
    expect(model.comments).toHaveLength(1);

    model.pulls.get(8)!.head = { ...main, 'migrations/0002_add_note.sql': 'ALTER TABLE orders ADD COLUMN note TEXT;\n' };
    await h.deliver('pull_request', pullRequestPayload(model, 'synchronize', 8));
    expect(model.checks).toHaveLength(2);
    expect(model.checks[1].conclusion).toBe('success');
    expect(model.comments).toHaveLength(1);
    expect(model.comments[0].body).not.toContain('destructive-change');
    expect(model.comments[0].body).toContain('note');
    expect(model.summary().filter((r) => r.startsWith('PATCH /issues/comments/'))).toHaveLength(1);
  });

  it("never edits another user's comment that carries the marker", async () => {
    const model = new GitHubModel();
    model.addPull({ number: 9, mergeBase: main, base: main, head: { ...main, 'migrations/0002_drop_orders.sql': 'DROP TABLE orders;\n' } });
    model.comments.push({ id: 1, body: '<!-- migration-safari -->\nquoted by a human', user: { login: 'mallory', type: 'User' } });
    model.comments.push({ id: 2, body: '<!-- migration-safari -->\nanother bot', user: { login: 'other-bot[bot]', type: 'Bot' } });
    const h = await start(model);
    await h.deliver('pull_request', pullRequestPayload(model, 'opened', 9));
    expect(model.comments.map((c) => c.user.login)).toEqual(['mallory', 'other-bot[bot]', BOT_LOGIN]);
    expect(model.comments[0].body).toBe('<!-- migration-safari -->\nquoted by a human');
  });
});

describe('size', () => {
  it("a review longer than GitHub's comment limit is shortened under 65,536 characters and links the check run, which has every annotation", async () => {
    const model = new GitHubModel();
    const tables = Array.from({ length: 400 }, (_, i) => `CREATE TABLE table_with_a_long_name_${i} (id INTEGER PRIMARY KEY, customer_id INTEGER);`).join('\n');
    const big = { ...main, 'migrations/0002_many.sql': `${tables}\n` };
    const drops = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`migrations/${String(i + 3).padStart(4, '0')}_drop.sql`, `DROP TABLE table_with_a_long_name_${i};\n`]));
    model.addPull({ number: 13, mergeBase: big, base: big, head: { ...big, ...drops } });
    const h = await start(model);
    await h.deliver('pull_request', pullRequestPayload(model, 'opened', 13));
    const [comment] = model.comments;
    expect(comment.body.length).toBeLessThanOrEqual(65_536);
    expect(comment.body).toContain('Truncated');
    expect(comment.body).toMatch(/\[the check run\]\(https:\/\/github\.com\/octo-org\/shop\/runs\/\d+\)/);
    expect(decodeData(comment.body).head).toBe(model.checks[0].head_sha);
    expect(model.checks[0].output!.annotations!.length).toBeGreaterThanOrEqual(400);
  }, 120_000);
});

describe('configuration', () => {
  it("reads .github/safari.yml from the BASE branch: the PR's own config can't weaken its review (but gets the core's notice)", async () => {
    const model = new GitHubModel();
    model.addPull({ number: 10, mergeBase: main, base: main, head: { ...main, '.github/safari.yml': 'failOn: never\n', 'migrations/0002_drop_orders.sql': 'DROP TABLE orders;\n' } });
    const h = await start(model);
    await h.deliver('pull_request', pullRequestPayload(model, 'opened', 10));
    expect(model.checks[0].conclusion).toBe('failure');
  });

  it('a broken config on the base branch completes the check as failure with the key path and line', async () => {
    const model = new GitHubModel();
    const broken = { ...main, '.github/safari.yml': 'failOn: warning\nrules:\n  destructive-change: loud\n' };
    model.addPull({ number: 11, mergeBase: broken, base: broken, head: { ...broken, 'migrations/0002_drop_orders.sql': 'DROP TABLE orders;\n' } });
    const h = await start(model);
    await h.deliver('pull_request', pullRequestPayload(model, 'opened', 11));
    const [check] = model.checks;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output!.title).toBe('Configuration error in .github/safari.yml');
    expect(check.output!.summary).toMatch(/\.github\/safari\.yml:3.*rules\.destructive-change/);
    expect(model.comments).toHaveLength(0);
  });

  it('a PR that touches no migration, schema or database config gets a success "No migration changes" and no comment', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 12, mergeBase: main, base: main, head: { ...main, 'README.md': 'shop, now with docs\n', 'src/app.ts': 'export const x = 1;\n' } });
    const h = await start(model);
    await h.deliver('pull_request', pullRequestPayload(model, 'opened', 12));
    expect(model.checks[0]).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: 'No migration changes' } });
    expect(model.comments).toHaveLength(0);
  });
});
