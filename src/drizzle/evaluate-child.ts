/**
 * Runs INSIDE the schema sandbox (see evaluate-schema.ts): a Node process started with an empty environment, a temp
 * working directory, the permission model (read: the temp folder, which holds a copy of this file, and Safari's
 * node_modules; no writes, no child processes, no workers, no addons), heap and address-space limits, where possible
 * no network namespace, and as nobody when Safari runs as root.
 *
 * The parent copies this compiled file into the temp folder (argv[2]) next to `schema.mjs` (the bundled schema) and
 * `request.json` ({ previous, casing, drizzleKit: the file URL of Safari's drizzle-kit/api }).
 * It prints one line, `RESULT_MARKER` + key + `:` + JSON: { ok: true, snapshot, sql?, sqlError? } or { ok: false,
 * reason, message }. The key comes from the parent on file descriptor 3, read and closed here before any schema code
 * runs and kept only in this module's scope, so a line the schema prints itself never carries it. The answer is written
 * with functions captured before the schema is imported, so patching JSON, process.stdout or fs can't rewrite it.
 */
import { closeSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RESULT_MARKER } from './sandbox-protocol.js';

type Answer =
  | { ok: true; snapshot: unknown; sql?: string[]; sqlError?: string }
  | { ok: false; reason: 'denied' | 'threw' | 'import'; message: string };

