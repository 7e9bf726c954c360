/**
 * GitHub's JSON shapes for the objects the fake serves (users, repositories, pulls, comments, check runs, apps):
 * the fields a client or Probot reads, with the names, types and nesting of api.github.com. Webhook payload
 * builders use the same functions, so a REST response and a webhook describe an object the same way.
 */
import type { CommitInfo } from './git-backend.js';
import type {
  CheckRunRecord,
  CommentRecord,
  InstallationRecord,
  IssueRecord,
  PullRecord,
  ReactionRecord,
  RepoRecord,
  Store,
  UserRecord,
} from './store.js';

/** Where links in responses point: the API base (with `/api/v3` when the client used it) and the web base. */
export interface Urls {
  api: string;
  web: string;
}

export function nodeId(kind: string, id: number | string): string {
  return `${kind}_${Buffer.from(String(id)).toString('base64url')}`;
}

export function userJson(user: UserRecord, urls: Urls) {
  const api = `${urls.api}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? 'BOT' : user.type === 'Organization' ? 'O' : 'U', user.id),
    avatar_url: `${urls.web}/avatars/${encodeURIComponent(user.login)}`,
    gravatar_id: '',
    url: api,
    html_url: `${urls.web}/${encodeURIComponent(user.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function repoJson(store: Store, repo: RepoRecord, urls: Urls) {
  const full = `${repo.owner}/${repo.name}`;
  const api = `${urls.api}/repos/${full}`;
  const parent = repo.parent ? store.repo(repo.parent) : undefined;
  const openIssues = [...store.pulls.values(), ...store.issues.values()].filter((i) => i.repo === full && i.state === 'open').length;
  return {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name: repo.name,
    full_name: full,
    private: repo.private,
    owner: userJson(store.user(repo.owner), urls),
    html_url: `${urls.web}/${full}`,
    description: null,
    fork: repo.parent !== undefined,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: '2023-11-14T22:13:20Z',
    updated_at: '2023-11-14T22:13:20Z',
    pushed_at: '2023-11-14T22:13:20Z',
    git_url: `git://127.0.0.1/${full}.git`,
    ssh_url: `git@127.0.0.1:${full}.git`,
    clone_url: `${urls.web}/${full}.git`,
    svn_url: `${urls.web}/${full}`,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? 'private' : 'public',
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.defaultBranch,
    custom_properties: {},
    ...(parent ? { parent: { id: parent.id, full_name: `${parent.owner}/${parent.name}`, default_branch: parent.defaultBranch } } : {}),
  };
}

export interface PullShas {
  head: string;
  base: string;
}

/** What the full PR object counts: its commits and its changes since the merge-base. */
export interface PullStats {
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
}

export function pullJson(store: Store, pull: PullRecord, shas: PullShas, urls: Urls, full = true, stats?: PullStats) {
  const base = store.repo(pull.repo)!;
  const head = store.repo(pull.headRepo)!;
  const api = `${urls.api}/repos/${pull.repo}`;
  const merge = pull.merge && pull.merge.baseSha === shas.base && pull.merge.headSha === shas.head ? pull.merge : undefined;
  const stale = pull.mergeMode === 'frozen' ? pull.merge : merge;
  const json: Record<string, unknown> = {
    url: `${api}/pulls/${pull.number}`,
    id: pull.id,
    node_id: nodeId('PR', pull.id),
    html_url: `${urls.web}/${pull.repo}/pull/${pull.number}`,
    diff_url: `${urls.web}/${pull.repo}/pull/${pull.number}.diff`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${shas.head}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(store.user(pull.user), urls),
    body: pull.body,
    labels: pull.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false })),
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.state === 'closed' ? pull.updatedAt : null,
    merged_at: pull.merged ? pull.updatedAt : null,
    merge_commit_sha: stale?.sha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    milestone: null,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    patch_url: `${urls.web}/${pull.repo}/pull/${pull.number}.patch`,
    _links: {
      self: { href: `${api}/pulls/${pull.number}` },
      html: { href: `${urls.web}/${pull.repo}/pull/${pull.number}` },
      issue: { href: `${api}/issues/${pull.number}` },
      comments: { href: `${api}/issues/${pull.number}/comments` },
      review_comments: { href: `${api}/pulls/${pull.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${pull.number}/commits` },
      statuses: { href: `${api}/statuses/${shas.head}` },
    },
    draft: pull.draft,
    head: branchJson(store, head, pull.headRef, shas.head, urls),
    base: branchJson(store, base, pull.baseRef, shas.base, urls),
    author_association: authorAssociation(store, pull.repo, pull.user),
    auto_merge: null,
    active_lock_reason: null,
  };
  if (full) {
    Object.assign(json, {
      merged: pull.merged,
      mergeable: pull.mergeMode === 'none' || !stale ? null : stale.mergeable,
      rebaseable: null,
      mergeable_state: pull.mergeMode === 'none' || !stale ? 'unknown' : stale.mergeable ? 'clean' : 'dirty',
      merged_by: null,
      comments: [...store.comments.values()].filter((c) => c.repo === pull.repo && c.issueNumber === pull.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: stats?.commits ?? 0,
      additions: stats?.additions ?? 0,
      deletions: stats?.deletions ?? 0,
      changed_files: stats?.changedFiles ?? 0,
    });
  }
  return json;
}

/** A PR's `head` or `base`: the branch, its tip and its repository. */
function branchJson(store: Store, repo: RepoRecord, ref: string, sha: string, urls: Urls) {
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: userJson(store.user(repo.owner), urls),
    repo: repoJson(store, repo, urls),
  };
}

