/**
 * The one door to GitHub for a review: every request goes through here, so each review knows how many reads and
 * writes it made (logged, and asserted by tests: at most 5 reads per review). Octokit's retry and throttling plugins
 * (Probot's defaults) stay underneath.
 */
import type { ProbotOctokit } from 'probot';

export type Octokit = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface RequestCounts {
  reads: number;
  writes: number;
}

export class GitHubApi {
  readonly counts: RequestCounts = { reads: 0, writes: 0 };

  constructor(
    readonly octokit: Octokit,
    readonly repoRef: RepoRef,
  ) {}

  /** A REST request, e.g. `GET /repos/{owner}/{repo}/git/trees/{tree_sha}`; owner and repo are filled in. */
  async rest<T = any>(route: string, params: Record<string, unknown> = {}): Promise<T> {
    const method = route.split(' ')[0];
    if (method === 'GET') this.counts.reads++;
    else this.counts.writes++;
    const response = await this.octokit.request(route, { ...this.repoRef, ...params });
    return response.data as T;
  }

  /** A page of a REST list; `next` is true when GitHub's Link header names a next page. */
  async restPage<T = any>(route: string, params: Record<string, unknown> = {}): Promise<{ data: T; next: boolean }> {
    this.counts.reads++;
    const response = await this.octokit.request(route, { ...this.repoRef, ...params });
    return { data: response.data as T, next: /rel="next"/.test(String(response.headers.link ?? '')) };
  }

  /** A GraphQL query (always a read here: the App sends no mutations). */
  async graphql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    this.counts.reads++;
    return this.octokit.graphql<T>(query, { ...variables });
  }

  get total(): number {
    return this.counts.reads + this.counts.writes;
  }
}