/** The parent's key for this evaluation: fd 3 until EOF, then closed, before anything of the PR's is loaded. */
function readKey(): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(256);
  for (;;) {
    let n: number;
    try {
      n = readSync(3, buffer, 0, buffer.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  closeSync(3);
  return Buffer.concat(chunks).toString('utf8');
}
const key = readKey();

// Captured before any schema code runs: the schema can replace the globals, not these references.
const stringify = JSON.stringify;
const exit = process.exit.bind(process);
let answered = false;
/** stdout is a non-blocking pipe: writeSync answers EAGAIN while it is full, so retry until the parent has read it. */
function writeAll(text: string): void {
  let rest = Buffer.from(text, 'utf8');
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(1, rest));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}
function answerAndExit(a: Answer, code: number): void {
  if (answered) return;
  answered = true;
  try {
    writeAll(`\n${RESULT_MARKER}${key}:${stringify(a)}\n`);
  } finally {
    exit(code);
  }
}

class SandboxDenied extends Error {
  readonly code = 'SAFARI_SANDBOX_DENIED';
}

const oneLine = (e: unknown): string => {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
};

function failure(e: unknown): Answer {
  const err = e as { code?: string; permission?: string; resource?: string };
  if (err?.code === 'ERR_ACCESS_DENIED') {
    const what = err.permission ? ` (${err.permission}${err.resource ? `: ${err.resource}` : ''})` : '';
    return { ok: false, reason: 'denied', message: `the sandbox refused an operation${what}` };
  }
  if (err?.code === 'SAFARI_SANDBOX_DENIED') return { ok: false, reason: 'denied', message: oneLine(e) };
  if (err?.code === 'ERR_MODULE_NOT_FOUND') return { ok: false, reason: 'import', message: oneLine(e) };
  return { ok: false, reason: 'threw', message: oneLine(e) };
}

/** Takes away what the permission model leaves open: the environment (already empty) and the network APIs. */
async function lockDown(): Promise<void> {
  const deny = (what: string) => () => {
    throw new SandboxDenied(`${what} is not available while Safari evaluates the schema`);
  };
  // Node's own module loader reads a few variables on every import; they are empty here and harmless to answer.
  const internal = new Set(['WATCH_REPORT_DEPENDENCIES', 'NODE_DEBUG', 'NODE_V8_COVERAGE', 'NODE_PENDING_DEPRECATION', 'NODE_UNIQUE_ID']);
  const env = new Proxy(
    {},
    {
      get: (_t, key) => (typeof key === 'symbol' || internal.has(key) ? undefined : deny(`process.env.${key}`)()),
      has: (_t, key) => deny(`process.env.${String(key)}`)(),
      ownKeys: () => deny('process.env')(),
      set: () => deny('process.env')(),
      getOwnPropertyDescriptor: (_t, key) => deny(`process.env.${String(key)}`)(),
    },
  );
  Object.defineProperty(process, 'env', { value: env, configurable: false, writable: false });
  // The CommonJS resolver answers whether a path exists (require.resolve through createRequire): no resolving at all.
  const Module = (await import('node:module')).default as unknown as Record<string, unknown>;
  for (const name of ['createRequire', '_resolveFilename', '_findPath', '_load']) Module[name] = deny('resolving or loading modules');
  // A heap snapshot or an inspector session would show this module's key.
  const v8 = (await import('node:v8')).default as unknown as Record<string, unknown>;
  for (const name of ['getHeapSnapshot', 'writeHeapSnapshot', 'setHeapSnapshotNearHeapLimit', 'startupSnapshot']) {
    if (name in v8) v8[name] = deny(`v8.${name}`);
  }
  const inspector = (await import('node:inspector')).default as unknown as { Session: { prototype: Record<string, unknown> }; open: unknown; url: unknown };
  inspector.Session.prototype.connect = deny('the inspector');
  inspector.Session.prototype.connectToMainThread = deny('the inspector');
  inspector.open = deny('the inspector');
  // The CommonJS objects (what require() and process.getBuiltinModule() return); syncBuiltinESMExports() carries the
  // patches over to `import … from 'node:net'` bindings.
  const net = (await import('node:net')).default;
  const dgram = (await import('node:dgram')).default;
  const http = (await import('node:http')).default as unknown as Record<string, unknown>;
  const https = (await import('node:https')).default as unknown as Record<string, unknown>;
  const tls = (await import('node:tls')).default as unknown as Record<string, unknown>;
  net.Socket.prototype.connect = deny('opening a network socket') as never;
  net.Server.prototype.listen = deny('listening on a network socket') as never;
  (net as unknown as Record<string, unknown>).connect = deny('opening a network socket');
  (net as unknown as Record<string, unknown>).createConnection = deny('opening a network socket');
  dgram.Socket.prototype.bind = deny('opening a UDP socket') as never;
  dgram.Socket.prototype.send = deny('sending UDP') as never;
  for (const m of [http, https]) {
    m.request = deny('an HTTP request');
    m.get = deny('an HTTP request');
  }
  tls.connect = deny('a TLS connection');
  (await import('node:module')).syncBuiltinESMExports();
  for (const name of ['fetch', 'WebSocket', 'EventSource']) {
    Object.defineProperty(globalThis, name, { get: deny(name), configurable: false });
  }
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  const request = JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8')) as {
    previous: unknown;
    casing?: 'snake_case' | 'camelCase';
    drizzleKit: string;
  };
  // Loaded before the lockdown: drizzle-kit reads its own environment while loading.
  const api = (await import(request.drizzleKit)) as typeof import('drizzle-kit/api');
  await lockDown();
  const loaded = (await import(pathToFileURL(join(dir, 'schema.mjs')).href)) as { default: Record<string, unknown>[] };
  const imports: Record<string, unknown> = {};
  for (const m of loaded.default) Object.assign(imports, m);
  const previous = request.previous as { id?: string; tables?: unknown } | null;
  const current = await api.generateSQLiteDrizzleJson(imports, typeof previous?.id === 'string' ? previous.id : undefined, request.casing);
  const snapshot = JSON.parse(JSON.stringify(current));
  let sql: string[] | undefined;
  let sqlError: string | undefined;
  if (previous && previous.tables) {
    try {
      sql = await api.generateSQLiteMigration(previous as never, current);
    } catch (e) {
      sqlError = oneLine(e);
    }
  } else {
    sqlError = 'the latest snapshot is not in the format drizzle-kit 0.x generates migrations from';
  }
  answerAndExit({ ok: true, snapshot, sql, sqlError }, 0);
}

process.on('uncaughtException', (e) => answerAndExit(failure(e), 1));
process.on('unhandledRejection', (e) => answerAndExit(failure(e), 1));
main().catch((e) => answerAndExit(failure(e), 1));
