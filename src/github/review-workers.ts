import type { TableDetails } from '../map/table-details.js';
/**
 * The server's side of the review workers: a few long-lived child processes (warm sandboxes, warm caches), one
 * review at a time each. A review that passes its deadline is stopped from here — SIGKILL to the worker's whole
 * process group, sandbox children included — and the worker is replaced; so is one that crashed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ConfigError } from '../config/load-config.js';
import type { ExternalAcknowledgement } from '../review.js';
import type { ReviewResult } from '../result.js';
import type { RepositoryMap } from '../map/map.js';
import type { KeyedTree } from './api-tree.js';
import type { FilesReply, FromWorker, SourceShape, ToWorker } from './worker-protocol.js';

const WORKER_SCRIPT = fileURLToPath(new URL('../../dist/github/review-worker.js', import.meta.url));

export class ReviewTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`the review took longer than ${Math.round(ms / 1000)} s and was stopped`);
    this.name = 'ReviewTimeoutError';
  }
}

export class ReviewFailedError extends Error {
  constructor(message: string, readonly configErrors?: ConfigError[]) {
    super(message);
    this.name = 'ReviewFailedError';
  }
}

export interface WorkerReview {
  result: ReviewResult;
  diagrams: Record<string, string>;
  isolation: string;
}

interface Worker {
  proc: ChildProcess;
  isolation: Promise<string>;
}

export interface ReviewWorkersOptions {
  /** Workers at most (reviews at once); default 2. */
  size?: number;
  /** Wall time per review; default 120 s. */
  deadlineMs?: number;
  /** The worker's script; tests may point elsewhere. */
  script?: string;
  /** Base-schema cache of all workers together, in bytes (each gets its share); default 256 MiB. */
  cacheBytes?: number;
  /** Blob texts kept by all workers together, in bytes (each gets its share); default 64 MiB. */
  blobCacheBytes?: number;
}

export class ReviewWorkers {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly waiters: ((w: Worker) => void)[] = [];
  private nextJob = 0;
  private closed = false;
  readonly size: number;
  readonly deadlineMs: number;

  constructor(private readonly opts: ReviewWorkersOptions = {}) {
    this.size = Math.max(1, opts.size ?? 2);
    this.deadlineMs = opts.deadlineMs ?? 120_000;
  }

  review(source: SourceShape & { base: KeyedTree; head: KeyedTree }, options: { evaluateSchema: boolean; acknowledgements: ExternalAcknowledgement[] }): Promise<WorkerReview> {
    const { base, head, ...shape } = source;
    return this.run({ base, head }, (job) => ({ t: 'review', job, source: shape, ...options }), (m, isolation) => {
      if (m.t === 'reviewed') return { result: m.result, diagrams: m.diagrams, isolation };
    });
  }

  map(head: KeyedTree): Promise<RepositoryMap> {
    return this.run({ base: head, head }, (job) => ({ t: 'map', job, headId: head.id }), (m) => (m.t === 'mapped' ? m.map : undefined));
  }

  /** `/safari table <name>`: the table's database, columns, indexes, foreign keys and the migrations that made it. */
  table(head: KeyedTree, name: string): Promise<TableDetails> {
    return this.run({ base: head, head }, (job) => ({ t: 'map', job, headId: head.id, table: name }), (m) => (m.t === 'mapped' ? m.table : undefined));
  }

  /** Starts every worker now (they wait idle, sandboxes warm). */
  warm(): void {
    while (!this.closed && this.all.size < this.size) this.idle.push(this.spawn());
  }

  /** The isolation the workers' sandboxes run under (launch plan name, or `unavailable: …`). */
  async isolation(): Promise<string> {
    const worker = await this.acquire();
    try {
      return await worker.isolation;
    } finally {
      this.release(worker);
    }
  }

