// Check runs, validated as GitHub validates them (50 annotations per request, 65,535-character output fields).
import type { FakeGitHub } from './fake-github.js';
import { HttpError, notFound, ok, paginate, validationFailed } from './http.js';
import { checkRunEvent } from './payloads.js';
import { checkRunJson, pullRefJson, type Urls } from './shapes.js';
import type { Annotation, CheckRunRecord, RepoRecord } from './store.js';

export const MAX_ANNOTATIONS_PER_REQUEST = 50;
export const MAX_OUTPUT_CHARS = 65_535;
const STATUSES = ['queued', 'in_progress', 'completed'];
const CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out'];
const LEVELS = ['notice', 'warning', 'failure'];

function invalid(message: string): HttpError {
  return new HttpError(422, `Invalid request.\n\n${message}`, { documentation_url: 'https://docs.github.com/rest/checks/runs' });
}

function validateAnnotations(list: unknown): Annotation[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw invalid('For \'properties/annotations\', it is not an array.');
  if (list.length > MAX_ANNOTATIONS_PER_REQUEST) {
    throw invalid(`Only ${MAX_ANNOTATIONS_PER_REQUEST} annotations are allowed per request; ${list.length} were supplied.`);
  }
  return list.map((a: Record<string, unknown>, i) => {
    for (const key of ['path', 'start_line', 'end_line', 'annotation_level', 'message']) {
      if (a?.[key] === undefined || a[key] === null) throw invalid(`"${key}" wasn't supplied (annotation ${i}).`);
    }
    if (typeof a.path !== 'string' || a.path === '') throw invalid(`annotation ${i}: path must be a non-empty string.`);
    if (!Number.isInteger(a.start_line) || !Number.isInteger(a.end_line) || (a.start_line as number) < 1) {
      throw invalid(`annotation ${i}: start_line and end_line must be positive integers.`);
    }
    if ((a.end_line as number) < (a.start_line as number)) throw invalid(`annotation ${i}: end_line is before start_line.`);
    if (!LEVELS.includes(a.annotation_level as string)) {
      throw invalid(`For 'properties/annotation_level', "${String(a.annotation_level)}" is not one of ${LEVELS.join(', ')}.`);
    }
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
      throw invalid(`annotation ${i}: start_column and end_column are only allowed when start_line equals end_line.`);
    }
    if (typeof a.message !== 'string' || a.message.length > 64 * 1024) throw invalid(`annotation ${i}: message must be a string of at most 64 KB.`);
    return a as unknown as Annotation;
  });
}

function validateOutput(output: unknown, creating: boolean): { title?: string; summary?: string; text?: string; annotations: Annotation[] } | undefined {
  if (output === undefined) return undefined;
  if (typeof output !== 'object' || output === null) throw invalid("For 'properties/output', it is not an object.");
  const o = output as Record<string, unknown>;
  if (creating || o.title !== undefined || o.summary !== undefined) {
    if (typeof o.title !== 'string') throw invalid('"title" wasn\'t supplied.');
    if (typeof o.summary !== 'string') throw invalid('"summary" wasn\'t supplied.');
  }
  for (const key of ['summary', 'text'] as const) {
    const value = o[key];
    if (typeof value === 'string' && value.length > MAX_OUTPUT_CHARS) {
      throw invalid(`Only ${MAX_OUTPUT_CHARS} characters are allowed in output.${key}; ${value.length} were supplied.`);
    }
  }
  return {
    title: o.title as string | undefined,
    summary: o.summary as string | undefined,
    text: o.text as string | undefined,
    annotations: validateAnnotations(o.annotations),
  };
}

function validateActions(actions: unknown): unknown[] | undefined {
  if (actions === undefined) return undefined;
  if (!Array.isArray(actions) || actions.length > 3) throw invalid('At most 3 actions are allowed.');
  for (const a of actions as Array<Record<string, unknown>>) {
    if (typeof a.label !== 'string' || a.label.length > 20) throw invalid('action label must be at most 20 characters.');
    if (typeof a.description !== 'string' || a.description.length > 40) throw invalid('action description must be at most 40 characters.');
    if (typeof a.identifier !== 'string' || a.identifier.length > 20) throw invalid('action identifier must be at most 20 characters.');
  }
  return actions;
}

