/**
 * End-to-end harness: starts the App as a real process (e.g. `npm start`) with its environment pointed at a fake
 * GitHub, waits until it answers HTTP on its port, and stops it cleanly (SIGTERM to its whole process group, SIGKILL
 * after a grace period), so no server outlives the test.
 *
 *   const app = await spawnApp({ fake, command: 'npm', args: ['start'], secret: 'shh' });
 *   await sendWebhook(app.webhookUrl, await pullRequestEvent(fake, pr, 'opened'), { secret: 'shh' });
 *   ...
 *   const exit = await app.stop();   // { code, signal }, after SIGTERM
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { appCredentials } from './client.js';
import type { FakeGitHub } from './fake-github.js';

export interface SpawnAppOptions {
  fake: FakeGitHub;
  /** The program and its arguments, e.g. `npm` + `['start']`, or `process.execPath` + `['dist/server.js']`. */
  command: string;
  args?: string[];
  cwd?: string;
  /** WEBHOOK_SECRET (default `test-webhook-secret`). */
  secret?: string;
  /** Extra environment (wins over the defaults below). */
  env?: Record<string, string | undefined>;
  /** The port (default: a free one) and host (default 127.0.0.1) the App must listen on (PORT / HOST). */
  port?: number;
  host?: string;
  /** Polled until it answers any HTTP status (default `/ping`, Probot's). */
  readyPath?: string;
  /** How long to wait for the port (default 30 s). */
  startTimeoutMs?: number;
  /** Where webhooks go (default `/api/github/webhooks`, Probot's). */
  webhookPath?: string;
  /** Have the fake send the App the webhooks about its own writes (fake.deliverTo) while it runs. */
  deliverWebhooks?: boolean;
}

export interface SpawnedApp {
  process: ChildProcess;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  webhookUrl: string;
  /** The environment the App was started with (PRIVATE_KEY included: don't print it). */
  env: NodeJS.ProcessEnv;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (or `signal`) to the process group, SIGKILL after `graceMs` (default 10 s); resolves on exit. */
  stop(options?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port nobody listens on right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment `probot run` / Probot's `run()` read: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST +
 * GHE_PROTOCOL (so the App calls the fake's `/api/v3` and `/api/graphql`), PORT, HOST, LOG_LEVEL.
 */
export function appEnvironment(fake: FakeGitHub, options: { port: number; host?: string; secret?: string }): Record<string, string> {
  const { appId, privateKey } = appCredentials(fake);
  return {
    APP_ID: String(appId),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: options.secret ?? 'test-webhook-secret',
    GHE_HOST: fake.host,
    GHE_PROTOCOL: 'http',
    PORT: String(options.port),
    HOST: options.host ?? '127.0.0.1',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    // Never reach a real smee channel or github.com from a test.
    WEBHOOK_PROXY_URL: '',
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function spawnApp(options: SpawnAppOptions): Promise<SpawnedApp> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const env: NodeJS.ProcessEnv = { ...process.env, ...appEnvironment(options.fake, { port, host, secret: options.secret }) };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  // Its own process group: `npm start` runs npm → sh → node, and stop() must reach all of them.
  const child = spawn(options.command, options.args ?? [], {
    cwd: options.cwd ?? process.cwd(),
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the test process ends without stop() (a crash, a timeout), the App's group must not outlive it.
  const reap = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', reap);
  void child.once('exit', () => process.removeListener('exit', reap));
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let done: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = { code, signal };
      resolve(done);
    });
    child.once('error', (error) => {
      output += `\n[spawn error] ${error.message}\n`;
      done = { code: null, signal: null };
      resolve(done);
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (done || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  const webhookUrl = `http://${host}:${port}${options.webhookPath ?? '/api/github/webhooks'}`;
  const stop: SpawnedApp['stop'] = async ({ signal = 'SIGTERM', graceMs = 10_000 } = {}) => {
    if (options.deliverWebhooks) options.fake.deliverTo(undefined);
    if (done) return done;
    signalGroup(signal);
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    const result = await exited;
    clearTimeout(timer);
    // Whatever the leader left behind in its group goes too.
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    return result;
  };
  const url = `http://${host}:${port}`;
  const readyPath = options.readyPath ?? '/ping';
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (done) throw new Error(`the App exited before listening (${JSON.stringify(done)}):\n${output.slice(-4000)}`);
    try {
      await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(1_000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop({ graceMs: 2_000 });
        throw new Error(`the App did not answer on ${url}${readyPath} within ${options.startTimeoutMs ?? 30_000} ms:\n${output.slice(-4000)}`);
      }
      await sleep(50);
    }
  }
  if (options.deliverWebhooks) options.fake.deliverTo(webhookUrl, env.WEBHOOK_SECRET);
  return {
    process: child,
    port,
    url,
    webhookUrl,
    env,
    output: () => output,
    exited,
    stop,
  };
}
