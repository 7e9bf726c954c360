/**
 * One warm replay child seen from the parent: starts it, feeds it one job at a time, enforces the wall-time limit
 * with SIGKILL, and turns every way it can end (answer, timeout, crash, out of memory) into a value, never a rejection.
 */
import type { ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { launchCommand, spawnChild, type LaunchPlan } from '../sandbox/launch.js';
import { outermostPaths, packageReadPaths, safariNodeModules } from '../sandbox/node-modules.js';
import type { ChildMessage, ChildPermissions, Job, ParentMessage, SegmentResult } from './protocol.js';

export interface Progress {
  segment: number;
  /** File index in the segment; -1 while extracting the schema. */
  file: number;
  offset: number;
}

export interface SegmentMessage {
  index: number;
  result: SegmentResult;
}

export type JobOutcome =
  | {
      status: 'done';
      segments: SegmentMessage[];
      cpuMicros: number;
      /** Bytes of each database this child now keeps, in the job's `keep` order (empty: none). */
      kept: number[];
      /** The job's `restore` slot was not there: nothing ran. */
      missing?: boolean;
    }
  | {
      status: 'timeout' | 'crashed' | 'memory';
      segments: SegmentMessage[];
      progress: Progress | null;
      detail: string;
      /** Answered by the pool, not by a child's end (closed, gave up, unavailable, answer refused): `detail` says it all. */
      byPool?: true;
    };

interface Running {
  job: Job;
  segments: SegmentMessage[];
  progress: Progress | null;
  timer: NodeJS.Timeout;
  timedOut: boolean;
  error: string | null;
  resolve: (outcome: JobOutcome) => void;
}

const STDERR_TAIL = 4096;

/** Big allocations fail cleanly under this; Node itself needs ~700 MB of address space to start. */
export const ADDRESS_SPACE_BYTES = 2 * 1024 ** 3;
/** Cumulative over a warm child's life; the pool retires children long before the soft limit. */
export const CPU_SECONDS: [number, number] = [600, 620];

/** What the child loads from node_modules (libsql only for a job that asks for it). */
const CHILD_PACKAGES = ['better-sqlite3', 'libsql'];

const readPathsByScript = new Map<string, string[]>();

/** The folders a child may read, found once per script: Safari's install does not move while it runs. */
function childReadPaths(script: string): string[] {
  let paths = readPathsByScript.get(script);
  if (!paths) {
    paths = outermostPaths([dirname(dirname(script)), safariNodeModules(), ...packageReadPaths(script, CHILD_PACKAGES)]);
    readPathsByScript.set(script, paths);
  }
  return paths;
}

/**
 * Node's permission model around the replay code too: reads only of Safari's compiled replay code and node_modules
 * (better-sqlite3), no writes, no child processes or workers. It doesn't cover the addon's own file I/O (the gate and
 * `--fsize=0` do), but code that got out of SQLite into JavaScript meets it.
 */
function nodeArgs(script: string): string[] {
  return [
    '--max-old-space-size=768',
    '--no-warnings',
    '--experimental-permission',
    ...childReadPaths(script).map((path) => `--allow-fs-read=${path}`),
    '--allow-addons',
    script,
  ];
}
const MEMORY_SIGNS = /out of memory|allocation failed|bad_alloc|cannot allocate|ENOMEM|heap limit/i;

export class SandboxChild {
  readonly ready: Promise<void>;
  private readonly proc: ChildProcess;
  private running: Running | null = null;
  private pending: Buffer[] = [];
  private stderrTail = '';
  private exited = false;
  private killed = false;
  cpuMicros = 0;

  constructor(
    plan: LaunchPlan,
    script: string,
    cwd: string,
    private readonly onExit: (child: SandboxChild) => void,
  ) {
    const launch = launchCommand(plan, { addressSpaceBytes: ADDRESS_SPACE_BYTES, cpuSeconds: CPU_SECONDS }, nodeArgs(script));
    this.proc = spawnChild(launch, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    // Children never keep the parent alive: only a running job's timer does.
    this.proc.unref();
    for (const s of [this.proc.stdin, this.proc.stdout, this.proc.stderr]) {
      (s as unknown as { unref?: () => void })?.unref?.();
      s?.on('error', () => {});
    }
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    this.ready.catch(() => {});
    this.readyResolve = readyResolve;
    this.readyReject = readyReject;
    this.proc.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.proc.on('error', (e) => this.onGone(`could not start: ${e.message}`));
    // 'close', not 'exit': by then every line the child wrote before dying has been read.
    this.proc.on('close', (code, signal) => this.onGone(signal ? `killed by ${signal}` : `exited with code ${code}`));
  }

  /** What the child said about itself when it started (as seen from inside its namespaces). */
  info: { pid: number; uid: number | null; permissions: ChildPermissions } | null = null;
  private readyResolve: () => void;
  private readyReject: (e: Error) => void;
  private isReady = false;

  get startedAndIdle(): boolean {
    return this.isReady && !this.exited && !this.running && !this.killed;
  }
  /** Alive and not on its way out: the databases it keeps can still be used. */
  get keeping(): boolean {
    return !this.exited && !this.killed;
  }

  run(job: Job, timeoutMs: number): Promise<JobOutcome> {
    return new Promise<JobOutcome>((resolve) => {
      const timer = setTimeout(() => {
        if (!this.running) return;
        this.running.timedOut = true;
        this.kill();
      }, timeoutMs);
      this.running = { job, segments: [], progress: null, timer, timedOut: false, error: null, resolve };
      this.write(job);
    });
  }

  /** Lets the child free kept databases (read after any job in flight). */
  forget(slots: string[]): void {
    if (slots.length && !this.exited) this.write({ forget: slots });
  }

  private write(message: ParentMessage): void {
    this.proc.stdin!.write(JSON.stringify(message) + '\n');
  }

  kill(): void {
    this.killed = true;
    if (!this.exited) this.proc.kill('SIGKILL');
  }

  /** Resolves once the process is gone. */
  closed(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((res) => this.proc.once('close', () => res()));
  }

  private onData(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      const line = this.pending.length ? Buffer.concat([...this.pending, piece]).toString('utf8') : piece.toString('utf8');
      this.pending = [];
      start = nl + 1;
      this.onLine(line);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  private onLine(line: string): void {
    if (line.startsWith('p ')) {
      const [, s, f, o] = line.split(' ');
      if (this.running) this.running.progress = { segment: Number(s), file: Number(f), offset: Number(o) };
      return;
    }
    let message: ChildMessage;
    try {
      message = JSON.parse(line) as ChildMessage;
    } catch {
      return; // not ours (nothing else writes to stdout)
    }
    if (message.type === 'ready') {
      this.info = { pid: message.pid, uid: message.uid, permissions: message.permissions };
      this.isReady = true;
      this.readyResolve();
      return;
    }
    const running = this.running;
    if (!running || message.id !== running.job.id) return;
    if (message.type === 'segment') {
      running.segments.push({ index: message.index, result: message.result });
    } else if (message.type === 'error') {
      running.error = message.message;
    } else if (message.type === 'done') {
      this.cpuMicros = message.cpuMicros;
      this.finish(
        running.error
          ? { status: 'crashed', segments: running.segments, progress: running.progress, detail: running.error }
          : { status: 'done', segments: running.segments, cpuMicros: message.cpuMicros, kept: message.kept, missing: message.missing },
      );
    }
  }

  private finish(outcome: JobOutcome): void {
    const running = this.running;
    if (!running) return;
    clearTimeout(running.timer);
    this.running = null;
    running.resolve(outcome);
  }

  private onGone(reason: string): void {
    if (this.exited) return;
    this.exited = true;
    if (!this.isReady) this.readyReject(new Error(`${reason}${this.stderrTail ? `: ${this.stderrTail.trim().split('\n').slice(-3).join(' ')}` : ''}`));
    const running = this.running;
    if (running) {
      const tail = this.stderrTail.trim().split('\n').slice(-2).join(' ').trim();
      const memory = MEMORY_SIGNS.test(this.stderrTail);
      this.finish({
        status: running.timedOut ? 'timeout' : memory ? 'memory' : 'crashed',
        segments: running.segments,
        progress: running.progress,
        detail: running.timedOut ? reason : `${reason}${tail ? `: ${tail}` : ''}`,
      });
    }
    this.onExit(this);
  }
}
