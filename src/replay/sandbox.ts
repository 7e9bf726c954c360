/**
 * The replay sandbox: a pool of warm child processes (child.ts) that replay migrations into scratch SQLite.
 *
 * 1. Start: the strongest launch plan that works here (sandbox/launch.ts), tried once; a weaker one is said in one log
 *    line. Under strict isolation a weaker plan starts nothing: every job is answered "sandbox unavailable".
 * 2. Replay: each job goes to an idle child; the wall-time limit kills it with SIGKILL and a fresh child replaces it.
 *    A statement that hit the limit (or crashed the child) becomes a ReplayFailure at its file:line, and the job is
 *    replayed once more without it, so the rest of the history still counts (best effort).
 * 3. Pairs and re-reviews: the child that replays a side keeps a serialized copy of the database at the side's end,
 *    and the parent remembers it by a hash chain over the files (base-cache.ts), so every prefix of a history has a
 *    key. Each side then starts from the longest prefix some child keeps (never between two drizzle files, which share
 *    a transaction): when head = base + appended files, base history runs once; a re-review runs only what changed,
 *    on the child that keeps the database; a push's head supersedes the head it continued. If that child is gone
 *    (replaced after a timeout, retired), the history is replayed again. Nothing is shipped through the pipe.
 *    When head is not base + appended files (a PR file sorted into history, an edited or removed file), one job runs
 *    the files both share once, then base's rest, then head's rest from the shared files' database (`continues`),
 *    with or without a cache — when the shared files are at least the shorter rest; else the sides run side by side.
 * 4. Schemas come back as patches (extract-patch.ts): a segment that continues from a known schema reads back and
 *    sends only the tables its migrations changed; the others are the same Table objects as before it.
 */
import { chmodSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { emptySchema, type Schema } from '../schema/model.js';
import { BaseCache, prefixKeys, type CachedBase } from './base-cache.js';
import { applyPatch } from './extract-patch.js';
import { describePlan, launchPlans, type LaunchPlan } from '../sandbox/launch.js';
import { PROTECTION_TEXT, type IsolationMode } from '../sandbox/isolation.js';
import { makeTempFolder } from '../sandbox/temp-folders.js';
import { shortenStatement, type Job, type JobFile, type SegmentResult } from './protocol.js';
import { SandboxChild, type JobOutcome, type Progress, type SegmentMessage } from './sandbox-child.js';
import { splitDrizzle, splitStatements } from './split.js';
import { emptyReplayResult } from './types.js';
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
  /** Launch plans to try, strongest first (tests use it to exercise the fallback). Default: sandbox/launch.ts's. */
  launchPlans?: () => LaunchPlan[];
  /** strict: start nothing on a plan that lacks a protection (see sandbox/isolation.ts). Default best-effort. */
  isolation?: IsolationMode;
}

/** Children retire after this much CPU time, long before prlimit's soft limit would kill one mid-job. */
const RETIRE_CPU_MICROS = 300e6;
const MAX_START_FAILURES = 3;

export const CHILD_SCRIPT = fileURLToPath(new URL('../../dist/replay/child.js', import.meta.url));


const emptyResult = emptyReplayResult;

interface Task {
  job: Omit<Job, 'id'>;
  /** Only this child may run the job: it keeps the database the job restores. */
  pin?: SandboxChild;
  resolve: (outcome: JobOutcome, child?: SandboxChild) => void;
}

/** A replayed database kept by a child, and the result of the history that built it. */
interface CachedDatabase extends CachedBase {
  bytes: number;
  holder: SandboxChild;
  slot: string;
  /** A review's base, or its head: a head is superseded by the next push's head built on it. */
  role: Role;
}

type Role = 'base' | 'head';
type KeepAs = { key: string; role: Role } | undefined;

/** Where a side's replay starts: after `at` files, from a cached database (none when `at` is 0). */
interface Start {
  at: number;
  entry?: CachedDatabase;
}

interface ExecuteOptions {
  /**
   * Continue from this cached database, on the child that keeps it; when that child is gone, `files` (the history that
   * built it) run first as an extra leading segment, cached again under `key`.
   */
  from?: { entry: CachedDatabase; files: JobFile[]; key: string };
  /** Per segment: cache the database after it under this key (when the job runs cleanly). */
  keepAs?: KeepAs[];
  /** Told when the job gave up (a second stop): the segments that did not finish carry the failure. */
  gaveUp?: () => void;
}

