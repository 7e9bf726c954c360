// The Dockerfile's build and runtime steps, performed outside Docker (no engine here): every COPY from the
// repository, the build stage's npm commands (npm ci = the installed tree from the lockfile, then its `prepare`; the
// prune for real), the runtime stage's COPYs of the build's output only, its ENV, then its CMD as an unprivileged
// user (USER) and its HEALTHCHECK command. A file the image lacks or a dev-only dependency needed at runtime fails
// here: the server must answer the HEALTHCHECK and review a PR from that production tree alone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appEnvironment, freePort, issueCommentEvent, pullRequestEvent, removeClones, seedGrove, sendWebhook, startFakeGitHub, testKeys, type FakeGitHub } from '../fake-github/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
/** `USER node` in the image; here a uid with no rights to the repository (only when the test runs as root). */
const UNPRIVILEGED = 65533;

interface Instruction {
  op: string;
  args: string;
  line: number;
}

interface Stage {
  name?: string;
  workdir: string;
  steps: Instruction[];
}

/** Instructions with line continuations joined and comments dropped, grouped by stage. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) logical = logical.replace(/\\\s*$/, ' ') + lines[++i];
    const trimmed = logical.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(trimmed)!;
    const instruction = { op: op.toUpperCase(), args: args.trim(), line: start + 1 };
    if (instruction.op === 'FROM') stages.push({ name: / AS (\S+)$/i.exec(instruction.args)?.[1], workdir: '/', steps: [] });
    else stages.at(-1)!.steps.push(instruction);
  }
  return stages;
}

const words = (args: string) => (args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/));

/** `COPY [--from=stage] src... dest`, relative to the stage's WORKDIR; a missing source fails naming the line. */
function copy(step: Instruction, into: string, from: string) {
  const parts = words(step.args).filter((w) => !w.startsWith('--from='));
  const dest = parts.pop()!;
  const toDir = parts.length > 1 || dest.endsWith('/');
  for (const src of parts) {
    const source = join(from, src.replace(/^\/app\/?/, ''));
    if (!existsSync(source)) throw new Error(`Dockerfile line ${step.line}: COPY ${src}: no such file`);
    const target = join(into, dest, toDir ? basename(src) : '');
    mkdirSync(dirname(target), { recursive: true });
    // node_modules: hard links (hundreds of MB; the copy only ever loses files, in the prune).
    if (basename(source) === 'node_modules') expect(spawnSync('cp', ['-al', source, target]).status).toBe(0);
    else cpSync(source, target, { recursive: true });
  }
}

function run(step: Instruction, cwd: string) {
  for (const command of step.args.split('&&').map((c) => c.trim())) {
    const [program, sub] = command.split(/\s+/);
    if (program === 'apt-get' || program === 'rm') continue; // the image's system packages: this machine has its own
    if (program !== 'npm') throw new Error(`Dockerfile line ${step.line}: this test doesn't know how to run \`${command}\``);
    if (sub === 'ci') {
      // npm ci installs the lockfile's tree: the one installed here (hard links; npm's own bookkeeping file copied,
      // as npm rewrites it), then runs `prepare` as npm ci does.
      expect(spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(cwd, 'node_modules')]).status).toBe(0);
      rmSync(join(cwd, 'node_modules/.package-lock.json'), { force: true });
      cpSync(join(ROOT, 'node_modules/.package-lock.json'), join(cwd, 'node_modules/.package-lock.json'));
      const prepare = spawnSync('npm', ['run', 'prepare'], { cwd, encoding: 'utf8' });
      expect(prepare.status, prepare.stderr).toBe(0);
    } else {
      const done = spawnSync('sh', ['-c', `${command} --offline`], { cwd, encoding: 'utf8' });
      expect(done.status, `${command}\n${done.stderr}`).toBe(0);
    }
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'safari-image-'));
let fake: FakeGitHub | undefined;
let server: ChildProcess | undefined;

afterAll(async () => {
  if (server?.exitCode === null && server.pid) process.kill(-server.pid, 'SIGKILL');
  await fake?.close();
  await removeClones();
  rmSync(scratch, { recursive: true, force: true });
});

