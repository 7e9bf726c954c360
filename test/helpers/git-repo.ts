/**
 * Builds throwaway git repositories for tests from a list of branch steps, deterministically (fixed identity and
 * dates: the same steps give the same commit ids) and fast: one `git init`, one `git fast-import` for all commits,
 * one `git checkout` for the working tree — whatever the number of steps.
 *
 *   const repo = await makeRepo([
 *     { branch: 'main', files: { 'migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER);' } },
 *     { branch: 'pr', from: 'main', files: { 'migrations/0002_x.sql': '...' } },
 *     { branch: 'main', files: { 'migrations/0002_y.sql': '...' } },   // main moved on after the PR branched
 *   ]);
 *
 * Works on a machine with no git identity or config (CI): the user's global and system git config are ignored.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RepoStep {
  /** The branch to switch to; created from `from` (default: the current branch) when it doesn't exist yet. */
  branch: string;
  /** Only for a new branch: where it starts. */
  from?: string;
  /**
   * Files to write (`null` deletes a file or folder). With `files` the step makes one commit (even an empty one);
   * without it the step only switches to (or creates) the branch.
   */
  files?: Record<string, string | Uint8Array | null>;
  message?: string;
}

const IDENTITY = 'Safari Test <safari-test@example.com>';
/** 2023-11-14T22:13:20Z, then one minute per step. */
const FIRST_TIMESTAMP = 1_700_000_000;

const created = new Set<string>();
let exitHookInstalled = false;

/** A git environment that doesn't depend on who runs the tests or where. */
function testGitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR']) {
    delete env[name];
  }
  return {
    ...env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Safari Test',
    GIT_AUTHOR_EMAIL: 'safari-test@example.com',
    GIT_COMMITTER_NAME: 'Safari Test',
    GIT_COMMITTER_EMAIL: 'safari-test@example.com',
    GIT_AUTHOR_DATE: `${FIRST_TIMESTAMP} +0000`,
    GIT_COMMITTER_DATE: `${FIRST_TIMESTAMP} +0000`,
  };
}

/** Runs git in `repo` and returns its stdout (trailing newline removed); throws with git's stderr on failure. */
export function git(repo: string, args: string[], input?: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      ['-c', 'user.name=Safari Test', '-c', 'user.email=safari-test@example.com', '-c', 'core.quotepath=off', ...args],
      { cwd: repo, env: testGitEnv(), maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args.join(' ')} failed in ${repo}: ${stderr || error.message}`));
        else resolve(stdout.replace(/\n$/, ''));
      },
    );
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  });
}

/** fast-import's C-style quoted path: any name, including spaces, quotes and non-ASCII, is taken literally. */
export function quotePath(path: string): string {
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function data(content: string | Uint8Array): Buffer[] {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return [Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')];
}

/** Creates a repository in the OS temp folder from `steps` and returns its path (removed by cleanupRepos()). */
export async function makeRepo(steps: RepoStep[]): Promise<string> {
  if (steps.length === 0) throw new Error('makeRepo needs at least one step');
  const repo = await realpath(await mkdtemp(join(tmpdir(), 'safari-repo-')));
  created.add(repo);
  installExitHook();
  await git(repo, ['init', '-q', '-b', steps[0].branch]);

  /** Each branch's tip as a fast-import mark; undefined while the branch has no commit yet. */
  const tips = new Map<string, number | undefined>([[steps[0].branch, undefined]]);
  let current = steps[0].branch;
  let mark = 0;
  const stream: Buffer[] = [];
  steps.forEach((step, index) => {
    const where = `makeRepo step ${index + 1} (branch "${step.branch}")`;
    if (!tips.has(step.branch)) {
      const from = step.from ?? current;
      if (!tips.has(from)) throw new Error(`${where}: "from" branch "${from}" does not exist yet`);
      const start = tips.get(from);
      tips.set(step.branch, start);
      if (start !== undefined) stream.push(Buffer.from(`reset refs/heads/${step.branch}\nfrom :${start}\n\n`));
    } else if (step.from !== undefined && index > 0) {
      throw new Error(`${where}: "from" only applies to a new branch, and "${step.branch}" already exists`);
    }
    current = step.branch;
    if (!step.files) return;
    const when = `${FIRST_TIMESTAMP + index * 60} +0000`;
    const parent = tips.get(step.branch);
    mark++;
    stream.push(
      Buffer.from(`commit refs/heads/${step.branch}\nmark :${mark}\n`),
      Buffer.from(`author ${IDENTITY} ${when}\ncommitter ${IDENTITY} ${when}\n`),
      ...data(step.message ?? `step ${index + 1} on ${step.branch}`),
    );
    if (parent !== undefined) stream.push(Buffer.from(`from :${parent}\n`));
    for (const [path, content] of Object.entries(step.files)) {
      if (content === null) stream.push(Buffer.from(`D ${quotePath(path)}\n`));
      else stream.push(Buffer.from(`M 100644 inline ${quotePath(path)}\n`), ...data(content));
    }
    stream.push(Buffer.from('\n'));
    tips.set(step.branch, mark);
  });
  stream.push(Buffer.from('done\n'));
  await git(repo, ['fast-import', '--quiet', '--done'], Buffer.concat(stream));
  // Leave the repository on the last step's branch with its files checked out, as a series of commits would.
  if (tips.get(current) !== undefined) await git(repo, ['checkout', '-q', '-f', current]);
  return repo;
}

/** Removes every repository makeRepo created (call in afterAll; leftovers are also removed when the process exits). */
export async function cleanupRepos(): Promise<void> {
  const repos = [...created];
  created.clear();
  await Promise.all(repos.map((repo) => rm(repo, { recursive: true, force: true })));
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const repo of created) rmSync(repo, { recursive: true, force: true });
  });
}
