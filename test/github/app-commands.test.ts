// /safari commands, stale protection and base-branch pushes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCommand } from '../../src/github/commands.js';
import { decodeData, encodeData } from '../../src/github/sticky-comment.js';
import { payload, pullRequestPayload, startHarness, type Harness } from './helpers/app-harness.js';
import { BOT_LOGIN, GitHubModel, type Files } from './helpers/github-model.js';

const WRANGLER = `name = "shop"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "shop-db"\ndatabase_id = "00000000-0000-0000-0000-000000000000"\n`;
const main: Files = {
  '.github/safari.yml': 'failOn: warning\n',
  'wrangler.toml': WRANGLER,
  'migrations/0001_init.sql': 'CREATE TABLE customers (id INTEGER PRIMARY KEY);\nCREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id));\n',
};
const dropping = { ...main, 'migrations/0002_drop_orders.sql': 'DROP TABLE orders;\n' };

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function commentPayload(model: GitHubModel, number: number, body: string, user = 'octocat', type = 'User', onIssue = false) {
  return payload(onIssue ? 'issue_comment.created' : 'issue_comment.created.pr', (p) => {
    p.issue.number = number;
    p.comment.body = body;
    p.comment.id = 5000 + number;
    p.comment.user.login = user;
    p.comment.user.type = type;
    p.repository.name = model.repo;
    p.repository.owner.login = model.owner;
  });
}

describe('parseCommand', () => {
  it('reads the first line only and splits ack into rule, optional file and reason', () => {
    expect(parseCommand('/safari ack destructive-change migrations/0002_drop.sql backed up on Monday\nmore')).toEqual({
      name: 'ack',
      rule: 'destructive-change',
      file: 'migrations/0002_drop.sql',
      reason: 'backed up on Monday',
    });
    expect(parseCommand('/safari ack destructive-change nobody reads it')).toEqual({ name: 'ack', rule: 'destructive-change', reason: 'nobody reads it' });
    expect(parseCommand('/safari')).toEqual({ name: 'help' });
    expect(parseCommand('/safari dance')).toEqual({ name: 'unknown', text: '/safari dance' });
    expect(parseCommand('thanks!\n/safari rerun')).toBeUndefined();
    expect(parseCommand('/safaris rerun')).toBeUndefined();
  });
});