/** Applies a create/update body to a run: status/conclusion rules as GitHub's (a conclusion completes the run). */
function apply(fake: FakeGitHub, run: CheckRunRecord, body: Record<string, unknown>, creating: boolean): void {
  if (body.status !== undefined && !STATUSES.includes(body.status as string)) {
    throw invalid(`For 'properties/status', "${String(body.status)}" is not one of ${STATUSES.join(', ')}.`);
  }
  if (body.conclusion !== undefined && body.conclusion !== null && !CONCLUSIONS.includes(body.conclusion as string)) {
    throw invalid(`For 'properties/conclusion', "${String(body.conclusion)}" is not one of ${CONCLUSIONS.join(', ')}.`);
  }
  const completing = body.status === 'completed' || body.completed_at !== undefined;
  if (completing && (body.conclusion === undefined || body.conclusion === null) && run.conclusion === null) {
    throw invalid('"conclusion" wasn\'t supplied.');
  }
  const output = validateOutput(body.output, creating);
  const actions = validateActions(body.actions);
  if (body.name !== undefined) run.name = String(body.name);
  if (body.details_url !== undefined) run.detailsUrl = body.details_url as string | null;
  if (body.external_id !== undefined) run.externalId = body.external_id as string | null;
  if (body.started_at !== undefined) run.startedAt = body.started_at as string;
  if (body.status !== undefined) run.status = body.status as CheckRunRecord['status'];
  if (body.conclusion !== undefined && body.conclusion !== null) {
    run.conclusion = body.conclusion as string;
    run.status = 'completed';
  }
  if (run.status === 'completed') run.completedAt = (body.completed_at as string | undefined) ?? run.completedAt ?? fake.isoNow();
  else run.completedAt = null;
  if (output) {
    if (output.title !== undefined) run.output.title = output.title;
    if (output.summary !== undefined) run.output.summary = output.summary;
    if (output.text !== undefined) run.output.text = output.text;
    // GitHub appends annotations: each update adds to those already on the run.
    run.annotations.push(...output.annotations);
  }
  if (actions) run.actions = actions;
  run.history.push(body);
}

export async function checkRunPulls(fake: FakeGitHub, repo: RepoRecord, sha: string, urls: Urls) {
  const full = `${repo.owner}/${repo.name}`;
  // As on GitHub, a check run lists the open PRs of its repository whose head is this sha (never a fork's PR).
  // Every branch tip in one git call: a check-run write with 200 open PRs stays cheap.
  const tips = await repo.git.branchTips();
  const matching = [...fake.store.pulls.values()].filter(
    (p) => p.repo === full && p.headRepo === full && p.state === 'open' && tips.get(`refs/heads/${p.headRef}`) === sha,
  );
  const shas = await Promise.all(matching.map((pull) => fake.pullShas(pull)));
  return matching.map((pull, i) => pullRefJson(fake.store, pull, shas[i], urls));
}