export function authorAssociation(store: Store, repo: string, login: string): string {
  const record = store.repo(repo);
  if (record && record.owner === login) return 'OWNER';
  const role = store.roles.get(`${repo}|${login}`);
  if (role && role !== 'none' && role !== 'read') return 'COLLABORATOR';
  return 'CONTRIBUTOR';
}

export function issueJson(store: Store, issue: IssueRecord, urls: Urls) {
  const api = `${urls.api}/repos/${issue.repo}`;
  return {
    url: `${api}/issues/${issue.number}`,
    id: issue.id,
    node_id: nodeId('I', issue.id),
    number: issue.number,
    title: issue.title,
    user: userJson(store.user(issue.user), urls),
    labels: [],
    state: issue.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: [...store.comments.values()].filter((c) => c.repo === issue.repo && c.issueNumber === issue.number).length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: null,
    author_association: authorAssociation(store, issue.repo, issue.user),
    body: issue.body,
    html_url: `${urls.web}/${issue.repo}/issues/${issue.number}`,
  };
}

/** The issue side of a PR (what `issue_comment` payloads carry: an issue with a `pull_request` key). */
export function pullAsIssueJson(store: Store, pull: PullRecord, urls: Urls) {
  const api = `${urls.api}/repos/${pull.repo}`;
  const asIssue: IssueRecord = { ...pull, id: pull.id + 1_000_000 };
  return {
    ...issueJson(store, asIssue, urls),
    node_id: nodeId('I', pull.id),
    draft: pull.draft,
    html_url: `${urls.web}/${pull.repo}/pull/${pull.number}`,
    pull_request: {
      url: `${api}/pulls/${pull.number}`,
      html_url: `${urls.web}/${pull.repo}/pull/${pull.number}`,
      diff_url: `${urls.web}/${pull.repo}/pull/${pull.number}.diff`,
      patch_url: `${urls.web}/${pull.repo}/pull/${pull.number}.patch`,
      merged_at: pull.merged ? pull.updatedAt : null,
    },
  };
}

const REACTION_KEYS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'] as const;
export const REACTION_CONTENTS: readonly string[] = REACTION_KEYS;