describe('/safari commands', () => {
  it('answers help with 👀 and a reply; ignores bots (Safari included) and comments on plain issues', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 1, mergeBase: main, base: main, head: dropping });
    harness = await startHarness(model);
    await harness.deliver('issue_comment', commentPayload(model, 1, '/safari rerun', BOT_LOGIN, 'Bot'));
    await harness.deliver('issue_comment', commentPayload(model, 1, '/safari rerun', 'renovate[bot]', 'Bot'));
    await harness.deliver('issue_comment', commentPayload(model, 1, '/safari help', 'octocat', 'User', true));
    expect(model.requests).toEqual([]);
    await harness.deliver('issue_comment', commentPayload(model, 1, '/safari help'));
    expect(model.reactions).toEqual([{ comment: 5001, content: 'eyes' }]);
    expect(model.comments).toHaveLength(1);
    expect(model.comments[0].body).toContain('/safari ack <rule-id> [file] <reason>');
  });

  it('explain replies with the rule doc; an unknown rule gets the list', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 2, mergeBase: main, base: main, head: dropping });
    harness = await startHarness(model);
    await harness.deliver('issue_comment', commentPayload(model, 2, '/safari explain destructive-change'));
    await harness.deliver('issue_comment', commentPayload(model, 2, '/safari explain nope'));
    expect(model.comments[0].body).toMatch(/^# destructive-change/m);
    expect(model.comments[1].body).toMatch(/There is no rule `nope`.*`destructive-change`/);
  });

  it('table describes a table of the head (columns, foreign keys, the migration that made it) and map lists the databases', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 12, mergeBase: main, base: main, head: main });
    harness = await startHarness(model);
    await harness.deliver('issue_comment', commentPayload(model, 12, '/safari table orders'));
    await harness.deliver('issue_comment', commentPayload(model, 12, '/safari table nope'));
    await harness.deliver('issue_comment', commentPayload(model, 12, '/safari map'));
    await vi.waitFor(() => expect(model.comments).toHaveLength(3), { timeout: 60_000, interval: 100 });
    const [table, missing, map] = ['orders', 'nope', 'map'].map((k) => model.comments.find((c) => (k === 'map' ? c.body.includes('shop-db') && !c.body.includes('### Table') : c.body.includes(`### Table \`${k}\``)))!.body);
    expect(table).toContain('shop-db');
    expect(table).toContain('customer_id');
    expect(table).toContain('migrations/0001_init.sql');
    expect(missing).toMatch(/No database or Durable Object at this revision holds a table named `nope`/);
    expect(map).toContain('shop-db');
  }, 90_000);

  it('rerun reviews the current head again with a new check run', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 3, mergeBase: main, base: main, head: dropping });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 3));
    await harness.deliver('issue_comment', commentPayload(model, 3, '/safari rerun'));
    expect(model.checks.map((c) => `${c.status}/${c.conclusion}`)).toEqual(['completed/failure', 'completed/failure']);
    expect(model.comments.filter((c) => c.body.startsWith('<!-- migration-safari -->'))).toHaveLength(1);
  });

  it('refuses an ack from a read-only user and changes nothing', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 4, mergeBase: main, base: main, head: dropping });
    model.permissions.set('reader', 'read');
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 4));
    const checks = model.checks.length;
    await harness.deliver('issue_comment', commentPayload(model, 4, '/safari ack destructive-change not needed', 'reader'));
    expect(model.summary()).toContain('GET /collaborators/reader/permission');
    expect(model.checks).toHaveLength(checks);
    expect(model.comments.at(-1)!.body).toMatch(/only people with write access/);
    expect(decodeData(model.comments[0].body).acks).toEqual([]);
  });

  it('accepts an ack from a writer: the finding stops failing, the comment records who and why, and it survives the next review', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 5, mergeBase: main, base: main, head: dropping });
    model.permissions.set('maintainer', 'write');
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 5));
    expect(model.checks[0].conclusion).toBe('failure');
    await harness.deliver('issue_comment', commentPayload(model, 5, '/safari ack destructive-change orders moved to the archive DB', 'maintainer'));
    expect(model.checks.at(-1)!.conclusion).toBe('success');
    const sticky = model.comments.find((c) => c.body.startsWith('<!-- migration-safari -->'))!;
    // (the renderer breaks the mention with a zero-width space: no notification from a quoted login)
    expect(sticky.body).toMatch(/orders moved to the archive DB \(acknowledged by @(&#8203;)?maintainer\)/);
    const [ack] = decodeData(sticky.body).acks;
    expect(ack).toMatchObject({ rule: 'destructive-change', by: 'maintainer', reason: 'orders moved to the archive DB' });
    expect(Object.keys(ack.shas!)).toEqual(['migrations/0002_drop_orders.sql']);

    // A push that doesn't touch the file keeps the ack; one that changes it lapses it.
    model.pulls.get(5)!.head = { ...dropping, 'README.md': 'x\n' };
    await harness.deliver('pull_request', pullRequestPayload(model, 'synchronize', 5));
    expect(model.checks.at(-1)!.conclusion).toBe('success');
    model.pulls.get(5)!.head = { ...main, 'migrations/0002_drop_orders.sql': 'DROP TABLE orders; -- edited\n' };
    await harness.deliver('pull_request', pullRequestPayload(model, 'synchronize', 5));
    expect(model.checks.at(-1)!.conclusion).toBe('failure');
  });
});