  /** Kills every worker (and its sandbox children). */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.all) kill(w);
    this.all.clear();
    this.idle.length = 0;
  }

  private async run<T>(
    trees: { base: KeyedTree; head: KeyedTree },
    request: (job: number) => ToWorker,
    accept: (m: FromWorker, isolation: string) => T | undefined,
  ): Promise<T> {
    const worker = await this.acquire();
    const job = ++this.nextJob;
    const isolation = await worker.isolation;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void, healthy: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.proc.off('message', onMessage);
        worker.proc.off('exit', onExit);
        if (healthy) this.release(worker);
        else this.replace(worker);
        fn();
      };
      const timer = setTimeout(() => finish(() => reject(new ReviewTimeoutError(this.deadlineMs)), false), this.deadlineMs);
      const onExit = (code: number | null, signal: string | null) =>
        finish(() => reject(new ReviewFailedError(`the review process ended unexpectedly (${signal ?? `exit ${code}`})`)), false);
      const onMessage = (m: FromWorker) => {
        if (!('job' in m) || m.job !== job) return;
        if (m.t === 'list' || m.t === 'read' || m.t === 'sizes' || m.t === 'blobs') {
          const tree = m.side === 'base' ? trees.base : trees.head;
          const work: Promise<Omit<FilesReply, 't' | 'req'>> =
            m.t === 'list'
              ? tree.list().then(async (list) => ({ list, sizes: await tree.sizes(list) }))
              : m.t === 'sizes'
                ? tree.sizes(m.paths).then((sizes) => ({ sizes }))
                : m.t === 'read'
                  ? readKeyed(tree, m.paths)
                  : tree.read(m.paths).then((texts) => ({ texts }));
          work.then(
            (reply) => !settled && worker.proc.send({ t: 'files', req: m.req, ...reply } satisfies ToWorker),
            (error: Error) => !settled && worker.proc.send({ t: 'files', req: m.req, error: error.message } satisfies ToWorker),
          );
          return;
        }
        if (m.t === 'failed') return finish(() => reject(new ReviewFailedError(m.message, m.configErrors)), true);
        const value = accept(m, isolation);
        if (value !== undefined) finish(() => resolve(value), true);
      };
      worker.proc.on('message', onMessage);
      worker.proc.on('exit', onExit);
      worker.proc.send(request(job));
    });
  }

  private acquire(): Promise<Worker> {
    if (this.closed) return Promise.reject(new Error('the review workers are closed'));
    const ready = this.idle.pop();
    if (ready) return Promise.resolve(ready);
    if (this.all.size < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(worker: Worker): void {
    if (!this.all.has(worker)) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter(worker);
    else this.idle.push(worker);
  }

  private replace(worker: Worker): void {
    kill(worker);
    this.all.delete(worker);
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.spawn());
  }

  private spawn(): Worker {
    // Its own process group: one kill stops the worker and the sandbox children it started.
    const proc = fork(this.opts.script ?? WORKER_SCRIPT, [], {
      detached: true,
      env: {
        ...workerEnvironment(process.env),
        SAFARI_WORKER_SANDBOX_SIZE: String(Math.max(1, Math.floor(availableParallelism() / this.size))),
        SAFARI_WORKER_CACHE_BYTES: String(Math.floor((this.opts.cacheBytes ?? 256 * 1024 * 1024) / this.size)),
        SAFARI_WORKER_BLOB_BYTES: String(Math.floor((this.opts.blobCacheBytes ?? 64 * 1024 * 1024) / this.size)),
      },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const isolation = new Promise<string>((resolve) => {
      const onReady = (m: FromWorker) => {
        if (m.t !== 'ready') return;
        proc.off('message', onReady);
        resolve(m.isolation);
      };
      proc.on('message', onReady);
      proc.once('exit', () => resolve('unavailable: the review process ended'));
    });
    const worker: Worker = { proc, isolation };
    proc.on('error', () => {});
    // A worker that dies between reviews is simply forgotten; the next review starts a new one.
    proc.once('exit', () => {
      this.all.delete(worker);
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
    });
    this.all.add(worker);
    return worker;
  }
}

/** A read answered with blob SHAs where the tree has them (the worker holds most texts already), texts for the rest. */
async function readKeyed(tree: KeyedTree, paths: string[]): Promise<Omit<FilesReply, 't' | 'req'>> {
  const shas = tree.shas?.(paths);
  if (!shas) return { texts: await tree.read(paths) };
  const keys = new Map<string, string>();
  const rest: string[] = [];
  for (const path of paths) {
    const sha = shas.get(path);
    if (sha === undefined) rest.push(path);
    else keys.set(path, sha);
  }
  return { keys, texts: rest.length ? await tree.read(rest) : new Map() };
}

/**
 * What a worker may see of the server's environment: never the App's private key, webhook secret or tokens — the
 * worker talks to no one but the server, and the less a compromised worker finds, the better.
 */
export function workerEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'NODE_ENV', 'NODE_OPTIONS'];
  return Object.fromEntries(Object.entries(env).filter(([name]) => kept.includes(name) || name.startsWith('SAFARI_')));
}

function kill(worker: Worker): void {
  try {
    if (worker.proc.pid) process.kill(-worker.proc.pid, 'SIGKILL');
  } catch {
    worker.proc.kill('SIGKILL');
  }
}
