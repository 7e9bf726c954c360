/**
 * Evaluates a bundled Drizzle schema in a sandboxed child process and returns drizzle-kit's snapshot of it. The PR's
 * TypeScript is hostile: it never runs in this process. The child gets an empty environment, a fresh temp folder as
 * working directory, Node's permission model (one --allow-fs-read per path: the temp folder, which also holds a copy of
 * the child script, and Safari's node_modules; nothing writable; no child processes, workers or addons), a heap limit, an address-space limit,
 * a SIGKILL timer, and — where `unshare` can make one — a network namespace without interfaces; when Safari runs as
 * root the child runs as nobody. Node 20's permission model has no network control, so when no namespace can be made
 * the result says the network was reachable.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RESULT_MARKER } from './sandbox-protocol.js';
import type { EvaluationFailure } from './types.js';

/** The wall-clock limit of one evaluation unless told otherwise (the review's deadline may shorten it). */
export const DEFAULT_EVALUATION_TIMEOUT_MS = 10_000;

export interface EvaluateOptions {
  /** Wall-clock limit; the child is SIGKILLed after it. */
  timeoutMs?: number;
  /** V8 heap limit (--max-old-space-size). */
  heapMb?: number;
}

/** drizzle config `casing`: how drizzle-kit names columns declared without a name. */
export type Casing = 'snake_case' | 'camelCase';

export type EvaluateOutcome =
  | { ok: true; snapshot: unknown; sql?: string[]; sqlError?: string; networkIsolated: boolean; durationMs: number }
  | { ok: false; reason: EvaluationFailure; message: string; networkIsolated: boolean; durationMs: number };

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

let nodeModulesDir: string | undefined;
/** The node_modules folder that holds Safari's drizzle-kit (and drizzle-orm): the only code the child may read. */
function safariNodeModules(): string {
  if (!nodeModulesDir) {
    let dir = dirname(createRequire(import.meta.url).resolve('drizzle-kit/api'));
    while (!dir.endsWith('/node_modules') && dir !== '/') dir = dirname(dir);
    nodeModulesDir = realpathSync(dir);
  }
  return nodeModulesDir;
}

function which(name: string): string | undefined {
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

interface SandboxTools {
  /** Commands the child is started through, each exec'ing the next: [unshare -n --] [setpriv … --] [prlimit … --]. */
  prefix: string[];
  networkIsolated: boolean;
  /** Running as root: the child runs as nobody. */
  droppedPrivileges: boolean;
}

const NOBODY = 65534;
let tools: SandboxTools | undefined;
/**
 * Probed once: can this host give the child an empty network namespace (`unshare -n` as root, `unshare -rn` via a user
 * namespace otherwise), and, when Safari runs as root, drop the child to nobody (setpriv)? Each candidate chain is
 * tried with a trivial node run; the first that works is kept.
 */
function sandboxTools(): SandboxTools {
  if (tools) return tools;
  const unshare = which('unshare');
  const setpriv = which('setpriv');
  const prlimit = which('prlimit');
  const limit = prlimit ? [prlimit, `--as=${ADDRESS_SPACE_BYTES}`, '--'] : [];
  const root = process.getuid?.() === 0;
  const drop = root && setpriv ? [setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--'] : [];
  const candidates: SandboxTools[] = [];
  if (unshare) {
    candidates.push({ prefix: [unshare, '-n', '--', ...drop, ...limit], networkIsolated: true, droppedPrivileges: drop.length > 0 });
    if (!root) candidates.push({ prefix: [unshare, '-rn', '--', ...limit], networkIsolated: true, droppedPrivileges: false });
  }
  candidates.push({ prefix: [...drop, ...limit], networkIsolated: false, droppedPrivileges: drop.length > 0 });
  candidates.push({ prefix: [], networkIsolated: false, droppedPrivileges: false });
  for (const c of candidates) {
    const [command, ...args] = [...c.prefix, process.execPath, '-e', '0'];
    const probe = spawnSync(command, args, { env: {}, stdio: 'ignore', timeout: 5000, cwd: tmpdir() });
    if (probe.status === 0) return (tools = c);
  }
  return (tools = candidates.at(-1)!);
}

/** true when evaluations on this host run without network access. */
export function networkIsolationAvailable(): boolean {
  return sandboxTools().networkIsolated;
}

/** true when Safari runs as root and the child runs as nobody. */
export function privilegesDropped(): boolean {
  return sandboxTools().droppedPrivileges;
}

export async function evaluateSchema(bundle: string, previous: unknown, options: EvaluateOptions & { casing?: Casing } = {}): Promise<EvaluateOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EVALUATION_TIMEOUT_MS;
  const heapMb = options.heapMb ?? 256;
  const started = performance.now();
  const sandbox = sandboxTools();
  const networkIsolated = sandbox.networkIsolated;
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'safari-schema-')));
  try {
    // The child may run as nobody: it must be able to read (never write) the folder.
    if (sandbox.droppedPrivileges) chmodSync(dir, 0o755);
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
      join(dir, 'evaluate-child.js'),
      dir,
    ];
    const [command, ...args] = [...sandbox.prefix, process.execPath, ...nodeArgs];
    const result = await run(command, args, dir, timeoutMs);
    const durationMs = Math.round(performance.now() - started);
    return { ...interpret(result, timeoutMs, heapMb), networkIsolated, durationMs } as EvaluateOutcome;
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

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killedFor: RunResult['killedFor'];
    const kill = (why: RunResult['killedFor']) => {
      killedFor ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.length > MAX_STDOUT) kill('output');
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
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

function interpret(r: RunResult, timeoutMs: number, heapMb: number): Interpreted {
  if (r.killedFor === 'timeout') {
    return { ok: false, reason: 'timeout', message: `the schema did not finish within ${(timeoutMs / 1000).toFixed(1)} s and was stopped` };
  }
  if (r.killedFor === 'output') return { ok: false, reason: 'crashed', message: 'the schema wrote more output than the sandbox accepts' };
  if (/heap limit|Allocation failed|out of memory|Cannot allocate memory|ENOMEM/i.test(r.stderr) && !r.stdout.includes(RESULT_MARKER)) {
    return { ok: false, reason: 'memory', message: `the schema ran out of its ${heapMb} MB memory limit` };
  }
  const at = r.stdout.lastIndexOf(RESULT_MARKER);
  if (at < 0) {
    const why = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code ?? 'unknown'}`;
    const hint = /ERR_ACCESS_DENIED/.test(r.stderr) ? ' after the sandbox refused an operation' : '';
    return { ok: false, reason: r.signal === 'SIGABRT' || r.code === 134 ? 'memory' : 'crashed', message: `the sandbox process ${why}${hint} without an answer` };
  }
  let answer: unknown;
  try {
    answer = JSON.parse(r.stdout.slice(at + RESULT_MARKER.length).split('\n')[0]);
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