describe("the Dockerfile's steps, run on this machine", () => {
  it('builds the production tree; as an unprivileged user it answers the HEALTHCHECK, reviews a PR, answers a command, runs the CLI, stops on SIGTERM', async () => {
    const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const roots = new Map<string, string>();
    const asRoot = process.getuid?.() === 0;
    chmodSync(scratch, 0o755);
    let env: Record<string, string> = {};
    let user: string | undefined;
    let healthcheck: string[] = [];
    let cmd: string[] = [];
    stages.forEach((stage, i) => {
      const root = join(scratch, stage.name ?? `stage${i}`);
      mkdirSync(root, { mode: 0o755 });
      if (stage.name) roots.set(stage.name, root);
      for (const step of stage.steps) {
        const from = /--from=(\S+)/.exec(step.args)?.[1];
        if (step.op === 'WORKDIR') expect(step.args).toBe('/app');
        else if (step.op === 'COPY') copy(step, root, from ? roots.get(from)! : ROOT);
        else if (step.op === 'RUN') run(step, root);
        else if (step.op === 'ENV') for (const [, k, v] of step.args.matchAll(/(\w+)=(\S+)/g)) env[k] = v;
        else if (step.op === 'USER') user = step.args;
        else if (step.op === 'HEALTHCHECK') healthcheck = JSON.parse(step.args.slice(step.args.indexOf('CMD') + 3).trim());
        else if (step.op === 'CMD') cmd = words(step.args);
      }
    });
    const app = join(scratch, stages.at(-1)!.name ?? `stage${stages.length - 1}`);
    // The runtime stage holds production dependencies only: no test runner, no HTTP mocks, no sources.
    expect(existsSync(join(app, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/nock'))).toBe(false);
    expect(existsSync(join(app, 'src'))).toBe(false);
    expect(user).toBe('node');
    // The image runs what `npm start` runs (package.json's start script), its bin resolved: node, not npm, under tini.
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
    expect(cmd[0]).toBe('node');
    expect(realpathSync(join(app, cmd[1]))).toBe(realpathSync(join(app, 'node_modules/.bin', start[0])));
    expect(cmd.slice(2)).toEqual(start.slice(1));

    fake = await startFakeGitHub({ appPublicKey: testKeys().publicKey });
    const grove = await seedGrove(fake);
    const port = await freePort();
    const home = join(scratch, 'home');
    mkdirSync(home);
    if (asRoot) chownSync(home, UNPRIVILEGED, UNPRIVILEGED);
    env = {
      ...env,
      ...appEnvironment(fake, { port, secret: 'image-secret' }),
      // Loopback here (the image listens on 0.0.0.0 inside its own network namespace).
      HOST: '127.0.0.1',
      PATH: process.env.PATH!,
      HOME: home,
      // What is tested here is the tree, not this machine's sandbox (its own tests hold it to the expected plan).
      SAFARI_ISOLATION: 'best-effort',
      SAFARI_CONCURRENCY: '1',
    };
    const as = asRoot ? { uid: UNPRIVILEGED, gid: UNPRIVILEGED } : {};
    // (The image's ENTRYPOINT, tini, forwards signals to the CMD and reaps; the CMD runs here as the image runs it.)
    server = spawn(cmd[0], cmd.slice(1), { cwd: app, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...as });
    let output = '';
    server.stdout!.on('data', (d) => (output += d));
    server.stderr!.on('data', (d) => (output += d));
    const probe = () => spawnSync(healthcheck[0], healthcheck.slice(1), { cwd: app, env, ...as }).status;
    const until = async <T>(what: string, value: () => T | undefined, ms = 60_000): Promise<T> => {
      for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 200))) {
        const v = value();
        if (v !== undefined) return v;
        if (Date.now() > end || server!.exitCode !== null) throw new Error(`no ${what}; server output:\n${output.slice(-4000)}`);
      }
    };
    await until('answer to the HEALTHCHECK', () => (probe() === 0 ? true : undefined));
    if (asRoot) expect(statSync(`/proc/${server.pid}`).uid).toBe(UNPRIVILEGED);

    const res = await sendWebhook(`http://127.0.0.1:${port}/api/github/webhooks`, await pullRequestEvent(fake, grove.pulls.pr, 'opened'), { secret: 'image-secret' });
    expect(res.status).toBe(200);
    const check = await until('completed check run', () => fake!.checkRuns('acme/grove').find((c) => c.status === 'completed'));
    // The core ran in the review worker from the production tree: the grove PR's errors, not a failure to review.
    expect(check.conclusion).toBe('failure');
    expect(check.output.title).toMatch(/error/);
    expect(check.annotations.length).toBeGreaterThan(0);

    // `/safari explain` answers with the rule's doc (docs/ in the image).
    const pr = grove.pulls.pr.number;
    const explain = await issueCommentEvent(fake, { repo: 'acme/grove', issue: pr, body: '/safari explain destructive-change', user: 'octocat' });
    expect((await sendWebhook(`http://127.0.0.1:${port}/api/github/webhooks`, explain, { secret: 'image-secret' })).status).toBe(200);
    await until('answer to /safari explain', () => fake!.comments('acme/grove', pr).find((c) => c.body.startsWith('# destructive-change')));
    // The CLI in the same image (`docker run --entrypoint node IMAGE bin/safari.js …`).
    const repo = join(scratch, 'repo'); // the user's own checkout (a mounted /repo)
    cpSync(grove.dir, repo, { recursive: true });
    if (asRoot) expect(spawnSync('chown', ['-R', `${UNPRIVILEGED}:${UNPRIVILEGED}`, repo]).status).toBe(0);
    const cli = spawnSync('node', ['bin/safari.js', 'review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'text'], { cwd: app, env, encoding: 'utf8', ...as });
    expect(cli.stderr).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND/);
    expect(cli.stdout, cli.stderr).toMatch(/error/);

    // `docker stop`: tini passes SIGTERM to its child, the CMD, and the container lives as long as that process does:
    // it must be the server itself, stopping gracefully (the log line after finishing the running reviews), exit 0.
    const exited = new Promise((resolve) => server!.once('exit', (code, signal) => resolve({ code, signal })));
    process.kill(server.pid!, 'SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output).toContain('"msg":"stopped"');
    expect(probe()).toBe(1);
  }, 240_000);
});
