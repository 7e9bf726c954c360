/**
 * The "Migration Safari" check run on a PR's head SHA: created in_progress when a review starts, completed with the
 * conclusion, a title with the counts, the summary and line annotations (50 per request, GitHub's limit; the rest in
 * further updates). An in_progress check this App left on the same SHA (a process that died, a redelivered webhook)
 * is reused, never duplicated.
 */
import type { Finding } from '../findings.js';
import type { ReviewResult } from '../result.js';
import { countsText, groupFindings } from '../render/review-summary.js';
import type { GitHubApi } from './github-api.js';

export const CHECK_NAME = 'Migration Safari';
const ANNOTATIONS_PER_REQUEST = 50;
const MAX_SUMMARY = 60_000;

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

export interface CheckOutput {
  conclusion: 'success' | 'neutral' | 'failure' | 'cancelled';
  title: string;
  summary: string;
  annotations?: CheckAnnotation[];
}

export interface CheckRunSummary {
  id: number;
  html_url?: string;
  status: 'queued' | 'in_progress' | 'completed';
  app?: { id: number; slug?: string } | null;
}

/** A check whose review the server could not finish because it was stopping (SIGTERM). */
export const INTERRUPTED: CheckOutput = {
  conclusion: 'cancelled',
  title: 'Interrupted: the server was stopping',
  summary: 'The review was interrupted — push again or comment `/safari rerun`.',
};

export type OpenedCheck = { id: number; reused: boolean; url?: string } | { alreadyCompleted: number };

/**
 * Our check on `headSha`: an unfinished one is taken over; a finished one means this head was reviewed already,
 * which only a forced review (rerun, base moved, base branch changed) repeats, with a new check run.
 */
export async function openCheck(
  api: GitHubApi,
  headSha: string,
  opts: { appId?: number; force: boolean; detailsUrl?: string; listed?: Promise<CheckRunSummary[]> },
): Promise<OpenedCheck> {
  const ours = await (opts.listed ?? listOurChecks(api, headSha, opts.appId));
  const plan = checkPlan(ours, opts.force);
  if ('alreadyCompleted' in plan) return plan;
  if (plan.reuse) {
    await api.rest('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { check_run_id: plan.reuse.id, status: 'in_progress' });
    return { id: plan.reuse.id, reused: true, url: plan.reuse.html_url };
  }
  const created = await api.rest<{ id: number; html_url?: string }>('POST /repos/{owner}/{repo}/check-runs', {
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    output: { title: 'Reviewing migrations…', summary: 'Replaying base and head of every database.' },
  });
  return { id: created.id, reused: false, url: created.html_url };
}

/** What `openCheck` will do with these checks of ours: take over an unfinished one, skip a reviewed head, or create. */
export function checkPlan(ours: CheckRunSummary[], force: boolean): { alreadyCompleted: number } | { reuse?: CheckRunSummary } {
  const unfinished = ours.find((c) => c.status !== 'completed');
  if (unfinished) return { reuse: unfinished };
  const done = ours.find((c) => c.status === 'completed');
  return done && !force ? { alreadyCompleted: done.id } : {};
}

/** This App's "Migration Safari" check runs on a commit (a read; `openCheck` takes it, so it can be started early). */
export async function listOurChecks(api: GitHubApi, headSha: string, appId?: number): Promise<CheckRunSummary[]> {
  const listed = await api.rest<{ check_runs: CheckRunSummary[] }>('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
    ref: headSha,
    check_name: CHECK_NAME,
    ...(appId ? { app_id: appId } : {}),
  });
  return listed.check_runs.filter((c) => appId === undefined || c.app?.id === undefined || c.app.id === appId);
}

const ABANDONED: CheckOutput = {
  conclusion: 'cancelled',
  title: 'Superseded by a newer push',
  summary: 'This review was interrupted and a newer commit was pushed; see the check on the newest commit.',
};

/** Completes this App's unfinished checks on `headSha` as superseded (their review died with its process). */
export async function closeAbandonedChecks(api: GitHubApi, headSha: string, appId?: number): Promise<number> {
  const abandoned = (await listOurChecks(api, headSha, appId)).filter((c) => c.status !== 'completed');
  await completeAbandoned(api, abandoned.map((c) => c.id));
  return abandoned.length;
}

/** Completes these check runs (found unfinished on older commits of the PR) as superseded. */
export async function completeAbandoned(api: GitHubApi, ids: number[]): Promise<void> {
  for (const id of ids) await completeCheck(api, id, ABANDONED);
}

/** Completes the check; annotations beyond the first 50 follow in further updates. */
export async function completeCheck(api: GitHubApi, id: number, output: CheckOutput): Promise<void> {
  const annotations = output.annotations ?? [];
  const summary = output.summary.length > MAX_SUMMARY ? `${output.summary.slice(0, MAX_SUMMARY)}\n\n…(shortened)` : output.summary;
  const text = { title: output.title, summary };
  await api.rest('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    check_run_id: id,
    status: 'completed',
    conclusion: output.conclusion,
    completed_at: new Date().toISOString(),
    output: { ...text, annotations: annotations.slice(0, ANNOTATIONS_PER_REQUEST) },
  });
  for (let i = ANNOTATIONS_PER_REQUEST; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    await api.rest('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      check_run_id: id,
      output: { ...text, annotations: annotations.slice(i, i + ANNOTATIONS_PER_REQUEST) },
    });
  }
}

const LEVEL = { error: 'failure', warning: 'warning', notice: 'notice' } as const;

/** One annotation per finding that has a file; findings already on main are not the PR's, so they get none. */
export function annotations(result: ReviewResult): CheckAnnotation[] {
  return result.findings
    .filter((f): f is Finding & { file: string } => f.file !== undefined && !f.preexisting)
    .map((f) => {
      const line = Math.max(1, f.line ?? 1);
      return {
        path: f.file,
        start_line: line,
        end_line: Math.max(line, f.endLine ?? line),
        annotation_level: f.acknowledged ? 'notice' : LEVEL[f.severity],
        title: `${f.rule}${f.acknowledged ? ' (acknowledged)' : ''}`,
        message: f.message.slice(0, 60_000),
      };
    });
}

/** "2 errors, 1 warning in grove-engine-db" — counts of what the PR is blamed for. */
export function checkTitle(result: ReviewResult): string {
  const blaming = result.findings.filter((f) => !f.preexisting && !f.acknowledged);
  if (blaming.length === 0) {
    const acked = result.findings.some((f) => f.acknowledged && !f.preexisting);
    return acked ? 'No open problems (some acknowledged)' : 'No problems found';
  }
  const counts = countsText(groupFindings(blaming));
  const dbs = [...new Set(blaming.map((f) => f.database).filter((d): d is string => d !== undefined))];
  return dbs.length === 1 ? `${counts} in ${dbs[0]}` : dbs.length > 1 ? `${counts} in ${dbs.length} databases` : counts;
}
