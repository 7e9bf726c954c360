import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { GitSourceError } from './git-source-error.js';
import { GIT_GLOBAL_ARGS, firstLine, gitEnvironment } from './run-git.js';

/** One object as `git cat-file --batch` returns it. */
export interface GitObject {
  oid: string;
  /** `blob`, `tree`, `commit` or `tag`. */
  type: string;
  content: Buffer;
}

interface PendingRequest {
  resolve(object: GitObject | undefined): void;
  reject(error: Error): void;
}

/** How long close() lets git finish the requests already sent before it kills the process. */
const CLOSE_GRACE_MS = 2_000;

const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (\S+) (\d+)$/;

/**
 * Reads objects through ONE long-lived `git cat-file --batch` process: a request is a line `<object name>\n`
 * (e.g. `<tree>:<path>`), an answer is `<oid> <type> <size>\n<content>\n` or `<name> missing\n`. Requests are
 * pipelined and answered in order, so concurrent callers share the process without waiting for each other.
 *
 * The process is started on the first request and restarted if it dies. It holds the event loop only while answers
 * are outstanding, so a caller that forgets close() never keeps Node alive.
 */
export class GitBatchReader {
  private child: ChildProcess | undefined;
  private readonly pending: PendingRequest[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  private header: { oid: string; type: string; size: number } | undefined;
  private stderr = '';
  private closed = false;
  /** How many cat-file processes this reader has started (observable for tests and diagnostics). */
  spawnCount = 0;

  constructor(private readonly repoDir: string) {}

  /** Reads one object by name; undefined when git reports it missing (or the name can't be sent on one line). */
  get(name: string): Promise<GitObject | undefined> {
    return this.getMany([name]).then((objects) => objects[0]);
  }

  /** Reads many objects with one write; answers come back in the order asked. */
  getMany(names: string[]): Promise<(GitObject | undefined)[]> {
    if (this.closed) return Promise.reject(new GitSourceError(`git source for ${this.repoDir} is closed`));
    const sendable = names.map((name) => name !== '' && !/[\n\r\0]/.test(name));
    const toSend = names.filter((_, i) => sendable[i]);
    if (toSend.length === 0) return Promise.resolve(names.map(() => undefined));
    const child = this.process();
    const answers = toSend.map(
      (): Promise<GitObject | undefined> =>
        new Promise((resolve, reject) => this.pending.push({ resolve, reject })),
    );
    this.hold(true);
    (child.stdin as Writable).write(toSend.map((name) => `${name}\n`).join(''));
    return Promise.all(answers).then((objects) => {
      let next = 0;
      return names.map((_, i) => (sendable[i] ? objects[next++] : undefined));
    });
  }

  /** Ends the process (git answers what was already asked, then exits on EOF); kills it if it lingers. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child) return;
    const finished = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.hold(true);
    (child.stdin as Writable).end();
    const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
    timer.unref();
    await finished;
    clearTimeout(timer);
  }

  private process(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn('git', [...GIT_GLOBAL_ARGS, 'cat-file', '--batch'], {
      cwd: this.repoDir,
      env: gitEnvironment(),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.spawnCount++;
    this.child = child;
    this.chunks = [];
    this.buffered = 0;
    this.header = undefined;
    this.stderr = '';
    (child.stdout as Readable).on('data', (chunk: Buffer) => this.onData(chunk));
    (child.stderr as Readable).on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += chunk.toString('utf8');
    });
    // EPIPE when git died: the exit handler reports it.
    (child.stdin as Writable).on('error', () => {});
    child.on('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'ENOENT' ? 'git is not installed or not on PATH' : `git cat-file failed: ${error.message}`;
      this.fail(child, message);
    });
    // 'close', not 'exit': git's last answers may still be in the pipe when the process has exited.
    child.on('close', (code, signal) => {
      const why = firstLine(this.stderr) || (signal ? `killed by ${signal}` : `exit code ${code}`);
      this.fail(child, `git cat-file stopped in ${this.repoDir}: ${why}`);
    });
    return child;
  }

  /** The process is gone: every outstanding request fails, and the next request starts a new process. */
  private fail(child: ChildProcess, message: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    const waiting = this.pending.splice(0);
    for (const request of waiting) request.reject(new GitSourceError(message));
  }

  /** Keeps the event loop alive only while answers are outstanding. */
  private hold(active: boolean): void {
    const child = this.child;
    if (!child) return;
    const handles = [child, child.stdin, child.stdout, child.stderr] as unknown as Array<{
      ref?(): void;
      unref?(): void;
    } | null>;
    for (const handle of handles) {
      if (active) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (!this.header) {
        const data = this.flatten();
        const newline = data.indexOf(10);
        if (newline < 0) return;
        const line = data.subarray(0, newline).toString('utf8');
        this.keep(data.subarray(newline + 1));
        const match = HEADER.exec(line);
        // `<name> missing` / `<name> ambiguous`: no content follows.
        if (!match) {
          this.answer(undefined);
          continue;
        }
        this.header = { oid: match[1], type: match[2], size: Number(match[3]) };
      }
      const { oid, type, size } = this.header;
      if (this.buffered < size + 1) return;
      const data = this.flatten();
      const content = Buffer.from(data.subarray(0, size));
      this.keep(data.subarray(size + 1));
      this.header = undefined;
      this.answer({ oid, type, content });
    }
  }

  private answer(object: GitObject | undefined): void {
    const request = this.pending.shift();
    if (!request) {
      // An answer nobody asked for means we lost track of the stream: start over with a fresh process.
      this.child?.kill('SIGKILL');
      return;
    }
    request.resolve(object);
    if (this.pending.length === 0 && !this.closed) this.hold(false);
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private keep(rest: Buffer): void {
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }
}
