/**
 * The fake GitHub's memory: repositories (each backed by a git directory), pull requests, issues, comments,
 * reactions, check runs, collaborator roles, installations and tokens. Tests seed it through FakeGitHub's methods
 * and read it back to assert what the App wrote.
 */
import type { GitBackend } from './git-backend.js';

export type Role = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface UserRecord {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  git: GitBackend;
  defaultBranch: string;
  private: boolean;
  /** Full name of the repository this one was forked from. */
  parent?: string;
  installationId: number;
}

/**
 * How the PR's test-merge commit behaves: `live` recomputes it whenever base or head moves (GitHub, eventually);
 * `frozen` keeps the last one even after the base moves (a stale test merge); `none` never has one (mergeable null).
 */
export type MergeMode = 'live' | 'frozen' | 'none';

/** What issues and PRs share: GitHub numbers them in one sequence per repository. */
export interface ConversationRecord {
  repo: string;
  number: number;
  id: number;
  title: string;
  body: string | null;
  user: string;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
}

export interface PullRecord extends ConversationRecord {
  /** `owner/name` of the repository the head branch lives in (a fork or the base repository). */
  headRepo: string;
  headRef: string;
  baseRef: string;
  merged: boolean;
  draft: boolean;
  mergeMode: MergeMode;
  /** How many more reads answer `mergeable: null` before GitHub "finishes" computing the test merge. */
  pendingMergeReads: number;
  /** The last computed test merge, keyed by the base and head shas it was made from. */
  merge?: { baseSha: string; headSha: string; mergeable: boolean; sha: string | null; conflicts: string[] };
  labels: string[];
  /** The head sha last written to `refs/pull/<n>/head` in the base repository. */
  syncedHead?: string;
}

export type IssueRecord = ConversationRecord;

export interface CommentRecord {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  user: string;
  /** The App's id when an installation token wrote it. */
  viaApp?: number;
  createdAt: string;
  updatedAt: string;
}

export interface ReactionRecord {
  id: number;
  commentId: number;
  user: string;
  content: string;
  createdAt: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  repo: string;
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Annotation[];
  detailsUrl: string | null;
  externalId: string | null;
  appId: number;
  checkSuiteId: number;
  actions: unknown[];
  /** Every request body that created or updated this run, in order. */
  history: unknown[];
}

export interface InstallationRecord {
  id: number;
  account: string;
  accountType: 'User' | 'Organization';
  /** undefined = all repositories. */
  repositories?: string[];
}

export interface TokenRecord {
  token: string;
  installationId: number;
  expiresAt: string;
}

export class Store {
  private nextIdValue = 1000;
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly pulls = new Map<string, PullRecord>();
  readonly issues = new Map<string, IssueRecord>();
  readonly comments = new Map<number, CommentRecord>();
  readonly reactions: ReactionRecord[] = [];
  readonly checkRuns = new Map<number, CheckRunRecord>();
  /** `repo|headSha|appId` → check suite id. */
  readonly checkSuites = new Map<string, number>();
  /** `repo|login` → role. */
  readonly roles = new Map<string, Role>();
  readonly installations = new Map<number, InstallationRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  /** Personal tokens for tests that act as a human: token → login. */
  readonly userTokens = new Map<string, string>();
  /** Next issue/PR number per repository (they share one sequence, as on GitHub). */
  readonly numbers = new Map<string, number>();

  nextId(): number {
    return ++this.nextIdValue;
  }

  user(login: string, type?: UserRecord['type']): UserRecord {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: this.nextId(), type: type ?? (login.endsWith('[bot]') ? 'Bot' : 'User') };
      this.users.set(login, user);
    }
    return user;
  }

  repo(fullName: string): RepoRecord | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  nextNumber(repo: string): number {
    const n = (this.numbers.get(repo) ?? 0) + 1;
    this.numbers.set(repo, n);
    return n;
  }

  pull(repo: string, number: number): PullRecord | undefined {
    return this.pulls.get(`${repo}#${number}`);
  }

  issue(repo: string, number: number): IssueRecord | undefined {
    return this.issues.get(`${repo}#${number}`);
  }
}
