// Writes the App makes: check runs (with GitHub's limits), comments, reactions; and collaborator permissions.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanupRepos } from '../helpers/git-repo.js';
import { fakeOctokit } from './client.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { removeClones, seedRepo } from './seed.js';
import type { PullRecord } from './store.js';

let fake: FakeGitHub;
let octokit: ReturnType<typeof fakeOctokit>;
let pull: PullRecord;
let headSha: string;
const owner = 'acme';
const repo = 'app';

function annotations(n: number, from = 0) {
  return Array.from({ length: n }, (_, i) => ({
    path: `migrations/${String(from + i).padStart(4, '0')}.sql`,
    start_line: 1,
    end_line: 1,
    annotation_level: 'warning' as const,
    message: `finding ${from + i}`,
  }));
}

beforeAll(async () => {
  fake = await startFakeGitHub();
  await seedRepo(fake, [
    { branch: 'main', files: { 'migrations/0001.sql': 'CREATE TABLE a (id);\n' } },
    { branch: 'pr', from: 'main', files: { 'migrations/0002.sql': 'CREATE TABLE b (id);\n' } },
  ]);
  pull = await fake.addPullRequest({ repo: 'acme/app', head: 'pr', user: 'maple' });
  headSha = (await fake.pullShas(pull)).head;
  octokit = fakeOctokit(fake);
});

afterAll(async () => {
  await fake.close();
  await removeClones();
  await cleanupRepos();
});

describe('check runs', () => {
  test('created in progress, completed with a conclusion; the record keeps every body in order', async () => {
    const created = await octokit.rest.checks.create({ owner, repo, name: 'Migration Safari', head_sha: headSha, status: 'in_progress' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'Migration Safari', head_sha: headSha, status: 'in_progress', conclusion: null });
    expect(created.data.app?.slug).toBe('migration-safari');
    expect(created.data.pull_requests.map((p) => p.number)).toEqual([pull.number]);

    const done = await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: created.data.id,
      conclusion: 'failure',
      output: { title: '2 errors', summary: 'summary', annotations: annotations(2) },
    });
    expect(done.data).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '2 errors', annotations_count: 2 } });
    expect(done.data.completed_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    const [run] = fake.checkRuns('acme/app', headSha).filter((r) => r.id === created.data.id);
    expect(run.history).toHaveLength(2);
    expect(run.history[0]).toMatchObject({ status: 'in_progress' });
    expect(run.annotations.map((a) => a.message)).toEqual(['finding 0', 'finding 1']);
  });

  test('more than 50 annotations in one request is refused with 422; in batches of 50 they add up', async () => {
    const created = await octokit.rest.checks.create({ owner, repo, name: 'Batches', head_sha: headSha, status: 'in_progress' });
    await expect(
      octokit.rest.checks.update({ owner, repo, check_run_id: created.data.id, output: { title: 't', summary: 's', annotations: annotations(51) } }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.checks.create({ owner, repo, name: 'Too many', head_sha: headSha, output: { title: 't', summary: 's', annotations: annotations(51) } }),
    ).rejects.toMatchObject({ status: 422 });
    await octokit.rest.checks.update({ owner, repo, check_run_id: created.data.id, output: { title: 't', summary: 's', annotations: annotations(50) } });
    await octokit.rest.checks.update({ owner, repo, check_run_id: created.data.id, output: { title: 't', summary: 's', annotations: annotations(20, 50) } });
    const listed = await octokit.paginate(octokit.rest.checks.listAnnotations, { owner, repo, check_run_id: created.data.id, per_page: 100 });
    expect(listed).toHaveLength(70);
    expect(listed[69].message).toBe('finding 69');
  });

  test('GitHub\'s other check-run validations answer 422', async () => {
    const base = { owner, repo, name: 'v', head_sha: headSha };
    await expect(octokit.rest.checks.create({ ...base, status: 'completed' })).rejects.toMatchObject({ status: 422 });
    await expect(octokit.rest.checks.create({ ...base, head_sha: 'f'.repeat(40) })).rejects.toMatchObject({ status: 422 });
    await expect(octokit.rest.checks.create({ ...base, output: { title: 't', summary: 'x'.repeat(65_536) } })).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.checks.create({ ...base, output: { title: 't', summary: 's', annotations: [{ path: 'a', start_line: 1, end_line: 2, start_column: 1, annotation_level: 'notice', message: 'm' }] } }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.checks.create({ ...base, output: { title: 't', summary: 's', annotations: [{ path: 'a', start_line: 1, end_line: 1, annotation_level: 'error' as never, message: 'm' }] } }),
    ).rejects.toMatchObject({ status: 422 });
    // Exactly at the limit is fine.
    const ok = await octokit.rest.checks.create({ ...base, conclusion: 'neutral', output: { title: 't', summary: 'x'.repeat(65_535) } });
    expect(ok.data.status).toBe('completed');
  });

  test('only the App (an installation token) may write check runs', async () => {
    const human = fakeOctokit(fake, { auth: { token: fake.userToken('maple') } });
    await expect(human.rest.checks.create({ owner, repo, name: 'x', head_sha: headSha })).rejects.toMatchObject({ status: 403 });
  });

  test('listing for a ref filters by name and shows the latest run per name', async () => {
    const name = 'Filtered';
    const first = await octokit.rest.checks.create({ owner, repo, name, head_sha: headSha, status: 'in_progress' });
    const second = await octokit.rest.checks.create({ owner, repo, name, head_sha: headSha, status: 'in_progress' });
    const latest = await octokit.rest.checks.listForRef({ owner, repo, ref: 'pr', check_name: name });
    expect(latest.data.total_count).toBe(1);
    expect(latest.data.check_runs[0].id).toBe(second.data.id);
    const all = await octokit.rest.checks.listForRef({ owner, repo, ref: headSha, check_name: name, filter: 'all' });
    expect(all.data.check_runs.map((r) => r.id).sort()).toEqual([first.data.id, second.data.id].sort());
    const inProgress = await octokit.rest.checks.listForRef({ owner, repo, ref: headSha, status: 'in_progress', filter: 'all' });
    expect(inProgress.data.check_runs.every((r) => r.status === 'in_progress')).toBe(true);
  });
});

