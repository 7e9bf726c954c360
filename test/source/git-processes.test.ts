// How many git processes a source starts: reading goes through one long-lived `git cat-file --batch`, never a
// process per file, and close() (or simply being idle) never keeps Node alive.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as ChildProcessModule from 'node:child_process';
import { execFile as execFileCallback, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { cleanupRepos, makeRepo } from '../helpers/git-repo.js';

const spawned = vi.hoisted(() => ({ spawn: [] as Array<{ args: string[]; child: unknown }>, execFile: [] as string[][] }));

vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof ChildProcessModule>();
  return {
    ...actual,
    spawn: (command: string, args: string[], options: object) => {
      const child = actual.spawn(command, args, options);
      spawned.spawn.push({ args, child });
      return child;
    },
    execFile: (...params: Parameters<typeof actual.execFile>) => {
      spawned.execFile.push(params[1] as string[]);
      return actual.execFile(...params);
    },
  };
});

const { openGitSource, GitSourceError } = await import('../../src/source/git.js');

const FILES = 300;
let repo: string;

beforeAll(async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`migrations/${String(i).padStart(4, '0')}_step.sql`] = `-- file ${i}\n`;
  repo = await makeRepo([
    { branch: 'main', files },
    { branch: 'pr', from: 'main', files: { 'migrations/9999_pr.sql': '-- pr\n' } },
    { branch: 'main', files: { 'migrations/9998_main.sql': '-- main\n' } },
  ]);
});

afterAll(cleanupRepos);

describe('git processes', () => {
  it('reads every file of both trees through one cat-file process', async () => {
    spawned.spawn.length = 0;
    const source = await openGitSource(repo, 'main', 'pr');
    try {
      const [basePaths, headPaths] = await Promise.all([source.base.list(), source.head.list()]);
      const execsBeforeReading = spawned.execFile.length;
      const reads = [
        source.base.read(basePaths),
        ...headPaths.map((path) => source.head.read([path])),
        source.head.read(headPaths.slice(0, 50)),
      ];
      const [base, ...head] = await Promise.all(reads);
      expect(base.size).toBe(FILES + 1);
      expect(base.get('migrations/0042_step.sql')).toBe('-- file 42\n');
      expect(head.find((m) => m.has('migrations/9999_pr.sql'))?.get('migrations/9999_pr.sql')).toBe('-- pr\n');

      const catFiles = spawned.spawn.filter(({ args }) => args.includes('cat-file'));
      expect(catFiles).toHaveLength(1);
      expect(catFiles[0].args).toContain('--batch');
      expect(spawned.spawn).toHaveLength(1);
      expect(spawned.execFile.length).toBe(execsBeforeReading);
      // Listing again is served from the per-tree cache.
      await source.head.list();
      expect(spawned.execFile.length).toBe(execsBeforeReading);
    } finally {
      await source.close();
    }
  });

  it('close() ends the cat-file process, and a closed source refuses to read', async () => {
    spawned.spawn.length = 0;
    const source = await openGitSource(repo, 'main', 'pr');
    await source.head.read(['migrations/9999_pr.sql']);
    const child = spawned.spawn[0].child as ChildProcess;
    expect(child.exitCode ?? child.signalCode).toBeNull();
    await source.close();
    expect(child.exitCode ?? child.signalCode).not.toBeNull();
    await expect(source.base.read(['migrations/0001_step.sql'])).rejects.toBeInstanceOf(GitSourceError);
    await source.close();
  });

  it('starts a new cat-file process when the old one dies', async () => {
    spawned.spawn.length = 0;
    const source = await openGitSource(repo, 'main', 'pr');
    const first = spawned.spawn[0].child as ChildProcess;
    const gone = new Promise((done) => first.once('close', done));
    first.kill('SIGKILL');
    await gone;
    expect((await source.head.read(['migrations/9999_pr.sql'])).get('migrations/9999_pr.sql')).toBe('-- pr\n');
    expect(spawned.spawn).toHaveLength(2);
    await source.close();
  });

  it('never keeps a Node process alive, even when close() is forgotten', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'safari-keepalive-'));
    try {
      const bundle = join(scratch, 'git-source.mjs');
      await build({
        entryPoints: [resolve('src/source/git.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: bundle,
        logLevel: 'silent',
      });
      const script = [
        `const { openGitSource } = await import(${JSON.stringify(bundle)});`,
        `const source = await openGitSource(${JSON.stringify(repo)}, 'main', 'pr');`,
        `const files = await source.head.read(await source.head.list());`,
        `console.log(files.get('migrations/9999_pr.sql').trim(), files.size);`,
      ].join('\n');
      // If the cat-file process held the event loop, this would hang until the timeout kills it.
      const stdout = await new Promise<string>((done, fail) => {
        execFileCallback(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 }, (error, out) =>
          error ? fail(error) : done(String(out)),
        );
      });
      expect(stdout.trim()).toBe(`-- pr ${FILES + 2}`);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
