/**
 * POST /graphql: GitHub's GraphQL API for what an App reads — repositories, git objects by `oid` or `expression`
 * (aliases batch many in one query), trees, commits, refs, pull requests and their files, rateLimit.
 *
 * The schema below is a SUBSET of GitHub's, field for field (same names, types and nullability); a test checks it
 * against @octokit/graphql-schema, and `validateGraphqlAgainstGitHub` makes the fake refuse queries GitHub's real
 * schema would refuse. Queries are parsed and executed with graphql-js.
 */
import {
  buildSchema,
  execute,
  OverlappingFieldsCanBeMergedRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
} from 'graphql';
import type { Identity } from './auth.js';
import type { FakeGitHub } from './fake-github.js';
import { isBinary, type TreeEntry } from './git-backend.js';
import { HttpError, ok } from './http.js';
import { nodeId } from './shapes.js';
import type { PullRecord, RepoRecord } from './store.js';

export const FAKE_GRAPHQL_SDL = /* GraphQL */ `
  scalar GitObjectID
  scalar URI
  scalar DateTime

  interface Node {
    id: ID!
  }

  interface GitObject {
    abbreviatedOid: String!
    commitResourcePath: URI!
    commitUrl: URI!
    id: ID!
    oid: GitObjectID!
    repository: Repository!
  }

  type Blob implements GitObject & Node {
    abbreviatedOid: String!
    byteSize: Int!
    commitResourcePath: URI!
    commitUrl: URI!
    id: ID!
    isBinary: Boolean
    isTruncated: Boolean!
    oid: GitObjectID!
    repository: Repository!
    text: String
  }

  type TreeEntry {
    extension: String
    isGenerated: Boolean!
    lineCount: Int
    mode: Int!
    name: String!
    object: GitObject
    oid: GitObjectID!
    path: String
    repository: Repository!
    size: Int!
    type: String!
  }

  type Tree implements GitObject & Node {
    abbreviatedOid: String!
    commitResourcePath: URI!
    commitUrl: URI!
    entries: [TreeEntry!]
    id: ID!
    oid: GitObjectID!
    repository: Repository!
  }

  type CommitConnection {
    nodes: [Commit]
    totalCount: Int!
  }

  enum CheckStatusState {
    COMPLETED
    IN_PROGRESS
    PENDING
    QUEUED
    REQUESTED
    WAITING
  }

  input CheckSuiteFilter {
    appId: Int
    checkName: String
  }

  input CheckRunFilter {
    appId: Int
    checkName: String
    status: CheckStatusState
    statuses: [CheckStatusState!]
  }

  type CheckRun {
    databaseId: Int
    name: String!
    status: CheckStatusState!
  }

  type CheckRunConnection {
    nodes: [CheckRun]
    totalCount: Int!
  }

  type CheckSuite {
    checkRuns(after: String, before: String, filterBy: CheckRunFilter, first: Int, last: Int): CheckRunConnection
  }

  type CheckSuiteConnection {
    nodes: [CheckSuite]
    totalCount: Int!
  }

  type PullRequestCommit {
    commit: Commit!
    id: ID!
  }

  type PullRequestCommitConnection {
    nodes: [PullRequestCommit]
    totalCount: Int!
  }

  type Commit implements GitObject & Node {
    abbreviatedOid: String!
    authoredDate: DateTime!
    checkSuites(after: String, before: String, filterBy: CheckSuiteFilter, first: Int, last: Int): CheckSuiteConnection
    commitResourcePath: URI!
    commitUrl: URI!
    committedDate: DateTime!
    file(path: String!): TreeEntry
    id: ID!
    message: String!
    messageHeadline: String!
    oid: GitObjectID!
    parents(after: String, before: String, first: Int, last: Int): CommitConnection!
    repository: Repository!
    tree: Tree!
  }

  type Ref implements Node {
    id: ID!
    name: String!
    prefix: String!
    repository: Repository!
    target: GitObject
  }

  interface RepositoryOwner {
    id: ID!
    login: String!
    url: URI!
  }

  type Organization implements Node & RepositoryOwner {
    id: ID!
    login: String!
    url: URI!
  }

  type User implements Node & RepositoryOwner {
    id: ID!
    login: String!
    url: URI!
  }

  enum MergeableState {
    CONFLICTING
    MERGEABLE
    UNKNOWN
  }

  enum PullRequestState {
    CLOSED
    MERGED
    OPEN
  }

  enum PatchStatus {
    ADDED
    CHANGED
    COPIED
    DELETED
    MODIFIED
    RENAMED
  }

  type PageInfo {
    endCursor: String
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
  }

  type PullRequestChangedFile {
    additions: Int!
    changeType: PatchStatus!
    deletions: Int!
    path: String!
  }

  type PullRequestChangedFileConnection {
    nodes: [PullRequestChangedFile]
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type PullRequest implements Node {
    baseRef: Ref
    baseRefName: String!
    baseRefOid: GitObjectID!
    changedFiles: Int!
    commits(after: String, before: String, first: Int, last: Int): PullRequestCommitConnection!
    files(after: String, before: String, first: Int, last: Int): PullRequestChangedFileConnection
    headRefName: String!
    headRefOid: GitObjectID!
    id: ID!
    isCrossRepository: Boolean!
    isDraft: Boolean!
    mergeable: MergeableState!
    number: Int!
    potentialMergeCommit: Commit
    state: PullRequestState!
    title: String!
  }

  type Repository implements Node {
    defaultBranchRef: Ref
    id: ID!
    isFork: Boolean!
    isPrivate: Boolean!
    name: String!
    nameWithOwner: String!
    object(expression: String, oid: GitObjectID): GitObject
    owner: RepositoryOwner!
    pullRequest(number: Int!): PullRequest
    ref(qualifiedName: String!): Ref
    url: URI!
  }

  type RateLimit {
    cost: Int!
    limit: Int!
    nodeCount: Int!
    remaining: Int!
    resetAt: DateTime!
    used: Int!
  }

  type Query {
    rateLimit(dryRun: Boolean = false): RateLimit
    repository(followRenames: Boolean = true, name: String!, owner: String!): Repository
  }
`;