describe('comments and reactions', () => {
  test('the App\'s comment is created once and updated in place, written as <slug>[bot]', async () => {
    const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: pull.number, body: '<!-- safari -->\nfirst' });
    expect(created.status).toBe(201);
    expect(created.data.user).toMatchObject({ login: 'migration-safari[bot]', type: 'Bot' });
    expect(created.data.performed_via_github_app?.slug).toBe('migration-safari');
    const updated = await octokit.rest.issues.updateComment({ owner, repo, comment_id: created.data.id, body: '<!-- safari -->\nsecond' });
    expect(updated.data.body).toBe('<!-- safari -->\nsecond');
    const fetched = await octokit.rest.issues.getComment({ owner, repo, comment_id: created.data.id });
    expect(fetched.data.body).toBe('<!-- safari -->\nsecond');
    expect(fake.comments('acme/app', pull.number).filter((c) => c.user === fake.botLogin)).toHaveLength(1);
  });

  test('listing is paginated and shows who wrote what (humans, other bots, the App)', async () => {
    fake.addComment({ repo: 'acme/app', issue: pull.number, body: '<!-- safari -->\nimpostor', user: 'other-bot[bot]' });
    fake.addComment({ repo: 'acme/app', issue: pull.number, body: 'lgtm', user: 'maple' });
    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pull.number, per_page: 1 });
    expect(all.map((c) => [c.user?.login, c.user?.type])).toEqual([
      ['migration-safari[bot]', 'Bot'],
      ['other-bot[bot]', 'Bot'],
      ['maple', 'User'],
    ]);
    expect(fake.requestsTo('GET /repos/:owner/:repo/issues/:issue_number/comments')).toHaveLength(3);
  });

  test('bodies over 65,536 characters are refused with 422; exactly 65,536 is accepted', async () => {
    await expect(octokit.rest.issues.createComment({ owner, repo, issue_number: pull.number, body: 'x'.repeat(65_537) })).rejects.toMatchObject({
      status: 422,
    });
    const ok = await octokit.rest.issues.createComment({ owner, repo, issue_number: pull.number, body: 'x'.repeat(65_536) });
    await expect(octokit.rest.issues.updateComment({ owner, repo, comment_id: ok.data.id, body: 'y'.repeat(65_537) })).rejects.toMatchObject({ status: 422 });
    expect(fake.store.comments.get(ok.data.id)?.body).toBe('x'.repeat(65_536));
  });

  test('a comment on an issue that does not exist is a 404', async () => {
    await expect(octokit.rest.issues.createComment({ owner, repo, issue_number: 404, body: 'x' })).rejects.toMatchObject({ status: 404 });
  });

  test('reactions: 👀 once per user (a repeat answers 200), unknown contents refused', async () => {
    const comment = fake.addComment({ repo: 'acme/app', issue: pull.number, body: '/safari help', user: 'maple' });
    const first = await octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content: 'eyes' });
    expect(first.status).toBe(201);
    expect(first.data.user?.login).toBe('migration-safari[bot]');
    const again = await octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content: 'eyes' });
    expect(again.status).toBe(200);
    expect(again.data.id).toBe(first.data.id);
    await expect(octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content: 'tada' as never })).rejects.toMatchObject({ status: 422 });
    expect(fake.reactions(comment.id).map((r) => r.content)).toEqual(['eyes']);
    const shown = await octokit.rest.issues.getComment({ owner, repo, comment_id: comment.id });
    expect(shown.data.reactions).toMatchObject({ total_count: 1, eyes: 1 });
  });
});

describe('collaborator permission', () => {
  test('roles map onto GitHub\'s permission levels; strangers read a public repository', async () => {
    fake.setRole('acme/app', 'writer', 'write');
    fake.setRole('acme/app', 'keeper', 'maintain');
    fake.setRole('acme/app', 'triager', 'triage');
    fake.store.user('stranger');
    const ask = async (username: string) => (await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username })).data;
    expect(await ask('writer')).toMatchObject({ permission: 'write', role_name: 'write', user: { login: 'writer' } });
    expect(await ask('keeper')).toMatchObject({ permission: 'write', role_name: 'maintain' });
    expect(await ask('triager')).toMatchObject({ permission: 'read', role_name: 'triage' });
    expect(await ask('stranger')).toMatchObject({ permission: 'read', role_name: 'read' });
    expect(await ask('acme')).toMatchObject({ permission: 'admin' });
    await expect(ask('ghost-who-does-not-exist')).rejects.toMatchObject({ status: 404 });
  });
});
