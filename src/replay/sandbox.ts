/**
 * The replay sandbox: a pool of warm child processes (child.ts) that replay migrations into scratch SQLite.
 *
 * 1. Start: the strongest launch plan that works here (launch.ts), tried once; a weaker one is said in one log line.
 * 2. Replay: each job goes to an idle child; the wall-time limit kills it with SIGKILL and a fresh child replaces it.
 *    A statement that hit the limit (or crashed the child) becomes a ReplayFailure at its file:line, and the job is
 *    replayed once more without it, so the rest of the history still counts (best effort).
 * 3. Pairs: when head = base + appended files, base history is replayed once and head continues from it. The child
 *    that replayed the base keeps a serialized copy of its database, and the parent remembers it by the content hash
 *    of the base files (base-cache.ts); a re-review runs only the PR's files, on that child. If that child is gone
 *    (replaced after a timeout, retired), the base is replayed again.
 * 4. Schemas come back as patches (extract-patch.ts): a segment that continues from a known schema reads back and
 *    sends only the tables its migrations changed; the others are the same Table objects as before it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Schema } from '../schema/model.js';
import { BaseCache, baseCacheKey, type CachedBase } from './base-cache.js';
import { applyPatch } from './extract-patch.js';
import { describeFallback, launchPlans, type LaunchPlan } from './launch.js';
import { shortenStatement, type Job, type JobFile, type SegmentResult } from './protocol.js';
import { SandboxChild, type JobOutcome, type Progress, type SegmentMessage } from './sandbox-child.js';
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
  /** Budget of the base-database cache (serialized bytes, kept in the children); default 256 MiB. */
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
  /** Only this child may run the job: it keeps the database the job restores. */
  pin?: SandboxChild;
  resolve: (outcome: JobOutcome, child?: SandboxChild) => void;
}

/** A base database kept by a child, and the base's result. */
interface CachedDatabase extends CachedBase {
  bytes: number;
  holder: SandboxChild;
  slot: string;
}

interface Executed {
  results: ReplayResult[];
  /** false when the sandbox stopped or crashed. */
  clean: boolean;
}

interface ExecuteOptions {
  /** Continue from this cached base (on the child that keeps it; or replay `baseFiles` first when it is gone). */
  from?: { entry: CachedDatabase; baseFiles: JobFile[] };
  /** Cache the database after the first segment actually run (the base) under this key, when the job runs cleanly. */
  cacheAs?: string;
}

