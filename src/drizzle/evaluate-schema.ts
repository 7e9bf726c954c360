/**
 * Evaluates a bundled Drizzle schema in a sandboxed child process and returns drizzle-kit's snapshot of it. The PR's
 * TypeScript is hostile: it never runs in this process. The child starts under the same launch plan as the replay
 * children (sandbox/launch.ts: network and PID namespaces, its own uid, prlimit's address-space and CPU limits,
 * `--fsize=0`, `--core=0`), with an empty environment, a fresh temp folder as working directory, Node's permission
 * model (one --allow-fs-read per path: the temp folder, which also holds a copy of the child script, and Safari's
 * node_modules; nothing writable; no child processes, workers or addons), a heap limit and a SIGKILL timer.
 *
 * The answer is authenticated: the parent hands the child a fresh random key on file descriptor 3, which the harness
 * reads and closes before it imports the schema, and only an answer line carrying that key counts. A schema that prints
 * a result of its own (say, the committed snapshot, to pass as fresh) is ignored.
 *
 * Under strict isolation nothing is evaluated on a plan that lacks a protection: Node's permission model has no
 * network control (c-ares sends DNS from C++), so only a network namespace keeps a schema off the network.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { IsolationMode, Protection } from '../sandbox/isolation.js';
import { launchCommand, launchPlans, spawnChild, type LaunchPlan } from '../sandbox/launch.js';
import { safariNodeModules } from '../sandbox/node-modules.js';
import { makeTempFolder } from '../sandbox/temp-folders.js';
import { unavailable } from '../replay/sandbox.js';
import { RESULT_MARKER } from './sandbox-protocol.js';
import type { EvaluationFailure } from './types.js';

/** The wall-clock limit of one evaluation unless told otherwise (the review's deadline may shorten it). */
export const DEFAULT_EVALUATION_TIMEOUT_MS = 10_000;

export interface EvaluateOptions {
  /** Wall-clock limit; the child is SIGKILLed after it. */
  timeoutMs?: number;
  /** V8 heap limit (--max-old-space-size). */
  heapMb?: number;
  /** strict: evaluate nothing on a launch plan that lacks a protection. Default best-effort. */
  isolation?: IsolationMode;
}

/** drizzle config `casing`: how drizzle-kit names columns declared without a name. */
export type Casing = 'snake_case' | 'camelCase';

export type EvaluateOutcome =
  | { ok: true; snapshot: unknown; sql?: string[]; sqlError?: string; networkIsolated: boolean; missing: Protection[]; durationMs: number }
  | { ok: false; reason: EvaluationFailure; message: string; networkIsolated: boolean; missing: Protection[]; durationMs: number };

const MAX_STDOUT = 32 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;
/** Below ~700 MB Node won't start; big allocations beyond this fail cleanly instead of swapping the host. */
const ADDRESS_SPACE_BYTES = 3 * 1024 * 1024 * 1024;

const childFiles = ['evaluate-child.js', 'sandbox-protocol.js'];
const distFolder = fileURLToPath(new URL('../../dist/drizzle/', import.meta.url));

let childSources: Map<string, string> | undefined;
/**
 * The compiled child (dist/drizzle/evaluate-child.js and what it imports), read once and copied into each temp folder:
 * the child then needs no read access outside it and Safari's node_modules, and a rebuild of dist/ while Safari runs
 * can't pull the script from under an evaluation. Waits briefly when dist/ is being rebuilt right now.
 */