describe('stale protection', () => {
  it('a review that finishes for an outdated head completes its own check but never overwrites the newer review’s comment', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 6, mergeBase: main, base: main, head: dropping });
    harness = await startHarness(model);
    const oldHead = model.shas(model.pulls.get(6)!).head;
    const newFiles = { ...main, 'migrations/0002_note.sql': 'ALTER TABLE orders ADD COLUMN note TEXT;\n' };
    let pushed = false;
    // While the old head's review loads its files, a new push arrives (its webhook too).
    model.onRequest = (req) => {
      if (pushed || !req.path.includes('/git/trees/')) return;
      pushed = true;
      model.pulls.get(6)!.head = newFiles;
      void harness!.probot.receive({ id: 'push2', name: 'pull_request', payload: pullRequestPayload(model, 'synchronize', 6) } as any);
    };
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 6));
    await harness.handle.idle();
    const newHead = model.shas(model.pulls.get(6)!).head;
    const sticky = model.comments.filter((c) => c.body.startsWith('<!-- migration-safari -->'));
    expect(sticky).toHaveLength(1);
    expect(decodeData(sticky[0].body).head).toBe(newHead);
    expect(sticky[0].body).not.toContain('destructive-change');
    expect(model.checks.find((c) => c.head_sha === oldHead)).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(harness.logs.find((l) => l.msg === 'review' && l.head === oldHead)).toMatchObject({ reason: expect.stringMatching(/^stale/) });
    expect(model.checks.find((c) => c.head_sha === newHead)).toMatchObject({ status: 'completed', conclusion: 'success' });
  });
  it('across replicas: a review whose head GitHub no longer has leaves alone the comment another process wrote for the newer head', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 9, mergeBase: main, base: main, head: dropping });
    harness = await startHarness(model);
    const oldHead = model.shas(model.pulls.get(9)!).head;
    const newFiles = { ...main, 'migrations/0002_note.sql': 'ALTER TABLE orders ADD COLUMN note TEXT;\n' };
    // Another replica's comment from an earlier review of this PR (the same App: the same bot login).
    model.comments.push({ id: 900, issue: 9, body: `<!-- migration-safari -->\nolder review\n\n${encodeData({ v: 1, head: oldHead, acks: [] })}\n`, user: { login: BOT_LOGIN, type: 'Bot' } });
    let moved = false;
    // Once this process has started its check, the PR moves on; the webhook goes to another replica, which reviews
    // the new head and rewrites the comment — this process never hears of the push.
    model.onRequest = (req) => {
      if (moved || !(req.method === 'POST' && req.path.endsWith('/check-runs'))) return;
      moved = true;
      model.pulls.get(9)!.head = newFiles;
      const newHead = model.shas(model.pulls.get(9)!).head;
      model.comments[0].body = `<!-- migration-safari -->\nthe newer review\n\n${encodeData({ v: 1, head: newHead, acks: [] })}\n`;
    };
    await harness.deliver('pull_request', pullRequestPayload(model, 'synchronize', 9, (p) => (p.pull_request.head.sha = oldHead)));
    const newHead = model.shas(model.pulls.get(9)!).head;
    expect(model.checks.find((c) => c.head_sha === oldHead)).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(model.comments).toHaveLength(1);
    expect(model.comments[0].body).toContain('the newer review');
    expect(decodeData(model.comments[0].body).head).toBe(newHead);
    expect(model.summary().filter((r) => r.startsWith('PATCH /issues/comments'))).toEqual([]);
    expect(harness.logs.find((l) => l.msg === 'review' && l.head === oldHead)).toMatchObject({ reason: expect.stringMatching(/^stale/) });
  });

  it('a restarted process (no memory of the PR) still updates the comment when its head is current', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 10, mergeBase: main, base: main, head: dropping });
    const head = model.shas(model.pulls.get(10)!).head;
    model.comments.push({ id: 901, issue: 10, body: `<!-- migration-safari -->\nwritten before the restart\n\n${encodeData({ v: 1, head: 'f'.repeat(40), acks: [] })}\n`, user: { login: BOT_LOGIN, type: 'Bot' } });
    harness = await startHarness(model);
    await harness.deliver('check_run', payload('check_run.rerequested', (p) => {
      p.repository.name = model.repo;
      p.repository.owner.login = model.owner;
      p.check_run.head_sha = head;
      p.check_run.pull_requests = [{ number: 10 }];
    }));
    expect(model.comments).toHaveLength(1);
    expect(model.comments[0].body).toContain('destructive-change');
    expect(decodeData(model.comments[0].body).head).toBe(head);
  });
});