export class ReplaySandbox {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly cache: BaseCache<CachedDatabase>;
  private readonly cwd: string;
  private readonly children = new Set<SandboxChild>();
  private readonly queue: Task[] = [];
  private plan: Promise<LaunchPlan>;
  private readonly plans: (childScript: string) => LaunchPlan[];
  private nextId = 1;
  private nextSlot = 1;
  private closedFlag = false;
  private startFailures = 0;
  private broken: string | null = null;
  private outstanding = 0;
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(opts: ReplaySandboxOptions = {}) {
    this.size = Math.max(1, opts.size ?? availableParallelism());
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.cache = new BaseCache<CachedDatabase>(opts.cacheBytes ?? 256 * 1024 * 1024, (_key, entry) =>
      entry.holder.forget([entry.slot]),
    );
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
      if (hit && appended.length === 0) return { base: copy(hit.result), head: copy(hit.result), incremental: true, cached: true };
      if (hit) {
        const out = await this.execute({ dialect: req.dialect, segments: [appended] }, { from: { entry: hit, baseFiles: base }, cacheAs: key });
        return { base: copy(hit.result), head: combine(hit.result, out.results[0]), incremental: true, cached: true };
      }
      const segments = appended.length ? [base, appended] : [base];
      const out = await this.execute({ dialect: req.dialect, segments }, { cacheAs: key });
      const baseResult = out.results[0];
      const headResult = appended.length ? combine(baseResult, out.results[1]) : copy(baseResult);
      return { base: baseResult, head: headResult, incremental: true, cached: false };
    }
    // History was edited or reordered: two full replays, on two children when the pool has them.
    const baseRun = hit
      ? Promise.resolve(copy(hit.result))
      : this.execute({ dialect: req.dialect, segments: [base] }, { cacheAs: key }).then((out) => out.results[0]);
    const headRun = this.execute({ dialect: req.dialect, segments: [head] }).then((out) => out.results[0]);
    const [baseResult, headResult] = await Promise.all([baseRun, headRun]);
    return { base: baseResult, head: headResult, incremental: false, cached: !!hit };
  }

  private readonly removeDirectory = (): void => {
    rmSync(this.cwd, { recursive: true, force: true });
  };

  /** Records a base database a child now keeps; a child on its way out frees it instead. */
  private remember(key: string, result: ReplayResult, slot: string, bytes: number, holder: SandboxChild): void {
    if (this.closedFlag || !holder.keeping) {
      holder.forget([slot]);
      return;
    }
    this.cache.set(key, { result: copy(result), bytes, holder, slot });
  }

  /** Resolves once every base database replayed so far is in the cache (they are recorded with the answer). */
  async settled(): Promise<void> {}

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

  /**
   * Runs a job to the end: a statement that stops the child is recorded and skipped on one more attempt.
   * With `from`, the job continues from a cached base database; when the child keeping it is gone, the base files
   * run first as an extra leading segment (whose result is dropped: the cached one is the same).
   */
  private async execute(job: Pick<Job, 'dialect' | 'segments'>, opts: ExecuteOptions = {}): Promise<Executed> {
    const { from, cacheAs } = opts;
    const injected: ReplayFailure[][] = job.segments.map(() => []);
    const skip: NonNullable<Job['skip']> = [];
    let clean = true;
    let retried = false;
    let pinned = from !== undefined;
    for (;;) {
      if (pinned && !from!.entry.holder.keeping) pinned = false;
      const lead = from && !pinned ? 1 : 0;
      const segments = lead ? [from!.baseFiles, ...job.segments] : job.segments;
      const submitted: Omit<Job, 'id'> = {
        dialect: job.dialect,
        segments,
        skip: skip.map((s) => ({ ...s, segment: s.segment + lead })),
      };
      if (pinned) submitted.restore = from!.entry.slot;
      const slot = cacheAs !== undefined && !pinned && clean ? `b${this.nextSlot++}` : undefined;
      if (slot) submitted.keep = { segment: 0, slot };
      const { outcome, child } = await this.submit(submitted, pinned ? from!.entry.holder : undefined);
      if (outcome.status === 'done' && outcome.missing) {
        // The child no longer has the database (it cannot happen while the cache and the child agree): replay it.
        this.cache.deleteWhere((e) => e === from!.entry);
        pinned = false;
        continue;
      }
      let schemas: Schema[];
      try {
        schemas = applyPatches(pinned ? from!.entry.result.schema : emptySchema(), outcome.segments);
      } catch (error) {
        if (!pinned) throw error;
        // The kept database and the cached schema disagree: never answer from them again.
        this.cache.deleteWhere((e) => e === from!.entry);
        from!.entry.holder.forget([from!.entry.slot]);
        pinned = false;
        continue;
      }
      const result = (m: SegmentMessage, i: number) => withInjected(m.result, schemas[i], injected[m.index - lead] ?? [], segments[m.index]);
      if (outcome.status === 'done') {
        const results = outcome.segments.map(result);
        if (slot && child && outcome.kept > 0) this.remember(cacheAs!, results[0], slot, outcome.kept, child);
        return { results: results.slice(lead), clean };
      }
      clean = false;
      const failure = this.failureOf(outcome, segments);
      const p = outcome.progress;
      const inStatement = p !== null && p.file >= 0 && outcome.segments.every((m) => m.index !== p.segment);
      if (inStatement && p.segment >= lead && !retried && !this.closedFlag) {
        retried = true;
        injected[p.segment - lead].push(failure);
        skip.push({ segment: p.segment - lead, file: p.file, offset: p.offset });
        continue;
      }
      // Give up: finished segments keep their results, the rest are empty and carry the failure.
      const done = new Map(outcome.segments.map((m, i) => [m.index - lead, result(m, i)]));
      const results = job.segments.map((files, i) => {
        const r = done.get(i);
        if (r) return r;
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

  private submit(job: Omit<Job, 'id'>, pin?: SandboxChild): Promise<{ outcome: JobOutcome; child?: SandboxChild }> {
    return new Promise((resolve) => {
      if (this.closedFlag || this.broken) {
        const detail = this.broken ?? 'the replay sandbox was closed';
        resolve({ outcome: { status: 'crashed', segments: [], progress: null, detail } });
        return;
      }
      // Children and their pipes are unref'd; while a job is outstanding this handle keeps the process alive.
      if (this.outstanding++ === 0) this.keepAlive = setInterval(() => {}, 1 << 30);
      this.queue.push({
        job,
        pin,
        resolve: (outcome, child) => {
          if (--this.outstanding === 0) clearInterval(this.keepAlive);
          resolve({ outcome, child });
        },
      });
      this.pump();
    });
  }

  /** Hands queued jobs to idle children in order; a pinned job waits for its child (or is answered `missing`). */
  private pump(): void {
    for (let i = 0; i < this.queue.length; ) {
      const task = this.queue[i];
      if (task.pin && !task.pin.keeping) {
        this.queue.splice(i, 1);
        task.resolve({ status: 'done', segments: [], cpuMicros: 0, kept: 0, missing: true });
        continue;
      }
      const child = task.pin ? (task.pin.startedAndIdle ? task.pin : undefined) : this.idleChild();
      if (!child) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      const job: Job = { ...task.job, id: this.nextId++ };
      void child.run(job, this.timeoutMs).then((outcome) => {
        if (outcome.status === 'done' && child.cpuMicros > RETIRE_CPU_MICROS) child.kill(); // retire (its cache goes too)
        task.resolve(outcome, child);
        this.pump();
      });
    }
  }

  private idleChild(): SandboxChild | undefined {
    for (const child of this.children) if (child.startedAndIdle) return child;
    return undefined;
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
    this.cache.deleteWhere((e) => e.holder === child);
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

/** Each segment's schema: its patch applied to the schema before it. */
function applyPatches(start: Schema, segments: SegmentMessage[]): Schema[] {
  const out: Schema[] = [];
  let previous = start;
  for (const m of segments) {
    previous = applyPatch(previous, m.result.patch);
    out.push(previous);
  }
  return out;
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

function toResult(r: SegmentResult, schema: Schema): ReplayResult {
  return {
    schema,
    ok: r.failures.length === 0,
    failures: r.failures,
    compatibility: r.compatibility,
    renames: r.renames,
    migrations: r.migrations,
    statements: r.statements,
  };
}

/** A segment's result plus failures the parent recorded for statements the child was told to skip. */
function withInjected(r: SegmentResult, schema: Schema, injected: ReplayFailure[], files: JobFile[]): ReplayResult {
  const result = toResult(r, schema);
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