async function childSource(): Promise<Map<string, string>> {
  if (childSources) return childSources;
  for (let attempt = 0; ; attempt++) {
    try {
      const sources = new Map(childFiles.map((f) => [f, readFileSync(join(distFolder, f), 'utf8')] as const));
      childSources = sources;
      return sources;
    } catch (e) {
      if (attempt >= 30) throw new Error(`the schema sandbox script is missing from ${distFolder} (run npm run build): ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

let drizzleKitUrl: string | undefined;
/** Safari's own drizzle-kit/api (its ESM build, so it shares drizzle-orm with the bundle), as a file URL. */
function drizzleKitApi(): string {
  drizzleKitUrl ??= pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('drizzle-kit/api')), 'api.mjs')).href;
  return drizzleKitUrl;
}

let chosen: LaunchPlan | undefined;
/** Probed once: the strongest launch plan under which a trivial node run works here. */
export function schemaLaunchPlan(): LaunchPlan {
  if (chosen) return chosen;
  const plans = launchPlans();
  for (const plan of plans) {
    const c = launchCommand(plan, { addressSpaceBytes: ADDRESS_SPACE_BYTES, cpuSeconds: [5, 6] }, ['-e', '0']);
    const probe = spawnSync(c.command, c.args, { env: {}, stdio: 'ignore', timeout: 5000, cwd: tmpdir(), uid: c.uid, gid: c.gid });
    if (probe.status === 0) return (chosen = plan);
  }
  return (chosen = plans.at(-1)!);
}

export async function evaluateSchema(bundle: string, previous: unknown, options: EvaluateOptions & { casing?: Casing } = {}): Promise<EvaluateOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EVALUATION_TIMEOUT_MS;
  const heapMb = options.heapMb ?? 256;
  const started = performance.now();
  const plan = schemaLaunchPlan();
  const networkIsolated = plan.protections.includes('network');
  const missing = plan.missing;
  if (missing.length && options.isolation === 'strict') {
    return { ok: false, reason: 'sandbox-unavailable', message: unavailable(plan), networkIsolated, missing, durationMs: 0 };
  }
  const dir = makeTempFolder('schema');
  try {
    // The child runs as another user: it must be able to read (never write) the folder.
    chmodSync(dir, 0o755);
    for (const [name, text] of await childSource()) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'schema.mjs'), bundle);
    writeFileSync(join(dir, 'request.json'), JSON.stringify({ previous: previous ?? null, casing: options.casing, drizzleKit: drizzleKitApi() }));
    const nodeArgs = [
      '--experimental-permission',
      `--allow-fs-read=${dir}`,
      `--allow-fs-read=${safariNodeModules()}`,
      `--max-old-space-size=${heapMb}`,
      '--disable-warning=ExperimentalWarning',
      // No eval or new Function: code built from strings could use import() past the bundler's rewrite.
      '--disallow-code-generation-from-strings',
      join(dir, 'evaluate-child.js'),
      dir,
    ];
    // The CPU limit is the second line behind the wall-clock timer: it holds even if this process is frozen.
    const cpu = Math.ceil(timeoutMs / 1000) + 1;
    const launch = launchCommand(plan, { addressSpaceBytes: ADDRESS_SPACE_BYTES, cpuSeconds: [cpu, cpu + 1] }, nodeArgs);
    const key = randomBytes(24).toString('hex');
    const result = await run(launch, dir, timeoutMs, key);
    const durationMs = Math.round(performance.now() - started);
    return { ...interpret(result, timeoutMs, heapMb, key), networkIsolated, missing, durationMs } as EvaluateOutcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  killedFor?: 'timeout' | 'output';
}

function run(launch: ReturnType<typeof launchCommand>, cwd: string, timeoutMs: number, key: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawnChild(launch, { cwd, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    // The key, then EOF: the harness reads it before the schema is imported and closes the descriptor.
    const keyPipe = child.stdio[3] as NodeJS.WritableStream | null;
    keyPipe?.on('error', () => {});
    keyPipe?.end(key);
    let stdout = '';
    let stderr = '';
    let killedFor: RunResult['killedFor'];
    const kill = (why: RunResult['killedFor']) => {
      killedFor ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.length > MAX_STDOUT) kill('output');
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < MAX_STDERR) stderr += d;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ stdout, stderr: `${stderr}\n${e.message}`, code: null, signal: null, killedFor });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal, killedFor });
    });
  });
}

type Interpreted =
  | { ok: true; snapshot: unknown; sql?: string[]; sqlError?: string }
  | { ok: false; reason: EvaluationFailure; message: string };

function interpret(r: RunResult, timeoutMs: number, heapMb: number, key: string): Interpreted {
  if (r.killedFor === 'timeout') {
    return { ok: false, reason: 'timeout', message: `the schema did not finish within ${(timeoutMs / 1000).toFixed(1)} s and was stopped` };
  }
  if (r.killedFor === 'output') return { ok: false, reason: 'crashed', message: 'the schema wrote more output than the sandbox accepts' };
  // Only the harness knows the key: a line the schema printed itself doesn't count.
  const marker = `${RESULT_MARKER}${key}:`;
  if (/heap limit|Allocation failed|out of memory|Cannot allocate memory|ENOMEM/i.test(r.stderr) && !r.stdout.includes(marker)) {
    return { ok: false, reason: 'memory', message: `the schema ran out of its ${heapMb} MB memory limit` };
  }
  const at = r.stdout.lastIndexOf(marker);
  if (at < 0) {
    const why = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code ?? 'unknown'}`;
    const hint = /ERR_ACCESS_DENIED/.test(r.stderr) ? ' after the sandbox refused an operation' : '';
    return { ok: false, reason: r.signal === 'SIGABRT' || r.code === 134 ? 'memory' : 'crashed', message: `the sandbox process ${why}${hint} without an answer` };
  }
  let answer: unknown;
  try {
    answer = JSON.parse(r.stdout.slice(at + marker.length).split('\n')[0]);
  } catch {
    return { ok: false, reason: 'invalid-output', message: 'the sandbox answered with something that is not JSON' };
  }
  const a = answer as { ok?: unknown; snapshot?: unknown; sql?: unknown; sqlError?: unknown; reason?: unknown; message?: unknown };
  if (a?.ok === true && typeof a.snapshot === 'object' && a.snapshot !== null) {
    const sql = Array.isArray(a.sql) && a.sql.every((s) => typeof s === 'string') ? (a.sql as string[]) : undefined;
    return { ok: true, snapshot: a.snapshot, sql, sqlError: typeof a.sqlError === 'string' ? a.sqlError.slice(0, 300) : undefined };
  }
  if (a?.ok === false && typeof a.message === 'string') {
    const reason = a.reason === 'denied' || a.reason === 'import' ? a.reason : 'threw';
    return { ok: false, reason, message: a.message.slice(0, 300) };
  }
  return { ok: false, reason: 'invalid-output', message: 'the sandbox answer has an unexpected shape' };
}
