/**
 * `safari backtest`: each first-parent commit of a branch that touches migrations, configs or Drizzle schemas is
 * reviewed as a PR onto its parent, as the check would have judged it when it was merged.
 *
 * 1. List the branch's first-parent commits (oldest first), within `--since` / `--last`.
 * 2. Keep those whose changed files matter to a review (relevant-paths.ts; schema entries from the tip's configs).
 * 3. Review each against its parent, one at a time, through one warm sandbox: consecutive commits share most of
 *    their history, so the base cache answers almost every replay.
 * 4. Summarise: how many would have failed, errors and warnings by rule, each failing commit's errors, time per review.
 */
import { discover } from '../discover/discover.js';
import type { Finding } from '../findings.js';
import type { ReplaySandbox } from '../replay/sandbox.js';
import { groupFindings } from '../render/review-summary.js';
import type { Conclusion } from '../result.js';
import { ConfigurationError, review } from '../review.js';
import { openGitSource } from '../source/git.js';
import { isShallow, listBranchCommits, type BranchCommit } from './list-commits.js';
import { relevantPathMatcher } from './relevant-paths.js';

export interface BacktestOptions {
  repo: string;
  branch?: string;
  since?: string;
  /** Only the last N relevant commits. */
  last?: number;
  sandbox: ReplaySandbox;
  evaluateSchema?: boolean;
  /** One call per commit, before and after its review (the CLI prints progress on stderr). */
  progress?: (event: BacktestProgress) => void;
}

export type BacktestProgress =
  | { kind: 'start'; total: number; considered: number }
  | { kind: 'commit'; index: number; total: number; commit: BacktestCommit };

/** `configuration-error`: the parent's safari.yml was broken, so the check would have stopped before reviewing. */
export type BacktestOutcome = Conclusion | 'configuration-error' | 'internal-error';

/** One finding of a backtested commit: the review's own finding (wording, data, place). */
export type BacktestFinding = Finding;

export interface BacktestCommit {
  sha: string;
  parent: string;
  subject: string;
  outcome: BacktestOutcome;
  /** Wall time of the review (opening the commit pair included), in ms. */
  ms: number;
  /** The commit's own (not pre-existing, not acknowledged) errors. */
  errors: BacktestFinding[];
  warnings: BacktestFinding[];
  notices: number;
  /** Problems already on the parent (listed apart by a review), counted. */
  preexisting: number;
  /** For configuration-error / internal-error: what stopped the review. */
  problem?: string;
}

export interface BacktestResult {
  repo: string;
  branch: string;
  since?: string;
  last?: number;
  /** First-parent commits in the range (root commits included). */
  considered: number;
  /** The clone is shallow: history before its oldest commit is not there to review. */
  shallow: boolean;
  commits: BacktestCommit[];
  summary: BacktestSummary;
}

export interface BacktestSummary {
  reviewed: number;
  failed: number;
  neutral: number;
  passed: number;
  configurationErrors: number;
  internalErrors: number;
  /** Errors and warnings the commits would have been blamed for, by rule, most errors first. */
  byRule: { rule: string; errors: number; warnings: number }[];
  timing: { totalMs: number; medianMs: number; p90Ms: number; maxMs: number };
}

export async function backtest(options: BacktestOptions): Promise<BacktestResult> {
  const branch = options.branch ?? 'HEAD';
  const all = await listBranchCommits(options.repo, { branch, since: options.since });
  const relevant = relevantPathMatcher(await schemaEntriesAt(options.repo, branch));
  let chosen = all.filter((c): c is BranchCommit & { parent: string } => c.parent !== undefined && c.paths.some(relevant));
  if (options.last !== undefined) chosen = chosen.slice(Math.max(0, chosen.length - options.last));
  options.progress?.({ kind: 'start', total: chosen.length, considered: all.length });

  const commits: BacktestCommit[] = [];
  for (const [index, c] of chosen.entries()) {
    const commit = await reviewCommit(options, c);
    commits.push(commit);
    options.progress?.({ kind: 'commit', index: index + 1, total: chosen.length, commit });
  }
  return {
    repo: options.repo,
    branch,
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.last !== undefined ? { last: options.last } : {}),
    considered: all.length,
    shallow: await isShallow(options.repo),
    commits,
    summary: summarize(commits),
  };
}

/** The Drizzle schema entries of the configs at the branch tip: a commit that edits a schema is worth a review. */
async function schemaEntriesAt(repo: string, rev: string): Promise<string[]> {
  const source = await openGitSource(repo, rev, rev, { refLabels: ['--branch', '--branch'] });
  try {
    const found = await discover(source.head);
    return [...new Set(found.databases.flatMap((d) => d.sources.flatMap((s) => s.drizzle?.schema ?? [])))];
  } finally {
    await source.close();
  }
}

async function reviewCommit(options: BacktestOptions, c: BranchCommit & { parent: string }): Promise<BacktestCommit> {
  const started = performance.now();
  const entry = { sha: c.sha, parent: c.parent, subject: c.subject };
  const empty = { errors: [], warnings: [], notices: 0, preexisting: 0 };
  let source;
  try {
    source = await openGitSource(options.repo, c.parent, c.sha);
    const result = await review(source, { sandbox: options.sandbox, evaluateSchema: options.evaluateSchema });
    const groups = groupFindings(result.findings);
    return {
      ...entry,
      outcome: result.conclusion,
      ms: performance.now() - started,
      errors: groups.bySeverity.error,
      warnings: groups.bySeverity.warning,
      notices: groups.bySeverity.notice.length,
      preexisting: groups.preexisting.length,
    };
  } catch (error) {
    const outcome: BacktestOutcome = error instanceof ConfigurationError ? 'configuration-error' : 'internal-error';
    const problem = error instanceof Error ? error.message : String(error);
    return { ...entry, outcome, ms: performance.now() - started, ...empty, problem };
  } finally {
    await source?.close();
  }
}

export function summarize(commits: BacktestCommit[]): BacktestSummary {
  const count = (outcome: BacktestOutcome) => commits.filter((c) => c.outcome === outcome).length;
  const byRule = new Map<string, { rule: string; errors: number; warnings: number }>();
  const tally = (f: BacktestFinding, key: 'errors' | 'warnings') => {
    const row = byRule.get(f.rule) ?? { rule: f.rule, errors: 0, warnings: 0 };
    row[key]++;
    byRule.set(f.rule, row);
  };
  for (const c of commits) {
    c.errors.forEach((f) => tally(f, 'errors'));
    c.warnings.forEach((f) => tally(f, 'warnings'));
  }
  const times = commits.map((c) => c.ms).sort((a, b) => a - b);
  const at = (q: number) => (times.length ? times[Math.min(times.length - 1, Math.floor(q * times.length))] : 0);
  return {
    reviewed: commits.length,
    failed: count('failure'),
    neutral: count('neutral'),
    passed: count('success'),
    configurationErrors: count('configuration-error'),
    internalErrors: count('internal-error'),
    byRule: [...byRule.values()].sort((a, b) => b.errors - a.errors || b.warnings - a.warnings || a.rule.localeCompare(b.rule)),
    timing: { totalMs: times.reduce((a, b) => a + b, 0), medianMs: at(0.5), p90Ms: at(0.9), maxMs: times.at(-1) ?? 0 },
  };
}