export class ReplaySandbox {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly cache: BaseCache<CachedDatabase>;
  /** false with no cache budget: then no child serializes a database it would have to forget at once. */
  private readonly caching: boolean;
  private readonly cwd: string;
  private readonly children = new Set<SandboxChild>();
  private readonly queue: Task[] = [];
  private plan: Promise<LaunchPlan>;
  private readonly plans: () => LaunchPlan[];
  readonly mode: IsolationMode;
  private nextId = 1;
  private nextSlot = 1;
  private closedFlag = false;
  private startFailures = 0;
  private broken: string | null = null;
  /** No job starts before the plan is chosen and allowed (strict isolation may refuse it). */
  private accepted = false;
  private outstanding = 0;
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(opts: ReplaySandboxOptions = {}) {
    this.size = Math.max(1, opts.size ?? availableParallelism());
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.caching = (opts.cacheBytes ?? 1) > 0;
    this.cache = new BaseCache<CachedDatabase>(opts.cacheBytes ?? 256 * 1024 * 1024, (_key, entry) =>
      entry.holder.forget([entry.slot]),
    );
    // Empty, and unwritable for the children (they run as another user when we are root).
    this.cwd = makeTempFolder('replay');
    chmodSync(this.cwd, 0o755);
    this.plans = opts.launchPlans ?? (() => launchPlans());
    this.mode = opts.isolation ?? 'best-effort';
    process.once('exit', this.removeDirectory);
    this.plan = this.choosePlan();
    this.fill();
  }

  /** The children's (empty) working directory; removed by close(). */
  get workingDirectory(): string {
    return this.cwd;
  }