export function commentJson(store: Store, comment: CommentRecord, urls: Urls, appJsonOf: (id: number) => unknown) {
  const api = `${urls.api}/repos/${comment.repo}`;
  const reactions = store.reactions.filter((r) => r.commentId === comment.id);
  const counts: Record<string, number> = {};
  for (const key of REACTION_KEYS) counts[key] = reactions.filter((r) => r.content === key).length;
  return {
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${urls.web}/${comment.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: nodeId('IC', comment.id),
    user: userJson(store.user(comment.user), urls),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(store, comment.repo, comment.user),
    body: comment.body,
    performed_via_github_app: comment.viaApp === undefined ? null : appJsonOf(comment.viaApp),
    reactions: {
      url: `${api}/issues/comments/${comment.id}/reactions`,
      total_count: reactions.length,
      ...counts,
    },
  };
}

export function reactionJson(store: Store, reaction: ReactionRecord, urls: Urls) {
  return {
    id: reaction.id,
    node_id: nodeId('REA', reaction.id),
    user: userJson(store.user(reaction.user), urls),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}

export function checkRunJson(
  store: Store,
  run: CheckRunRecord,
  urls: Urls,
  appJsonOf: (id: number) => unknown,
  pulls: Array<Record<string, unknown>>,
) {
  const api = `${urls.api}/repos/${run.repo}`;
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('CR', run.id),
    head_sha: run.headSha,
    external_id: run.externalId ?? '',
    url: `${api}/check-runs/${run.id}`,
    html_url: `${urls.web}/${run.repo}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${urls.web}/${run.repo}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    check_suite: { id: run.checkSuiteId },
    app: appJsonOf(run.appId),
    pull_requests: pulls,
  };
}

/** The short PR reference GitHub puts in check runs and check suites. */
export function pullRefJson(store: Store, pull: PullRecord, shas: PullShas, urls: Urls) {
  const base = store.repo(pull.repo)!;
  const head = store.repo(pull.headRepo)!;
  return {
    url: `${urls.api}/repos/${pull.repo}/pulls/${pull.number}`,
    id: pull.id,
    number: pull.number,
    head: { ref: pull.headRef, sha: shas.head, repo: { id: head.id, url: `${urls.api}/repos/${pull.headRepo}`, name: head.name } },
    base: { ref: pull.baseRef, sha: shas.base, repo: { id: base.id, url: `${urls.api}/repos/${pull.repo}`, name: base.name } },
  };
}

export function installationJson(store: Store, installation: InstallationRecord, app: AppInfo, urls: Urls) {
  return {
    id: installation.id,
    account: userJson(store.user(installation.account, installation.accountType), urls),
    repository_selection: installation.repositories ? 'selected' : 'all',
    access_tokens_url: `${urls.api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/settings/installations/${installation.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: store.user(installation.account).id,
    target_type: installation.accountType,
    permissions: app.permissions,
    events: app.events,
    created_at: '2023-11-14T22:13:20Z',
    updated_at: '2023-11-14T22:13:20Z',
    single_file_name: null,
    suspended_at: null,
    suspended_by: null,
  };
}

export interface AppInfo {
  id: number;
  slug: string;
  name: string;
  owner: string;
  permissions: Record<string, string>;
  events: string[];
}

export function appJson(store: Store, app: AppInfo, urls: Urls) {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('A', app.id),
    client_id: `Iv1.${app.id.toString(16).padStart(16, '0')}`,
    owner: userJson(store.user(app.owner, 'Organization'), urls),
    name: app.name,
    description: '',
    external_url: urls.web,
    html_url: `${urls.web}/apps/${app.slug}`,
    created_at: '2023-11-14T22:13:20Z',
    updated_at: '2023-11-14T22:13:20Z',
    permissions: app.permissions,
    events: app.events,
    installations_count: store.installations.size,
  };
}

export function commitJson(store: Store, repo: string, commit: CommitInfo, urls: Urls) {
  const api = `${urls.api}/repos/${repo}`;
  return {
    sha: commit.sha,
    node_id: nodeId('C', commit.sha),
    commit: {
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      url: `${api}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: `${urls.web}/${repo}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${urls.web}/${repo}/commit/${sha}` })),
  };
}