describe('base branch moves', () => {
  it('a push to the default branch touching migrations re-reviews the open PRs Safari commented on, at low priority', async () => {
    const model = new GitHubModel();
    model.addPull({ number: 7, mergeBase: main, base: main, head: { ...main, 'migrations/0002_items.sql': 'CREATE TABLE items (id INTEGER PRIMARY KEY);\n' } });
    model.addPull({ number: 8, mergeBase: main, base: main, head: { ...main, 'README.md': 'docs\n' } });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 7));
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 8));
    expect(model.checks.map((c) => c.conclusion)).toEqual(['success', 'success']);

    // main gains another 0002 migration.
    const moved = { ...main, 'migrations/0002_other.sql': 'CREATE TABLE other (id INTEGER PRIMARY KEY);\n' };
    for (const n of [7, 8]) model.pulls.get(n)!.base = moved;
    model.requests.length = 0;
    await harness.deliver('push', payload('push', (p) => {
      p.ref = 'refs/heads/main';
      p.repository.default_branch = 'main';
      p.repository.name = model.repo;
      p.repository.owner.login = model.owner;
      p.repository.owner.name = model.owner;
      p.commits = [{ ...p.commits[0], added: ['migrations/0002_other.sql'], modified: [], removed: [] }];
    }));
    expect(model.summary()).toContain('GET /pulls');
    const pr7 = model.shas(model.pulls.get(7)!).head;
    const rechecked = model.checks.filter((c) => c.head_sha === pr7);
    expect(rechecked).toHaveLength(2);
    expect(rechecked[1].status).toBe('completed');
    expect(model.checks.filter((c) => c.head_sha === model.shas(model.pulls.get(8)!).head)).toHaveLength(1);
  });

  it('ignores pushes to other branches and pushes that touch no migration', async () => {
    const model = new GitHubModel();
    harness = await startHarness(model);
    await harness.deliver('push', payload('push', (p) => {
      p.ref = 'refs/heads/feature';
      p.repository.default_branch = 'main';
    }));
    await harness.deliver('push', payload('push', (p) => {
      p.ref = 'refs/heads/main';
      p.repository.default_branch = 'main';
      p.commits = [{ ...p.commits[0], added: ['docs/x.md'], modified: [], removed: [] }];
    }));
    expect(model.requests).toEqual([]);
  });
});

describe('a burst of webhooks', () => {
  it('60 webhooks for 20 PRs at once (three pushes each): every PR reviewed once at its newest head, nothing left in progress', async () => {
    const model = new GitHubModel();
    for (let n = 100; n < 120; n++) model.addPull({ number: n, mergeBase: main, base: main, head: { ...main, [`migrations/0002_t${n}.sql`]: `CREATE TABLE t${n} (id INTEGER PRIMARY KEY);\n` } });
    harness = await startHarness(model, { concurrency: 2 });
    const events: any[] = [];
    for (const push of [1, 2, 3]) {
      for (let n = 100; n < 120; n++) {
        model.pulls.get(n)!.head = { ...main, [`migrations/0002_t${n}.sql`]: `CREATE TABLE t${n} (id INTEGER PRIMARY KEY, v${push} TEXT);\n` };
        events.push(pullRequestPayload(model, push === 1 ? 'opened' : 'synchronize', n));
      }
    }
    await Promise.all(events.map((payload, i) => harness!.probot.receive({ id: `burst${i}`, name: 'pull_request', payload } as any)));
    await harness.handle.idle();
    expect(model.checks.every((c) => c.status === 'completed')).toBe(true);
    for (let n = 100; n < 120; n++) {
      const head = model.shas(model.pulls.get(n)!).head;
      expect(model.checks.filter((c) => c.head_sha === head)).toHaveLength(1);
      const sticky = model.comments.filter((c) => c.issue === n);
      expect(sticky).toHaveLength(1);
      expect(decodeData(sticky[0].body).head).toBe(head);
    }
    // Superseded heads were never reviewed: one check per PR.
    expect(model.checks).toHaveLength(20);
  }, 120_000);
});

describe('200 pull requests at once', () => {
  it('all are reviewed, each once, with bounded concurrency and no check left in progress', async () => {
    const model = new GitHubModel();
    for (let n = 1000; n < 1200; n++) model.addPull({ number: n, mergeBase: main, base: main, head: { ...main, [`migrations/0002_t${n}.sql`]: `CREATE TABLE t${n} (id INTEGER PRIMARY KEY);\n` } });
    harness = await startHarness(model, { concurrency: 2 });
    let inProgressAtOnce = 0;
    model.onRequest = () => {
      inProgressAtOnce = Math.max(inProgressAtOnce, model.checks.filter((c) => c.status === 'in_progress').length);
    };
    const events = [...model.pulls.keys()].map((n) => pullRequestPayload(model, 'opened', n));
    await Promise.all(events.map((payload, i) => harness!.probot.receive({ id: `many${i}`, name: 'pull_request', payload } as any)));
    // Webhooks are acknowledged before their reviews run.
    expect(model.checks.filter((c) => c.status === 'completed').length).toBeLessThan(200);
    await harness.handle.idle();
    expect(model.checks).toHaveLength(200);
    expect(model.checks.every((c) => c.status === 'completed' && c.conclusion === 'success')).toBe(true);
    expect(new Set(model.checks.map((c) => c.head_sha)).size).toBe(200);
    expect(inProgressAtOnce).toBeLessThanOrEqual(2);
  }, 300_000);
});
