// Issue and PR conversation comments, their reactions, and collaborator permissions.
import type { FakeGitHub } from './fake-github.js';
import { HttpError, notFound, ok, paginate, validationFailed } from './http.js';
import { issueCommentEvent } from './payloads.js';
import { commentJson, issueJson, pullAsIssueJson, REACTION_CONTENTS, reactionJson, userJson } from './shapes.js';
import type { CommentRecord, ReactionRecord, RepoRecord, Role } from './store.js';

/** GitHub refuses comment bodies longer than this (422). Counted in UTF-16 code units, as JavaScript's length. */
export const MAX_COMMENT_CHARS = 65_536;

function checkBody(body: unknown): string {
  if (typeof body !== 'string') throw validationFailed('IssueComment', 'body', 'body wasn\'t supplied', 'missing_field');
  if (body.length > MAX_COMMENT_CHARS) {
    throw validationFailed('IssueComment', 'data', `Body is too long (maximum is ${MAX_COMMENT_CHARS} characters)`, 'unprocessable');
  }
  return body;
}

/** The `permission` field maps roles onto the four classic levels; `role_name` keeps the role. */
const PERMISSION_OF: Record<Role, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

export function registerIssueRoutes(fake: FakeGitHub): void {
  const full = (repo: RepoRecord) => `${repo.owner}/${repo.name}`;
  const appJsonOf = (apiBase: string) => (id: number) => (id === fake.app.id ? fake.appJson(apiBase) : { id });
  const show = (comment: CommentRecord, apiBase: string) => commentJson(fake.store, comment, fake.urls(apiBase), appJsonOf(apiBase));
  const issueExists = (repo: RepoRecord, number: number) =>
    fake.store.pull(full(repo), number) !== undefined || fake.store.issue(full(repo), number) !== undefined;
  const commentOr404 = (repo: RepoRecord, id: string) => {
    const comment = fake.store.comments.get(Number(id));
    if (!comment || comment.repo !== full(repo)) throw notFound('https://docs.github.com/rest/issues/comments#get-an-issue-comment');
    return comment;
  };

  fake.route('GET /repos/:owner/:repo/issues/:issue_number', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const number = Number(ctx.params.issue_number);
    const pull = fake.store.pull(full(repo), number);
    if (pull) return ok(pullAsIssueJson(fake.store, pull, fake.urls(ctx.apiBase)));
    const issue = fake.store.issue(full(repo), number);
    if (!issue) throw notFound('https://docs.github.com/rest/issues/issues#get-an-issue');
    return ok(issueJson(fake.store, issue, fake.urls(ctx.apiBase)));
  });

  fake.route('GET /repos/:owner/:repo/issues/:issue_number/comments', (ctx) => {
    const repo = fake.repoFor(ctx);
    const number = Number(ctx.params.issue_number);
    if (!issueExists(repo, number)) throw notFound('https://docs.github.com/rest/issues/comments#list-issue-comments');
    const since = ctx.query.get('since');
    const comments = fake.comments(full(repo), number).filter((c) => !since || c.updatedAt >= since);
    const page = paginate(ctx, comments);
    return ok(page.items.map((c) => show(c, ctx.apiBase)), 200, page.headers);
  });

  fake.route('POST /repos/:owner/:repo/issues/:issue_number/comments', (ctx) => {
    const repo = fake.repoFor(ctx);
    const number = Number(ctx.params.issue_number);
    if (!issueExists(repo, number)) throw notFound('https://docs.github.com/rest/issues/comments#create-an-issue-comment');
    const body = checkBody(ctx.body?.body);
    const actor = fake.actor(ctx.identity);
    const now = fake.isoNow();
    const comment: CommentRecord = {
      id: fake.store.nextId(),
      repo: full(repo),
      issueNumber: number,
      body,
      user: actor.login,
      viaApp: actor.viaApp,
      createdAt: now,
      updatedAt: now,
    };
    fake.store.comments.set(comment.id, comment);
    fake.emit(() => issueCommentEvent(fake, { action: 'created', comment }));
    return ok(show(comment, ctx.apiBase), 201);
  });

  fake.route('GET /repos/:owner/:repo/issues/comments/:comment_id', (ctx) => {
    const repo = fake.repoFor(ctx);
    return ok(show(commentOr404(repo, ctx.params.comment_id), ctx.apiBase));
  });

  fake.route('PATCH /repos/:owner/:repo/issues/comments/:comment_id', (ctx) => {
    const repo = fake.repoFor(ctx);
    const comment = commentOr404(repo, ctx.params.comment_id);
    const body = checkBody(ctx.body?.body);
    const actor = fake.actor(ctx.identity);
    const before = { ...comment };
    comment.body = body;
    comment.updatedAt = fake.isoNow();
    // The edited event describes the stored comment with `changes.body.from` = the old body.
    fake.emit(() => issueCommentEvent(fake, { action: 'edited', comment: { ...before }, body, sender: actor.login }));
    return ok(show(comment, ctx.apiBase));
  });

  fake.route('DELETE /repos/:owner/:repo/issues/comments/:comment_id', (ctx) => {
    const repo = fake.repoFor(ctx);
    const comment = commentOr404(repo, ctx.params.comment_id);
    fake.actor(ctx.identity);
    fake.store.comments.delete(comment.id);
    return { status: 204 };
  });

  fake.route('GET /repos/:owner/:repo/issues/comments/:comment_id/reactions', (ctx) => {
    const repo = fake.repoFor(ctx);
    const comment = commentOr404(repo, ctx.params.comment_id);
    const content = ctx.query.get('content');
    const list = fake.reactions(comment.id).filter((r) => !content || r.content === content);
    const page = paginate(ctx, list);
    return ok(page.items.map((r) => reactionJson(fake.store, r, fake.urls(ctx.apiBase))), 200, page.headers);
  });

  fake.route('POST /repos/:owner/:repo/issues/comments/:comment_id/reactions', (ctx) => {
    const repo = fake.repoFor(ctx);
    const comment = commentOr404(repo, ctx.params.comment_id);
    const content = ctx.body?.content;
    if (!REACTION_CONTENTS.includes(content)) {
      throw validationFailed('Reaction', 'content', `content is not one of ${REACTION_CONTENTS.join(', ')}`, 'invalid');
    }
    const actor = fake.actor(ctx.identity);
    // The same user reacting the same way again gets the existing reaction back with 200.
    const existing = fake.store.reactions.find((r) => r.commentId === comment.id && r.user === actor.login && r.content === content);
    if (existing) return ok(reactionJson(fake.store, existing, fake.urls(ctx.apiBase)), 200);
    const reaction: ReactionRecord = { id: fake.store.nextId(), commentId: comment.id, user: actor.login, content, createdAt: fake.isoNow() };
    fake.store.reactions.push(reaction);
    return ok(reactionJson(fake.store, reaction, fake.urls(ctx.apiBase)), 201);
  });

  fake.route('GET /repos/:owner/:repo/collaborators/:username/permission', (ctx) => {
    const repo = fake.repoFor(ctx);
    const login = ctx.params.username;
    const user = fake.store.users.get(login);
    if (!user) throw new HttpError(404, `${login} is not a user`, { documentation_url: 'https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user' });
    const role: Role = repo.owner === login ? 'admin' : fake.store.roles.get(`${full(repo)}|${login}`) ?? (repo.private ? 'none' : 'read');
    return ok({
      permission: PERMISSION_OF[role],
      role_name: role,
      user: { ...userJson(user, fake.urls(ctx.apiBase)), permissions: {
        admin: role === 'admin',
        maintain: role === 'admin' || role === 'maintain',
        push: ['admin', 'maintain', 'write'].includes(role),
        triage: ['admin', 'maintain', 'write', 'triage'].includes(role),
        pull: role !== 'none',
      }, role_name: role },
    });
  });
}
