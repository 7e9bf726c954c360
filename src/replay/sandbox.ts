/**
 * The replay sandbox: a pool of warm child processes (child.ts) that replay migrations into scratch SQLite.
 *
 * 1. Start: the strongest launch plan that works here (launch.ts), tried once; a weaker one is said in one log line.
 * 2. Replay: each job goes to an idle child; the wall-time limit kills it with SIGKILL and a fresh child replaces it.
 *    A statement that hit the limit (or crashed the child) becomes a ReplayFailure at its file:line, and the job is
 *    replayed once more without it, so the rest of the history still counts (best effort).
 * 3. Pairs: when head = base + appended files, base history is replayed once and head continues from it; the base
 *    database is cached (serialized) by the content hash of its files, so a re-review applies only the PR's files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseCache, baseCacheKey } from './base-cache.js';
import { describeFallback, launchPlans, type LaunchPlan } from './launch.js';
import { shortenStatement, type Job, type JobFile, type SegmentResult } from './protocol.js';
import { SandboxChild, type JobOutcome, type Progress } from './sandbox-child.js';
import { splitDrizzle, splitStatements } from './split.js';
import type {
  ReplayFailure,
  ReplayFailureKind,
  ReplayPairRequest,
  ReplayPairResult,
  ReplayRequest,
  ReplayResult,
} from './types.js';

export interface ReplaySandboxOptions {
  /** Warm children; default: the number of cores. */
  size?: number;
  /** Wall-time limit per database replay; default 10 s. */
  timeoutMs?: number;
  /** One line per noteworthy event (a weaker sandbox, a replaced child). Default: stderr. */
  log?: (line: string) => void;
  /** Budget of the serialized base-database cache; default 256 MiB. */
  cacheBytes?: number;
  /** Launch plans to try, strongest first (tests use it to exercise the fallback). Default: launch.ts's. */
  launchPlans?: (childScript: string) => LaunchPlan[];
}

/** Children retire after this much CPU time, long before prlimit's soft limit would kill one mid-job. */
const RETIRE_CPU_MICROS = 300e6;
const MAX_START_FAILURES = 3;

const CHILD_SCRIPT = fileURLToPath(new URL('../../dist/replay/child.js', import.meta.url));

const emptySchema = () => ({ tables: {}, views: {}, triggers: {} });

interface Task {
  job: Omit<Job, 'id'>;
  resolve: (outcome: JobOutcome) => void;
}

interface Executed {
  results: ReplayResult[];
  /** Serialized database after `serializeAfter` (arrives after the results), when the job ran cleanly. */
  snapshot?: Promise<string | undefined>;
  /** false when the sandbox stopped or crashed: the results are not safe to cache. */
  clean: boolean;
}

export class ReplaySandbox {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly cache: BaseCache;
  private readonly cwd: string;
  private readonly children = new Set<SandboxChild>();
  private readonly queue: Task[] = [];
  private plan: Promise<LaunchPlan>;
  private readonly plans: (childScript: string) => LaunchPlan[];
  private nextId = 1;
  private closedFlag = false;
  private startFailures = 0;
  private broken: string | null = null;
  private outstanding = 0;
  private readonly pendingSnapshots = new Set<Promise<string | undefined>>();
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(opts: ReplaySandboxOptions = {}) {
    this.size = Math.max(1, opts.size ?? availableParallelism());
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.cache = new BaseCache(opts.cacheBytes ?? 256 * 1024 * 1024);
    // Empty, and unwritable for the children (they run as another user when we are root).
    this.cwd = mkdtempSync(join(tmpdir(), 'safari-replay-'));
    this.plans = opts.launchPlans ?? launchPlans;
    process.once('exit', this.removeDirectory);
    this.plan = this.choosePlan();
    this.fill();
  }

  /** The children's (empty) working directory; removed by close(). */
  get workingDirectory(): string {
    return this.cwd;
  }

  /** Which launch plan the children run under, once the first child started. */
  get isolation(): Promise<LaunchPlan['name']> {
    return this.plan.then((p) => p.name);
  }

