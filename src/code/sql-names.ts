/**
 * The tables and columns a SQL string names, from node-sql-parser's sqlite grammar. Resolves to null when the string
 * does not parse (or may not be parsed), so callers fall back to plain identifier matching.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SqlNames } from './parse-sql-names.js';

export type { SqlNames };

/** Repositories repeat the same queries; parsing is the expensive part (~0.3 ms a statement). */
const cache = new Map<string, SqlNames | null>();
const CACHE_SIZE = 10_000;

/**
 * node-sql-parser backtracks exponentially on nested sub-selects: `SELECT (SELECT (SELECT …` 14 deep took 12 s and
 * 400 MB, 20 deep ended the process with a V8 fatal error no `try` catches. The literal is the PR's text, so only
 * literals this short and this shallow are parsed (the slowest shapes measured at these caps take ~1.5 s; 2,800
 * characters 4 deep took 2.3 s); the rest fall back to the identifier match, which finds more references, never
 * fewer. The code search also caps the parser's total time per review.
 */
export const MAX_SQL_CHARS = 2_000;
export const MAX_SQL_DEPTH = 4;

/** Whether a literal is small and shallow enough to hand to the parser. */
export function parseable(literal: string): boolean {
  if (literal.length > MAX_SQL_CHARS) return false;
  let depth = 0;
  for (let i = 0; i < literal.length; i++) {
    const c = literal.charCodeAt(i);
    if (c === 40 && ++depth > MAX_SQL_DEPTH) return false; // (
    if (c === 41 && depth > 0) depth--; // )
  }
  return true;
}

/** One parse may take this long; then its worker is terminated (and replaced for the next parse). */
export const PARSE_TIMEOUT_MS = 1_000;
/** Starting the worker and loading the parser, on a busy machine. */
const START_TIMEOUT_MS = 15_000;
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };
const WORKER_SCRIPT = fileURLToPath(new URL('../../dist/code/sql-parser-worker.js', import.meta.url));

export async function sqlNamesOf(literal: string, options: { timeoutMs?: number } = {}): Promise<SqlNames | null> {
  if (!parseable(literal)) return null;
  let names = cache.get(literal);
  if (names === undefined) {
    names = await parserWorker.parse(literal, options.timeoutMs ?? PARSE_TIMEOUT_MS);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(literal, names);
  }
  return names;
}

/**
 * node-sql-parser runs in a worker thread, one literal at a time: a parse that outlives its timeout is stopped by
 * terminating the worker (JavaScript can be stopped, unlike a native SQLite query), and resourceLimits turn a memory
 * blow-up into the worker's death instead of a V8 fatal error in the review process. Nothing waits on the worker
 * between parses (it is unref'd).
 */
class ParserWorker {
  private worker: Promise<Worker | undefined> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  /** How many workers were started (observable for tests). */
  started = 0;

  parse(sql: string, timeoutMs: number): Promise<SqlNames | null> {
    const run = this.queue.then(() => this.run(sql, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(sql: string, timeoutMs: number): Promise<SqlNames | null> {
    const worker = await (this.worker ??= this.start());
    if (!worker) {
      this.worker = undefined;
      return null;
    }
    return new Promise((resolve) => {
      const id = this.nextId++;
      const finish = (names: SqlNames | null) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.unref();
        resolve(names);
      };
      const onMessage = (m: { id?: number; names?: SqlNames | null }) => {
        if (m.id === id) finish(m.names ?? null);
      };
      const onExit = () => {
        this.worker = undefined;
        finish(null);
      };
      const timer = setTimeout(() => {
        this.worker = undefined;
        void worker.terminate();
        finish(null);
      }, timeoutMs);
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.ref();
      worker.postMessage({ id, sql });
    });
  }

  /** A worker that has loaded the parser; undefined when none can start (then literals fall back to identifiers). */
  private start(): Promise<Worker | undefined> {
    if (!existsSync(WORKER_SCRIPT)) return Promise.resolve(undefined);
    this.started++;
    return new Promise((resolve) => {
      const worker = new Worker(WORKER_SCRIPT, { resourceLimits: RESOURCE_LIMITS, env: {}, stdout: true, stderr: true });
      const done = (ready: Worker | undefined) => {
        clearTimeout(timer);
        worker.off('message', onReady);
        if (ready) ready.unref();
        else void worker.terminate();
        resolve(ready);
      };
      const onReady = (m: { ready?: boolean }) => m.ready && done(worker);
      const timer = setTimeout(() => done(undefined), START_TIMEOUT_MS);
      worker.on('message', onReady);
      worker.once('error', () => done(undefined));
      worker.once('exit', () => done(undefined));
      // A dead worker is replaced on the next parse; its errors are answered as "did not parse".
      worker.on('error', () => {});
    });
  }
}

const parserWorker = new ParserWorker();

/** How many parser workers this process started (tests check a stuck parse replaced its worker). */
export const parserWorkersStarted = (): number => parserWorker.started;