export function registerCheckRoutes(fake: FakeGitHub): void {
  const appJsonOf = (apiBase: string) => (id: number) => (id === fake.app.id ? fake.appJson(apiBase) : { id });
  const runJson = async (run: CheckRunRecord, repo: RepoRecord, apiBase: string) =>
    checkRunJson(fake.store, run, fake.urls(apiBase), appJsonOf(apiBase), await checkRunPulls(fake, repo, run.headSha, fake.urls(apiBase)));

  fake.route('POST /repos/:owner/:repo/check-runs', async (ctx) => {
    const repo = fake.repoFor(ctx);
    if (ctx.identity.kind !== 'installation') {
      throw new HttpError(403, 'You must authenticate via a GitHub App.', { documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run' });
    }
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    if (typeof body.name !== 'string' || body.name === '') throw invalid('"name" wasn\'t supplied.');
    if (typeof body.head_sha !== 'string') throw invalid('"head_sha" wasn\'t supplied.');
    const object = /^[0-9a-f]{40}$/.test(body.head_sha) ? await repo.git.object(body.head_sha) : undefined;
    if (!object || object.type !== 'commit') throw validationFailed('CheckRun', 'head_sha', `No commit found for SHA: ${body.head_sha}`, 'invalid');
    const full = `${repo.owner}/${repo.name}`;
    const suiteKey = `${full}|${body.head_sha}|${fake.app.id}`;
    let suite = fake.store.checkSuites.get(suiteKey);
    if (suite === undefined) {
      suite = fake.store.nextId();
      fake.store.checkSuites.set(suiteKey, suite);
    }
    const run: CheckRunRecord = {
      id: fake.store.nextId(),
      repo: full,
      name: body.name,
      headSha: body.head_sha,
      status: 'queued',
      conclusion: null,
      startedAt: fake.isoNow(),
      completedAt: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      detailsUrl: null,
      externalId: null,
      appId: fake.app.id,
      checkSuiteId: suite,
      actions: [],
      history: [],
    };
    apply(fake, run, body, true);
    fake.store.checkRuns.set(run.id, run);
    fake.emit(() => checkRunEvent(fake, run, 'created', { sender: fake.botLogin }));
    if (run.status === 'completed') fake.emit(() => checkRunEvent(fake, run, 'completed', { sender: fake.botLogin }));
    return ok(await runJson(run, repo, ctx.apiBase), 201);
  });

  const runOr404 = (repo: RepoRecord, id: string) => {
    const run = fake.store.checkRuns.get(Number(id));
    if (!run || run.repo !== `${repo.owner}/${repo.name}`) throw notFound('https://docs.github.com/rest/checks/runs#get-a-check-run');
    return run;
  };

  fake.route('PATCH /repos/:owner/:repo/check-runs/:check_run_id', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const run = runOr404(repo, ctx.params.check_run_id);
    if (ctx.identity.kind !== 'installation') {
      throw new HttpError(403, 'Resource not accessible by integration', { documentation_url: 'https://docs.github.com/rest/checks/runs#update-a-check-run' });
    }
    const wasCompleted = run.status === 'completed';
    apply(fake, run, (ctx.body ?? {}) as Record<string, unknown>, false);
    if (!wasCompleted && run.status === 'completed') fake.emit(() => checkRunEvent(fake, run, 'completed', { sender: fake.botLogin }));
    return ok(await runJson(run, repo, ctx.apiBase));
  });

  fake.route('GET /repos/:owner/:repo/check-runs/:check_run_id', async (ctx) => {
    const repo = fake.repoFor(ctx);
    return ok(await runJson(runOr404(repo, ctx.params.check_run_id), repo, ctx.apiBase));
  });

  fake.route('GET /repos/:owner/:repo/check-runs/:check_run_id/annotations', (ctx) => {
    const repo = fake.repoFor(ctx);
    const run = runOr404(repo, ctx.params.check_run_id);
    const page = paginate(ctx, run.annotations);
    return ok(
      page.items.map((a) => ({
        path: a.path,
        start_line: a.start_line,
        end_line: a.end_line,
        start_column: a.start_column ?? null,
        end_column: a.end_column ?? null,
        annotation_level: a.annotation_level,
        title: a.title ?? null,
        message: a.message,
        raw_details: a.raw_details ?? null,
        blob_href: `${fake.url}/${run.repo}/blob/${run.headSha}/${a.path}`,
      })),
      200,
      page.headers,
    );
  });

  fake.route('GET /repos/:owner/:repo/commits/:ref/check-runs', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const sha = await repo.git.resolveCommit(ctx.params.ref);
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${ctx.params.ref}`, { documentation_url: 'https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference' });
    const name = ctx.query.get('check_name');
    const status = ctx.query.get('status');
    const appId = ctx.query.get('app_id');
    const filter = ctx.query.get('filter') ?? 'latest';
    let runs = fake
      .checkRuns(`${repo.owner}/${repo.name}`, sha)
      .filter((r) => (!name || r.name === name) && (!status || r.status === status) && (!appId || String(r.appId) === appId));
    if (filter === 'latest') {
      const latest = new Map<string, CheckRunRecord>();
      for (const run of runs) latest.set(`${run.appId}|${run.name}`, run);
      runs = [...latest.values()];
    }
    runs.sort((a, b) => b.id - a.id);
    const page = paginate(ctx, runs);
    const items = [];
    for (const run of page.items) items.push(await runJson(run, repo, ctx.apiBase));
    return ok({ total_count: runs.length, check_runs: items }, 200, page.headers);
  });
}