  /** Replays one side: the files in order into a fresh database. */
  async replay(req: ReplayRequest): Promise<ReplayResult> {
    const out = await this.execute({ dialect: req.dialect, segments: [toJobFiles(req.files)] });
    return out.results[0];
  }

  /** Replays base and head of one database, replaying shared history once when head only appends files. */
  async replayPair(req: ReplayPairRequest): Promise<ReplayPairResult> {
    const base = toJobFiles(req.base);
    const head = toJobFiles(req.head);
    const appended = appendedFiles(base, head);
    const key = baseCacheKey(req.dialect, base);
    const hit = this.cache.get(key);
    if (appended) {
      if (hit) {
        if (appended.length === 0) return { base: copy(hit.result), head: copy(hit.result), incremental: true, cached: true };
        const out = await this.execute({ dialect: req.dialect, restore: hit.database, segments: [appended] });
        return { base: copy(hit.result), head: combine(hit.result, out.results[0]), incremental: true, cached: true };
      }
      const segments = appended.length ? [base, appended] : [base];
      const out = await this.execute({ dialect: req.dialect, segments, serializeAfter: 0 });
      const baseResult = out.results[0];
      this.cacheWhenReady(key, out.snapshot, baseResult);
      const headResult = appended.length ? combine(baseResult, out.results[1]) : copy(baseResult);
      return { base: baseResult, head: headResult, incremental: true, cached: false };
    }
    // History was edited or reordered: two full replays, on two children when the pool has them.
    const baseRun = hit
      ? Promise.resolve(copy(hit.result))
      : this.execute({ dialect: req.dialect, segments: [base], serializeAfter: 0 }).then((out) => {
          this.cacheWhenReady(key, out.snapshot, out.results[0]);
          return out.results[0];
        });
    const headRun = this.execute({ dialect: req.dialect, segments: [head] }).then((out) => out.results[0]);
    const [baseResult, headResult] = await Promise.all([baseRun, headRun]);
    return { base: baseResult, head: headResult, incremental: false, cached: !!hit };
  }

  private readonly removeDirectory = (): void => {
    rmSync(this.cwd, { recursive: true, force: true });
  };

  /** Waits for a snapshot in the background: callers get their results first, the cache fills a moment later. */
  private cacheWhenReady(key: string, snapshot: Promise<string | undefined> | undefined, result: ReplayResult): void {
    if (!snapshot) return;
    const kept = copy(result);
    this.pendingSnapshots.add(snapshot);
    void snapshot.then((database) => {
      this.pendingSnapshots.delete(snapshot);
      if (database && !this.closedFlag) this.cache.set(key, { database, result: kept });
    });
  }

  /** Resolves when every snapshot requested so far reached the cache (benches and tests use it). */
  async settled(): Promise<void> {
    const hold = setInterval(() => {}, 1 << 30); // children are unref'd: keep the process up while waiting
    try {
      await Promise.all([...this.pendingSnapshots]);
    } finally {
      clearInterval(hold);
    }
  }

