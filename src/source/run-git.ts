import { execFile, type ExecFileOptions } from 'node:child_process';
import { GitSourceError } from './git-source-error.js';

/** Large trees list hundreds of thousands of paths; never let Node cut git's output short. */
const MAX_BUFFER = 1024 * 1024 * 1024;

/** Variables that would point git at another repository or index (set, e.g., when we run inside a git hook). */
const INHERITED_GIT_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

/** Every git invocation starts with these: paths come out as raw UTF-8, never C-quoted. */
export const GIT_GLOBAL_ARGS = ['-c', 'core.quotepath=off'];

/** The environment for git children: the caller's, minus repository redirections, never prompting. */
export function gitEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_GIT_VARIABLES) delete env[name];
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', ...extra };
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface RunGitOptions {
  /** Exit codes that are answers rather than failures (`merge-base` → 1: none; `merge-tree` → 1: conflicts). */
  okCodes?: number[];
  /** Written to git's stdin. */
  input?: string | Buffer;
  /** Extra environment variables (e.g. GIT_INDEX_FILE for a scratch index). */
  env?: Record<string, string>;
}

/** The first line of git's stderr, without its `fatal: ` / `error: ` prefix. */
export function firstLine(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^(fatal|error): /, '').trim();
}

/** Runs one git command in `repoDir` (execFile, never a shell); failures become a GitSourceError. */
export function runGit(repoDir: string, args: string[], options: RunGitOptions = {}): Promise<GitResult> {
  const okCodes = [0, ...(options.okCodes ?? [])];
  const execOptions: ExecFileOptions & { encoding: 'buffer' } = {
    cwd: repoDir,
    env: gitEnvironment(options.env),
    maxBuffer: MAX_BUFFER,
    encoding: 'buffer',
    windowsHide: true,
  };
  return new Promise((resolve, reject) => {
    const child = execFile('git', [...GIT_GLOBAL_ARGS, ...args], execOptions, (error, stdout, stderrBuffer) => {
      const stderr = stderrBuffer.toString('utf8');
      if (!error) return resolve({ code: 0, stdout, stderr });
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === 'number' && okCodes.includes(code)) return resolve({ code, stdout, stderr });
      if (code === 'ENOENT') return reject(new GitSourceError('git is not installed or not on PATH'));
      const detail = firstLine(stderr) || error.message;
      const command = args.find((arg) => !arg.startsWith('-')) ?? '';
      reject(new GitSourceError(`git ${command} failed in ${repoDir}: ${detail}`));
    });
    // A git that exits before reading its input must not crash us with EPIPE; the exit code tells the story.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input);
  });
}