  /** What the children keep for re-reviews: databases and their serialized bytes. */
  get cacheUsage(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.totalBytes };
  }

  /** Which launch plan the children run under, once the first child started. */
  get isolation(): Promise<LaunchPlan['name']> {
    return this.plan.then((p) => p.name);
  }

  /** The launch plan the children run under (its protections and what is missing); rejects when none starts. */
  get launchPlan(): Promise<LaunchPlan> {
    // The children are unref'd: while someone waits for the plan, keep the process alive.
    const hold = setInterval(() => {}, 1 << 30);
    return this.plan.finally(() => clearInterval(hold));
  }

  /** Replays one side: the files in order into a fresh database. */
  async replay(req: ReplayRequest): Promise<ReplayResult> {
    const out = await this.execute({ dialect: req.dialect, ...engineOf(req), segments: [toJobFiles(req.files)] });
    return out[0];
  }

  /**
   * Replays base and head of one database. Each side starts from the longest prefix of its history a child keeps
   * (a previous review's base or head), and the end of each side is kept for the next review: a re-review replays only
   * what changed, and when head = base + appended files, shared history runs once.
   */
  async replayPair(req: ReplayPairRequest): Promise<ReplayPairResult> {
    const base = toJobFiles(req.base);
    const head = toJobFiles(req.head);
    const common = commonPrefix(base, head);
    const appended = common === base.length; // head = base + head.slice(common)
    if (req.engine === 'libsql') return this.replayLibsql(req, base, head, appended);
    const headKeys = prefixKeys(req.dialect, head);
    const baseKeys = prefixKeys(req.dialect, base, headKeys.slice(0, common + 1));
    const nb = base.length;
    const nh = head.length;
    // Appended files start a new segment after base, as they always did; any other cut must not split drizzle files.
    const baseStart = this.cachedStart(baseKeys, base, nb);
    const headStart = this.cachedStart(headKeys, head, appended ? nb : nh);
    const cached = baseStart.at > 0 || headStart.at > 0;
    const from = (start: Start, files: JobFile[], keys: string[]) =>
      start.entry ? { entry: start.entry, files: files.slice(0, start.at), key: keys[start.at] } : undefined;

    if (appended && baseStart.at < nb && headStart.at <= nb) {
      // Both sides start at the same point of base's history: base's rest, then the appended files, in one job.
      const segments = nh > nb ? [base.slice(baseStart.at), head.slice(nb)] : [base.slice(baseStart.at)];
      const out = await this.execute(
        { dialect: req.dialect, segments },
        {
          from: from(baseStart, base, baseKeys),
          // Only the base is kept: the next push restores it and runs the PR's own files again (few, as a rule).
          keepAs: [{ key: baseKeys[nb], role: 'base' }],
        },
      );
      return { base: out[0], head: out[1] ?? copy(out[0]), incremental: true, cached };
    }
    if (!appended) {
      // A PR file sorted into history (or an edited or removed one): the files both sides share run once, then each
      // side's rest continues from that database. Within this job, so even without a cache.
      let cut = common;
      while (splitsTransaction(base, cut) || splitsTransaction(head, cut)) cut--; // stops at 0: no cut splits there
      const start = baseStart.at >= headStart.at ? baseStart : headStart;
      // One job runs both rests one after the other, where two jobs would run them side by side: worth it when the
      // shared files it saves are at least the shorter rest it serializes (a PR file sorted in near the end).
      const worth = cut - start.at >= Math.min(nb - cut, nh - cut);
      // Both sides start within the shared files (`start` is the later start), and some of those are left to run.
      if (cut > start.at && worth) {
        const forked = await this.replayForked(req.dialect, base, head, cut, from(start, base, baseKeys), baseKeys[nb], headKeys[nh]);
        if (forked) return { ...forked, incremental: false, cached };
      }
    }
    // Each side on its own (on two children when the pool has them), from where its cache lets it start. A head that
    // does not continue its base (a PR file sorted into history) is kept too: the next push continues from it.
    const side = (start: Start, files: JobFile[], keys: string[], role: Role): Promise<ReplayResult> =>
      files.length === 0
        ? Promise.resolve(emptyResult())
        : start.at === files.length && start.entry
          ? Promise.resolve(copy(start.entry.result))
          : this.execute(
              { dialect: req.dialect, segments: [files.slice(start.at)] },
              { from: from(start, files, keys), keepAs: [role === 'base' || !appended ? { key: keys[files.length], role } : undefined] },
            ).then((out) => out[0]);
    const [baseResult, headResult] = await Promise.all([
      side(baseStart, base, baseKeys, 'base'),
      side(headStart, head, headKeys, 'head'),
    ]);
    return { base: baseResult, head: headResult, incremental: appended, cached };
  }

  /**
   * libSQL cannot serialize a database, so its replays are never cached, kept or forked: appended files continue base
   * in one job (as without a cache), anything else replays each side from scratch.
   */
  private async replayLibsql(req: ReplayPairRequest, base: JobFile[], head: JobFile[], appended: boolean): Promise<ReplayPairResult> {
    const job = { dialect: req.dialect, engine: 'libsql' as const };
    if (appended && base.length > 0) {
      const out = await this.execute({ ...job, segments: head.length > base.length ? [base, head.slice(base.length)] : [base] });
      return { base: out[0], head: out[1] ?? copy(out[0]), incremental: true, cached: false };
    }
    const side = (files: JobFile[]) => (files.length === 0 ? Promise.resolve(emptyResult()) : this.execute({ ...job, segments: [files] }).then((out) => out[0]));
    const [baseResult, headResult] = await Promise.all([side(base), side(head)]);
    return { base: baseResult, head: headResult, incremental: false, cached: false };
  }

  /**
   * Base and head that share their first `cut` files, in one job: the shared files (from `from`'s database when one is
   * kept), then base's rest, then head's rest continuing the shared files' database. Null when the job gave up (a
   * second stop): the caller replays each side on its own then, so each side gets its own retry as a full replay does.
   */
  private async replayForked(
    dialect: Job['dialect'],
    base: JobFile[],
    head: JobFile[],
    cut: number,
    from: ExecuteOptions['from'],
    baseKey: string,
    headKey: string,
  ): Promise<{ base: ReplayResult; head: ReplayResult } | null> {
    const shared = base.slice(from ? from.files.length : 0, cut);
    const baseRest = base.slice(cut);
    const headRest = head.slice(cut);
    let gaveUp = false;
    const opts: ExecuteOptions = { from, gaveUp: () => (gaveUp = true) };
    if (headRest.length === 0) {
      // Head is the shared files: base's rest simply continues it.
      opts.keepAs = [{ key: headKey, role: 'head' }, { key: baseKey, role: 'base' }];
      const out = await this.execute({ dialect, segments: [shared, baseRest] }, opts);
      return gaveUp ? null : { base: out[1], head: out[0] };
    }
    opts.keepAs = [undefined, { key: baseKey, role: 'base' }, { key: headKey, role: 'head' }];
    const out = await this.execute({ dialect, segments: [shared, baseRest, headRest], continues: [-1, 0, 0] }, opts);
    return gaveUp ? null : { base: out[1], head: out[2] };
  }

  /** The longest prefix of `files` a child keeps, at a cut that replays the same as one run (`allowed` always is). */
  private cachedStart(keys: string[], files: JobFile[], allowed: number): Start {
    for (let at = files.length; at > 0; at--) {
      const entry = this.cache.peek(keys[at]);
      if (!entry || !entry.holder.keeping) continue;
      // Consecutive drizzle files share one transaction: a cut between two of them would commit early.
      if (at !== allowed && splitsTransaction(files, at)) continue;
      this.cache.get(keys[at]); // most recently used
      return { at, entry };
    }
    return { at: 0 };
  }

  private readonly removeDirectory = (): void => {
    rmSync(this.cwd, { recursive: true, force: true });
  };

  /** Records a database a child now keeps; a child on its way out frees it instead. */
  private remember(key: string, role: Role, result: ReplayResult, slot: string, bytes: number, holder: SandboxChild): void {
    if (this.closedFlag || !holder.keeping) {
      holder.forget([slot]);
      return;
    }
    this.cache.set(key, { result: copy(result), bytes, holder, slot, role });
  }

  /** Drops an entry (if still cached) and lets its child free the database. */
  private evict(entry: CachedDatabase): void {
    let found = false;
    this.cache.deleteWhere((e) => (e === entry ? (found = true) : false));
    if (found) entry.holder.forget([entry.slot]);
  }

  /** Resolves once every base database replayed so far is in the cache (they are recorded with the answer). */
  async settled(): Promise<void> {}

  /** Kills every child and removes the working directory. */
  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const task of this.queue.splice(0)) {
      task.resolve({ status: 'crashed', segments: [], progress: null, detail: 'the replay sandbox was closed', byPool: true });
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
   * Answers, per segment, the result of the whole history up to its end (`from`'s history included).
   */
  private async execute(job: Pick<Job, 'dialect' | 'engine' | 'segments' | 'continues'>, opts: ExecuteOptions = {}): Promise<ReplayResult[]> {
    const { from } = opts;
    const injected: ReplayFailure[][] = job.segments.map(() => []);
    const skip: NonNullable<Job['skip']> = [];
    let clean = true;
    let retried = false;
    let pinned = from !== undefined;
    for (;;) {
      // With `from` gone, its history runs first as a leading segment. (A job pinned to a child that is gone is answered
      // `missing` by pump() at once, so no check of the child here.)
      const lead = from && !pinned ? 1 : 0;
      const segments = lead ? [from!.files, ...job.segments] : job.segments;
      const keepAs: KeepAs[] = [...(lead ? [{ key: from!.key, role: from!.entry.role }] : []), ...(opts.keepAs ?? [])];
      // The leading segment builds the start, so what continued the start (-1) continues it.
      const continues = job.continues && (lead ? [-1, ...job.continues.map((c) => c + lead)] : job.continues);
      const submitted: Omit<Job, 'id'> = {
        dialect: job.dialect,
        ...(job.engine ? { engine: job.engine } : {}),
        segments,
        skip: skip.map((s) => ({ ...s, segment: s.segment + lead })),
        continues, // undefined is not sent
      };
      if (pinned) submitted.restore = from!.entry.slot;
      // Only a first, clean attempt is cached: a retried one skipped a statement.
      const keep = clean && this.caching ? keepAs.flatMap((k, segment) => (k ? [{ ...k, segment, slot: `s${this.nextSlot++}` }] : [])) : [];
      if (keep.length) submitted.keep = keep.map(({ segment, slot }) => ({ segment, slot }));
      const answer = await this.submit(submitted, pinned ? from!.entry.holder : undefined);
      const { child } = answer;
      let { outcome } = answer;
      if (outcome.status === 'done' && outcome.missing) {
        // The child no longer has the database (the cache and the child disagree): replay its history instead.
        this.cache.deleteWhere((e) => e === from!.entry);
        pinned = false;
        continue;
      }
      let schemas: Schema[];
      try {
        schemas = applyPatches(pinned ? from!.entry.result.schema : emptySchema(), outcome.segments, continues);
      } catch (error) {
        if (pinned) {
          // The kept database and the cached schema disagree: never answer from them again, nor from what this attempt
          // kept on top of it.
          this.cache.deleteWhere((e) => e === from!.entry);
          from!.entry.holder.forget([from!.entry.slot, ...keep.map((k) => k.slot)]);
          pinned = false;
          continue;
        }
        // A fresh replay whose answer does not fit together: the child is broken or subverted. Nothing it said is
        // believed, it goes (with all it keeps), and the review reports the replay as stopped, never a rejection.
        child?.kill();
        const why = (error as Error).message;
        const detail = `the sandbox answered a schema that does not fit together (${why}); the sandbox process was stopped`;
        outcome = { status: 'crashed', segments: [], progress: null, detail, byPool: true };
        schemas = [];
      }
      // Each finished segment's result, added up from the start of the history.
      const totals: ReplayResult[] = [];
      const start: ReplayResult | undefined = pinned ? from!.entry.result : undefined;
      const totalBefore = (index: number) => {
        const parent = parentOf(continues, index);
        return parent < 0 ? start : totals[parent];
      };
      outcome.segments.forEach((m, i) => {
        const r = withInjected(m.result, schemas[i], injected[m.index - lead] ?? [], segments[m.index]);
        const before = totalBefore(m.index);
        totals[m.index] = before ? combine(before, r) : r;
      });
      if (outcome.status === 'done') {
        let keptHead = false;
        if (child) {
          keep.forEach((k, i) => {
            const bytes = outcome.kept[i];
            if (bytes > 0 && totals[k.segment]) {
              this.remember(k.key, k.role, totals[k.segment], k.slot, bytes, child);
              keptHead ||= k.role === 'head';
            } else child.forget([k.slot]);
          });
        }
        // The previous push's head, now continued: the next push continues this one, so let it go.
        if (pinned && keptHead && from!.entry.role === 'head') this.evict(from!.entry);
        return totals.slice(lead);
      }
      clean = false;
      const failure = this.failureOf(outcome, segments);
      const p = knownProgress(outcome.progress, segments);
      const inStatement = p !== null && p.file >= 0 && outcome.segments.every((m) => m.index !== p.segment);
      if (inStatement && p.segment >= lead && !retried && !this.closedFlag) {
        retried = true;
        injected[p.segment - lead].push(failure);
        skip.push({ segment: p.segment - lead, file: p.file, offset: p.offset });
        continue;
      }
      // Give up: finished segments keep their results, the rest are empty and carry the failure.
      opts.gaveUp?.();
      return job.segments.map((_, i) => {
        const done = totals[i + lead];
        if (done) return done;
        // The history up to this segment: the nearest finished segment it continues (or the kept start), then the
        // files of the segments that never finished, the leading one included.
        let migrations = 0;
        const unreplayed: string[] = [];
        let at = i + lead;
        for (; at >= 0 && !totals[at]; at = parentOf(continues, at)) {
          migrations += segments[at].length;
          // In the segment it stopped in, the files after the stop's file (none if it was reading the schema back);
          // in the others, or when where it stopped is not known, every file.
          const ran = at !== p?.segment ? 0 : p.file < 0 ? segments[at].length : p.file + 1;
          unreplayed.unshift(...segments[at].slice(ran).map((f) => f.path));
        }
        const before = at < 0 ? start : totals[at];
        const empty: ReplayResult = {
          schema: emptySchema(),
          ok: false,
          failures: [...injected[i], failure],
          compatibility: [],
          renames: [],
          migrations,
          statements: 0,
          unreplayed,
        };
        return before ? combine(before, empty) : empty;
      });
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
          : outcome.byPool
            ? outcome.detail
            : `the sandbox process died (${outcome.detail})`;
    const p = knownProgress(outcome.progress, segments);
    const files = segments[p?.segment ?? 0]; // a job has at least one segment
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
        const detail = this.closedFlag ? 'the replay sandbox was closed' : this.broken!;
        resolve({ outcome: { status: 'crashed', segments: [], progress: null, detail, byPool: true } });
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
    if (!this.accepted) return;
    // Pinned jobs first, each on its child if idle; then the rest, on any idle child. (A child a queued pinned job waits
    // for is busy by then: were it idle, the first pass would have given it that job.)
    for (const pinnedPass of [true, false]) {
      for (let i = 0; i < this.queue.length; ) {
        const task = this.queue[i];
        if (!task.pin !== !pinnedPass) {
          i++;
          continue;
        }
        if (task.pin && !task.pin.keeping) {
          this.queue.splice(i, 1);
          task.resolve({ status: 'done', segments: [], cpuMicros: 0, kept: [], missing: true });
          continue;
        }
        const child = task.pin ? (task.pin.startedAndIdle ? task.pin : undefined) : this.idleChild();
        if (!child) {
          i++;
          continue;
        }
        this.queue.splice(i, 1);
        this.start(task, child);
      }
    }
  }

  private start(task: Task, child: SandboxChild): void {
    const job: Job = { ...task.job, id: this.nextId++ };
    void child.run(job, this.timeoutMs).then((outcome) => {
      // Retire, whatever the answer (a child that reported an error is still alive); its cache goes too.
      if (child.cpuMicros > RETIRE_CPU_MICROS) child.kill();
      task.resolve(outcome, child);
      this.pump();
    });
  }

  private idleChild(): SandboxChild | undefined {
    for (const child of this.children) if (child.startedAndIdle) return child;
    return undefined;
  }

  private async choosePlan(): Promise<LaunchPlan> {
    const failed: { plan: LaunchPlan; reason: string }[] = [];
    for (const plan of this.plans()) {
      const child = this.spawn(plan);
      try {
        await child.ready;
      } catch (e) {
        // Closed while the child started (close killed it): the plan did not fail, so no weaker plan is tried, logged
        // as chosen, or left running.
        if (this.closedFlag) throw new Error('the replay sandbox was closed');
        failed.push({ plan, reason: (e as Error).message });
        continue;
      }
      if (plan.missing.length) this.log(describePlan(plan, failed));
      if (plan.missing.length && this.mode === 'strict') {
        // Fail closed: no job runs on a weaker plan, and the child that proved it could start goes.
        child.kill();
        this.giveUp(unavailable(plan));
      } else {
        this.accepted = true;
        this.pump();
      }
      return plan;
    }
    this.log(`replay sandbox could not start a child process: ${failed.map((f) => f.reason).join('; ')}`);
    throw new Error('replay sandbox could not start');
  }

  /** `counted`: a start failure counts towards giving up (the probes of choosePlan don't). */
  private spawn(plan: LaunchPlan, counted = false): SandboxChild {
    const child = new SandboxChild(plan, CHILD_SCRIPT, this.cwd, (gone) => this.onChildExit(gone));
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
        if (this.broken) return;
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
    for (const task of this.queue.splice(0)) task.resolve({ status: 'crashed', segments: [], progress: null, detail, byPool: true });
  }
}

/** Why a strict sandbox refuses to run anything on `plan`. */
export function unavailable(plan: LaunchPlan): string {
  return `sandbox unavailable: this machine cannot give the sandbox ${plan.missing.map((p) => PROTECTION_TEXT[p]).join('; ')}`;
}

/** The child's progress, if it points at a file of the job (or at reading a segment's schema back); else none. */
function knownProgress(p: Progress | null, segments: JobFile[][]): Progress | null {
  if (!p || !Number.isInteger(p.segment) || !Number.isInteger(p.file)) return null;
  return p.segment >= 0 && p.segment < segments.length && p.file >= -1 && p.file < segments[p.segment].length ? p : null;
}

/** The segment a segment continues (-1: the job's start). */
function parentOf(continues: readonly number[] | undefined, index: number): number {
  return continues?.[index] ?? index - 1;
}

/** Each segment's schema (in message order): its patch applied to the schema of the segment it continues. */
function applyPatches(start: Schema, segments: SegmentMessage[], continues?: readonly number[]): Schema[] {
  const byIndex = new Map<number, Schema>();
  return segments.map((m) => {
    const parent = parentOf(continues, m.index);
    const before = parent < 0 ? start : byIndex.get(parent);
    if (!before) throw new Error(`segment ${m.index} came before the segment it continues`);
    const schema = applyPatch(before, m.result.patch);
    byIndex.set(m.index, schema);
    return schema;
  });
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

/** A cut before files[at] would commit early: consecutive drizzle files share one outer transaction. */
function splitsTransaction(files: readonly JobFile[], at: number): boolean {
  return at > 0 && at < files.length && files[at - 1].applier === 'drizzle' && files[at].applier === 'drizzle';
}

/** How many first files (same paths, contents, appliers, order) two histories share. */
export function commonPrefix(a: readonly JobFile[], b: readonly JobFile[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i].path !== b[i].path || a[i].applier !== b[i].applier || a[i].content !== b[i].content) return i;
  }
  return n;
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
  // A statement that stopped the sandbox (time, memory, crash) is always reported in full, never folded into another
  // failure's count: "and 1 more failure" must not hide a ten-second hang.
  const failures = [...result.failures, ...injected];
  failures.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line);
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
    ...(appended.unreplayed ? { unreplayed: appended.unreplayed } : {}), // a finished base ran every file
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

const engineOf = (req: ReplayRequest): { engine?: 'libsql' } => (req.engine === 'libsql' ? { engine: 'libsql' } : {});