  /** Kills every child and removes the working directory. */
  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const task of this.queue.splice(0)) {
      task.resolve({ status: 'crashed', segments: [], progress: null, detail: 'the replay sandbox was closed' });
    }
    const children = [...this.children];
    for (const c of children) c.kill();
    const hold = setInterval(() => {}, 1 << 30); // the children are unref'd: wait for them for real
    try {
      await Promise.all(children.map((c) => c.closed()));
    } finally {
      clearInterval(hold);
      clearInterval(this.keepAlive);
      this.removeDirectory();
      process.removeListener('exit', this.removeDirectory);
    }
  }

  /** Runs a job to the end: a statement that stops the child is recorded and skipped on one more attempt. */
  private async execute(job: Omit<Job, 'id' | 'skip'>): Promise<Executed> {
    const injected: ReplayFailure[][] = job.segments.map(() => []);
    const skip: NonNullable<Job['skip']> = [];
    let clean = true;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.submit({ ...job, skip: [...skip] });
      if (outcome.status === 'done') {
        const results = outcome.segments.map((m) => withInjected(m.result, injected[m.index], job.segments[m.index]));
        return { results, snapshot: clean ? outcome.snapshot : undefined, clean };
      }
      clean = false;
      const failure = this.failureOf(outcome, job.segments);
      const p = outcome.progress;
      const inStatement = p !== null && p.file >= 0 && outcome.segments.every((m) => m.index !== p.segment);
      if (inStatement && attempt === 0 && !this.closedFlag) {
        injected[p.segment].push(failure);
        skip.push({ segment: p.segment, file: p.file, offset: p.offset });
        continue;
      }
      // Give up: finished segments keep their results, the rest are empty and carry the failure.
      const done = new Map(outcome.segments.map((m) => [m.index, m.result]));
      const results = job.segments.map((files, i) => {
        const r = done.get(i);
        if (r) return withInjected(r, injected[i], files);
        return {
          schema: emptySchema(),
          ok: false,
          failures: [...injected[i], failure],
          compatibility: [],
          renames: [],
          migrations: files.length,
          statements: 0,
        };
      });
      return { results, clean: false };
    }
  }

  /** The ReplayFailure for a child that was stopped or died, at the statement it was running. */
  private failureOf(outcome: Exclude<JobOutcome, { status: 'done' }>, segments: JobFile[][]): ReplayFailure {
    const kind: ReplayFailureKind = outcome.status;
    const message =
      kind === 'timeout'
        ? `the replay exceeded the wall-time limit of ${formatSeconds(this.timeoutMs)} while running this statement; the sandbox was stopped`
        : kind === 'memory'
          ? `the sandbox ran out of memory (${outcome.detail})`
          : `the sandbox process died (${outcome.detail})`;
    const p: Progress | null = outcome.progress;
    const files = segments[p?.segment ?? 0] ?? [];
    const file = p && p.file >= 0 ? files[p.file] : files[files.length - 1];
    if (!file) return { kind, file: '', line: 1, statement: '', message, more: 0 };
    if (!p || p.file < 0) {
      const statement = p ? '(reading the schema back from SQLite)' : '(starting the replay)';
      return { kind, file: file.path, line: 1, statement, message, more: 0 };
    }
    const split = file.applier === 'drizzle' ? splitDrizzle(file.content) : splitStatements(file.content);
    const stmt = split.statements.find((s) => s.offset === p.offset);
    return { kind, file: file.path, line: stmt?.line ?? 1, statement: shortenStatement(stmt?.sql ?? ''), message, more: 0 };
  }

  private submit(job: Omit<Job, 'id'>): Promise<JobOutcome> {
    return new Promise<JobOutcome>((resolve) => {
      if (this.closedFlag || this.broken) {
        const detail = this.broken ?? 'the replay sandbox was closed';
        resolve({ status: 'crashed', segments: [], progress: null, detail });
        return;
      }
      // Children and their pipes are unref'd; while a job is outstanding this handle keeps the process alive.
      if (this.outstanding++ === 0) this.keepAlive = setInterval(() => {}, 1 << 30);
      this.queue.push({
        job,
        resolve: (outcome) => {
          if (--this.outstanding === 0) clearInterval(this.keepAlive);
          resolve(outcome);
        },
      });
      this.pump();
    });
  }

  private pump(): void {
    for (const child of this.children) {
      if (!this.queue.length) return;
      if (!child.startedAndIdle) continue;
      const task = this.queue.shift()!;
      const job: Job = { ...task.job, id: this.nextId++ };
      void child.run(job, this.timeoutMs).then((outcome) => {
        if (outcome.status === 'done' && child.cpuMicros > RETIRE_CPU_MICROS) {
          child.retire(outcome.snapshot ?? Promise.resolve(undefined));
        }
        task.resolve(outcome);
        this.pump();
      });
    }
  }

  private async choosePlan(): Promise<LaunchPlan> {
    const failed: { plan: LaunchPlan; reason: string }[] = [];
    const plans = this.plans(CHILD_SCRIPT);
    for (const plan of plans) {
      const child = this.spawn(plan);
      try {
        await child.ready;
        if (plan.name !== 'full') this.log(describeFallback(plan, failed));
        return plan;
      } catch (e) {
        failed.push({ plan, reason: (e as Error).message });
      }
    }
    this.log(`replay sandbox could not start a child process: ${failed.map((f) => f.reason).join('; ')}`);
    throw new Error('replay sandbox could not start');
  }

  /** `counted`: a start failure counts towards giving up (the probes of choosePlan don't). */
  private spawn(plan: LaunchPlan, counted = false): SandboxChild {
    const child = new SandboxChild(plan, this.cwd, (gone) => this.onChildExit(gone));
    this.children.add(child);
    child.ready.then(
      () => {
        this.startFailures = 0;
        this.pump();
      },
      () => {
        if (counted) this.startFailures++;
      },
    );
    return child;
  }

  private onChildExit(child: SandboxChild): void {
    this.children.delete(child);
    if (this.closedFlag) return;
    // After the ready promise settled, so a start failure is already counted.
    setImmediate(() => this.fill());
  }

  /** Keeps the pool at its size; gives up (answering queued jobs) after repeated start failures. */
  private fill(): void {
    if (this.closedFlag) return;
    void this.plan.then(
      (plan) => {
        if (this.startFailures >= MAX_START_FAILURES) {
          this.giveUp('the replay sandbox could not restart its child process');
          return;
        }
        while (!this.closedFlag && this.children.size < this.size) this.spawn(plan, true);
        this.pump();
      },
      () => this.giveUp('the replay sandbox could not start a child process'),
    );
  }

  /** From now on every job is answered at once with a crashed failure (never a hang, never a rejection). */
  private giveUp(detail: string): void {
    this.broken = detail;
    for (const task of this.queue.splice(0)) task.resolve({ status: 'crashed', segments: [], progress: null, detail });
  }
}