const schema = buildSchema(FAKE_GRAPHQL_SDL);

/**
 * graphql-js's validation rules except "overlapping fields can be merged", which is quadratic in the number of
 * aliases (250 blob aliases: ~120 ms per query here) and can't fail for distinct aliases of `object`.
 */
const RULES = specifiedRules.filter((rule) => rule !== OverlappingFieldsCanBeMergedRule);

/** Parses, validates and executes a query as graphql() does, with RULES. */
async function run(source: string, variables: Record<string, unknown> | undefined, operationName: string | undefined, rootValue: unknown, contextValue: unknown): Promise<ExecutionResult> {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    return { errors: [error as GraphQLError] };
  }
  const errors = validate(schema, document, RULES);
  if (errors.length > 0) return { errors };
  return execute({ schema, document, rootValue, contextValue, variableValues: variables, operationName });
}

interface Context {
  fake: FakeGitHub;
  identity: Identity;
}

class NotFoundError extends Error {
  readonly extensions = { type: 'NOT_FOUND' };
}

/** Resolvers are methods on the objects (graphql-js's default resolver calls them with the field's arguments). */
/** `dir` is the tree's path in the repository when known (GitHub's TreeEntry.path is the full path). */
function gitObjectNode(
  fake: FakeGitHub,
  repo: RepoRecord,
  oid: string,
  type: string,
  content?: Buffer,
  dir?: string,
): Record<string, unknown> | null {
  const full = `${repo.owner}/${repo.name}`;
  const common = {
    id: nodeId(type === 'blob' ? 'B' : type === 'tree' ? 'T' : 'C', oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    commitResourcePath: `/${full}/commit/${oid}`,
    commitUrl: `${fake.url}/${full}/commit/${oid}`,
    repository: () => repositoryNode(fake, repo),
  };
  if (type === 'blob') {
    const read = async () => content ?? (await repo.git.object(oid))?.content ?? Buffer.alloc(0);
    return {
      __typename: 'Blob',
      ...common,
      byteSize: async () => (await read()).length,
      isBinary: async () => isBinary(await read()),
      isTruncated: async () => (await read()).length > fake.options.blobTextLimit,
      text: async () => {
        const bytes = await read();
        if (isBinary(bytes)) return null;
        return bytes.subarray(0, fake.options.blobTextLimit).toString('utf8');
      },
    };
  }
  if (type === 'tree') {
    const prefix = dir ? `${dir}/` : '';
    return {
      __typename: 'Tree',
      ...common,
      entries: async () => (await repo.git.listTree(oid, false)).map((e) => treeEntryNode(fake, repo, e, `${prefix}${e.path}`)),
    };
  }
  if (type === 'commit') {
    const info = () => repo.git.commit(oid).then((c) => c!);
    return {
      __typename: 'Commit',
      ...common,
      message: async () => (await info()).message,
      messageHeadline: async () => (await info()).message.split('\n')[0],
      committedDate: async () => (await info()).committer.date,
      authoredDate: async () => (await info()).author.date,
      tree: async () => gitObjectNode(fake, repo, (await info()).tree, 'tree', undefined, ''),
      // (added by the App's branch: a review finds the check runs a dead process left unfinished on the PR's commits)
      checkSuites: ({ first, filterBy }: { first?: number; filterBy?: { appId?: number | null; checkName?: string | null } }) => {
        const runs = fake.checkRuns(full, oid).filter((r) => filterBy?.appId == null || r.appId === filterBy.appId);
        const suites = [...new Set(runs.map((r) => r.checkSuiteId))].slice(0, first ?? 100);
        const nodes = suites.map((suite) => ({
          checkRuns: ({ first: n, filterBy: f }: { first?: number; filterBy?: { checkName?: string | null; status?: string | null; statuses?: string[] | null } }) => {
            const shown = runs
              .filter((r) => r.checkSuiteId === suite)
              .filter((r) => f?.checkName == null || r.name === f.checkName)
              .filter((r) => f?.status == null || r.status.toUpperCase() === f.status)
              .filter((r) => f?.statuses == null || f.statuses.includes(r.status.toUpperCase()))
              .slice(0, n ?? 100);
            return { totalCount: shown.length, nodes: shown.map((r) => ({ databaseId: r.id, name: r.name, status: r.status.toUpperCase() })) };
          },
        }));
        return { totalCount: nodes.length, nodes };
      },
      parents: async ({ first }: { first?: number }) => {
        const parents = (await info()).parents;
        const shown = first === undefined ? parents : parents.slice(0, first);
        return { totalCount: parents.length, nodes: shown.map((p) => gitObjectNode(fake, repo, p, 'commit')) };
      },
      file: async ({ path }: { path: string }) => {
        const clean = path.replace(/^\/+|\/+$/g, '');
        const dir = clean.includes('/') ? clean.slice(0, clean.lastIndexOf('/')) : '';
        const entries = await repo.git.listTree(`${oid}:${dir}`, false).catch(() => [] as TreeEntry[]);
        const entry = entries.find((e) => e.path === clean.split('/').pop());
        return entry ? treeEntryNode(fake, repo, entry, clean) : null;
      },
    };
  }
  return null;
}

function treeEntryNode(fake: FakeGitHub, repo: RepoRecord, entry: TreeEntry, path: string) {
  const name = path.split('/').pop() ?? path;
  const dot = name.lastIndexOf('.');
  return {
    name,
    path,
    oid: entry.sha,
    type: entry.type,
    mode: parseInt(entry.mode, 8),
    extension: dot > 0 ? name.slice(dot) : null,
    isGenerated: false,
    size: entry.size ?? 0,
    lineCount: async () => {
      if (entry.type !== 'blob') return null;
      const content = (await repo.git.object(entry.sha))?.content;
      if (!content || isBinary(content)) return null;
      return content.toString('utf8').split('\n').length - (content.at(-1) === 10 ? 1 : 0);
    },
    object: () => gitObjectNode(fake, repo, entry.sha, entry.type, undefined, path),
    repository: () => repositoryNode(fake, repo),
  };
}

function refNode(fake: FakeGitHub, repo: RepoRecord, qualifiedName: string, sha: string) {
  const name = qualifiedName.replace(/^refs\/(heads|tags)\//, '');
  return {
    id: nodeId('REF', `${repo.id}:${qualifiedName}`),
    name,
    prefix: qualifiedName.slice(0, qualifiedName.length - name.length),
    repository: () => repositoryNode(fake, repo),
    target: async () => gitObjectNode(fake, repo, sha, (await repo.git.object(sha))?.type ?? 'commit'),
  };
}

function pullNode(fake: FakeGitHub, repo: RepoRecord, pull: PullRecord) {
  const shas = () => fake.pullShas(pull);
  const files = async () => {
    const { base, head } = await shas();
    const mergeBase = (await repo.git.mergeBase(base, head)) ?? base;
    return repo.git.diff(mergeBase, head);
  };
  const CHANGE: Record<string, string> = { added: 'ADDED', removed: 'DELETED', modified: 'MODIFIED', renamed: 'RENAMED', copied: 'COPIED', changed: 'CHANGED' };
  return {
    id: nodeId('PR', pull.id),
    number: pull.number,
    title: pull.title,
    isDraft: pull.draft,
    state: pull.merged ? 'MERGED' : pull.state === 'open' ? 'OPEN' : 'CLOSED',
    baseRefName: pull.baseRef,
    headRefName: pull.headRef,
    baseRefOid: async () => (await shas()).base,
    // (added by the App's branch: the App reads these to choose GitHub's test merge or its own lay-over)
    baseRef: async () => refNode(fake, repo, `refs/heads/${pull.baseRef}`, (await shas()).base),
    isCrossRepository: pull.headRepo !== `${repo.owner}/${repo.name}`,
    potentialMergeCommit: async () => {
      const current = await shas();
      await fake.refreshMerge(pull, current);
      return pull.merge?.sha ? gitObjectNode(fake, repo, pull.merge.sha, 'commit') : null;
    },
    headRefOid: async () => (await shas()).head,
    commits: async ({ first, last }: { first?: number; last?: number }) => {
      const { base, head } = await shas();
      const mergeBase = (await repo.git.mergeBase(base, head)) ?? base;
      const all = await repo.git.commitsBetween(mergeBase, head);
      const shown = last !== undefined ? all.slice(-last) : all.slice(0, first ?? 100);
      return { totalCount: all.length, nodes: shown.map((sha) => ({ id: nodeId('PRC', `${pull.id}:${sha}`), commit: gitObjectNode(fake, repo, sha, 'commit') })) };
    },
    changedFiles: async () => (await files()).length,
    mergeable: async () => {
      const current = await shas();
      await fake.refreshMerge(pull, current);
      if (pull.mergeMode === 'none' || !pull.merge) return 'UNKNOWN';
      return pull.merge.mergeable ? 'MERGEABLE' : 'CONFLICTING';
    },
    files: async ({ first, after }: { first?: number; after?: string }) => {
      const all = await files();
      const start = after ? Number(Buffer.from(after, 'base64').toString('utf8')) : 0;
      const count = Math.min(100, first ?? 100);
      const slice = all.slice(start, start + count);
      const cursor = (i: number) => Buffer.from(String(i)).toString('base64');
      return {
        totalCount: all.length,
        nodes: slice.map((f) => ({ path: f.filename, additions: f.additions, deletions: f.deletions, changeType: CHANGE[f.status] })),
        pageInfo: {
          hasNextPage: start + count < all.length,
          hasPreviousPage: start > 0,
          startCursor: slice.length > 0 ? cursor(start) : null,
          endCursor: slice.length > 0 ? cursor(start + slice.length) : null,
        },
      };
    },
  };
}

function repositoryNode(fake: FakeGitHub, repo: RepoRecord) {
  const full = `${repo.owner}/${repo.name}`;
  const owner = fake.store.user(repo.owner);
  return {
    id: nodeId('R', repo.id),
    name: repo.name,
    nameWithOwner: full,
    isFork: repo.parent !== undefined,
    isPrivate: repo.private,
    url: `${fake.url}/${full}`,
    owner: { __typename: owner.type === 'Organization' ? 'Organization' : 'User', id: nodeId('O', owner.id), login: owner.login, url: `${fake.url}/${owner.login}` },
    defaultBranchRef: async () => {
      const sha = await repo.git.resolve(`refs/heads/${repo.defaultBranch}`);
      return sha ? refNode(fake, repo, `refs/heads/${repo.defaultBranch}`, sha) : null;
    },
    ref: async ({ qualifiedName }: { qualifiedName: string }) => {
      const qualified = qualifiedName.startsWith('refs/') ? qualifiedName : `refs/heads/${qualifiedName}`;
      const sha = await repo.git.resolve(qualified);
      return sha ? refNode(fake, repo, qualified, sha) : null;
    },
    object: async ({ oid, expression }: { oid?: string; expression?: string }) => {
      const name = oid ?? expression;
      if (name === undefined) return null;
      // An oid must be a full object id; an expression is anything `git rev-parse` takes (`<rev>:<path>`).
      if (oid !== undefined && !/^[0-9a-f]{40}$/.test(oid)) return null;
      if (/[\n\r\0]/.test(name) || name.startsWith('-')) return null;
      const object = await repo.git.object(name);
      if (!object) return null;
      const colon = expression?.indexOf(':') ?? -1;
      const dir = oid === undefined && colon >= 0 ? expression!.slice(colon + 1).replace(/^\/+|\/+$/g, '') : undefined;
      return gitObjectNode(fake, repo, object.oid, object.type, object.type === 'blob' ? object.content : undefined, dir);
    },
    pullRequest: ({ number }: { number: number }) => {
      const pull = fake.store.pull(full, number);
      if (!pull) throw new NotFoundError(`Could not resolve to a PullRequest with the number of ${number}.`);
      return pullNode(fake, repo, pull);
    },
  };
}

let githubValidate: ((query: string) => readonly GraphQLError[]) | undefined;

/** Validates a query against GitHub's real schema (@octokit/graphql-schema); loads it once (~5 MB of JSON). */
export async function validateAgainstGitHubSchema(query: string): Promise<readonly GraphQLError[]> {
  if (!githubValidate) {
    const module = await import('@octokit/graphql-schema');
    githubValidate = module.validate as (query: string) => readonly GraphQLError[];
  }
  return githubValidate(query);
}

export function registerGraphqlRoute(fake: FakeGitHub): void {
  fake.route('POST /graphql', async (ctx) => {
    const body = (ctx.body ?? {}) as { query?: unknown; variables?: Record<string, unknown>; operationName?: string };
    if (typeof body.query !== 'string') {
      throw new HttpError(400, 'A query attribute must be specified and must be a string.', { documentation_url: 'https://docs.github.com/graphql' });
    }
    if (ctx.identity.kind === 'anonymous') {
      throw new HttpError(401, 'This endpoint requires you to be authenticated.', { documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql' });
    }
    if (fake.options.validateGraphqlAgainstGitHub) {
      const errors = await validateAgainstGitHubSchema(body.query);
      if (errors.length > 0) {
        return ok({ errors: errors.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: 'undefinedField' } })) });
      }
    }
    const context: Context = { fake, identity: ctx.identity };
    const result = await run(body.query, body.variables, body.operationName, {
        repository: ({ owner, name }: { owner: string; name: string }) => {
          const repo = fake.store.repo(`${owner}/${name}`);
          if (!repo || !fake.canSee(ctx.identity, repo)) {
            throw new NotFoundError(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
          }
          return repositoryNode(fake, repo);
        },
        rateLimit: () => ({
          cost: 1,
          limit: 5000,
          nodeCount: 0,
          remaining: 4999,
          used: 1,
          resetAt: new Date(fake.now() + 3_600_000).toISOString(),
        }),
      }, context);
    const errors = result.errors?.map((e) => ({
      // GitHub's errors carry `type` (NOT_FOUND, …) beside message, locations and path.
      ...(e.originalError instanceof NotFoundError ? { type: 'NOT_FOUND' } : {}),
      path: e.path,
      locations: e.locations,
      message: e.message,
    }));
    return ok(errors ? { data: result.data ?? null, errors } : { data: result.data });
  });
}