/** Runs `fn` with a sandbox that is closed afterwards, whatever happens. */
export async function withSandbox<T>(fn: (s: ReplaySandbox) => Promise<T>, opts?: ReplaySandboxOptions): Promise<T> {
  const sandbox = new ReplaySandbox(opts);
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.close();
  }
}

function toJobFiles(files: ReplayRequest['files']): JobFile[] {
  return files.map((f) => ({ path: f.path, applier: f.applier, content: f.content }));
}

/** Head's extra files when head = base (same paths, contents, appliers, order) + appended; else null. */
export function appendedFiles(base: readonly JobFile[], head: readonly JobFile[]): JobFile[] | null {
  if (head.length < base.length) return null;
  for (let i = 0; i < base.length; i++) {
    const a = base[i];
    const b = head[i];
    if (a.path !== b.path || a.applier !== b.applier || a.content !== b.content) return null;
  }
  return head.slice(base.length);
}

function toResult(r: SegmentResult): ReplayResult {
  return {
    schema: r.schema,
    ok: r.failures.length === 0,
    failures: r.failures,
    compatibility: r.compatibility,
    renames: r.renames,
    migrations: r.migrations,
    statements: r.statements,
  };
}

/** A segment's result plus failures the parent recorded for statements the child was told to skip. */
function withInjected(r: SegmentResult, injected: ReplayFailure[], files: JobFile[]): ReplayResult {
  const result = toResult(r);
  if (!injected.length) return result;
  const order = new Map(files.map((f, i) => [f.path, i]));
  const failures = [...result.failures];
  for (const add of injected) {
    const at = failures.findIndex((f) => f.file === add.file);
    if (at < 0) failures.push(add);
    else {
      const other = failures[at];
      failures[at] =
        other.line <= add.line ? { ...other, more: other.more + 1 + add.more } : { ...add, more: add.more + 1 + other.more };
    }
  }
  failures.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  return { ...result, ok: false, failures };
}

/** Head continued from base's database: everything base did, then what the appended files did. */
function combine(base: ReplayResult, appended: ReplayResult): ReplayResult {
  return {
    schema: appended.schema,
    ok: base.ok && appended.ok,
    failures: [...base.failures, ...appended.failures],
    compatibility: [...base.compatibility, ...appended.compatibility],
    renames: [...base.renames, ...appended.renames],
    migrations: base.migrations + appended.migrations,
    statements: base.statements + appended.statements,
  };
}

/** A result that shares no arrays with the cache (schemas are shared: treat them as read-only). */
function copy(r: ReplayResult): ReplayResult {
  return {
    ...r,
    failures: [...r.failures],
    compatibility: [...r.compatibility],
    renames: [...r.renames],
  };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
