import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openGitSource, GitSourceError, type GitReviewSource } from '../../src/source/git.js';
import { cleanupRepos, git, makeRepo } from '../helpers/git-repo.js';

const INIT = 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n';

/** A Drizzle-style journal, one field per line, so edits far apart merge cleanly. */
function journal(entries: string[], version = '6'): string {
  const lines = entries.map((tag, idx) => `    {\n      "idx": ${idx},\n      "tag": "${tag}"\n    }`);
  return `{\n  "version": "${version}",\n  "dialect": "sqlite",\n  "entries": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

/** A file long enough for git's rename detection to pair it with its new name. */
function migration(table: string): string {
  return Array.from({ length: 12 }, (_, i) => `ALTER TABLE ${table} ADD COLUMN c${i} TEXT;`).join('\n') + '\n';
}

async function readOne(tree: GitReviewSource['head'], path: string): Promise<string | undefined> {
  return (await tree.read([path])).get(path);
}

const opened: GitReviewSource[] = [];
async function open(repo: string, base: string, head: string): Promise<GitReviewSource> {
  const source = await openGitSource(repo, base, head);
  opened.push(source);
  return source;
}

afterAll(async () => {
  await Promise.all(opened.map((source) => source.close()));
  await cleanupRepos();
});

describe('openGitSource: a PR up to date with main', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await makeRepo([
      { branch: 'main', files: { 'migrations/0001_init.sql': INIT, 'README.md': '# app\n' } },
      { branch: 'pr', from: 'main', files: { 'migrations/0002_add_posts.sql': 'CREATE TABLE posts (id INTEGER);\n' } },
    ]);
  });

  it('reviews the PR tree itself, with the PR file as its only change', async () => {
    const source = await open(repo, 'main', 'pr');
    expect(source.baseSha).toBe(await git(repo, ['rev-parse', 'main']));
    expect(source.headSha).toBe(await git(repo, ['rev-parse', 'pr']));
    expect(source.mergeBaseSha).toBe(source.baseSha);
    expect(source.base.id).toBe(await git(repo, ['rev-parse', 'main^{tree}']));
    expect(source.head.id).toBe(await git(repo, ['rev-parse', 'pr^{tree}']));
    expect(source.headMethod).toBe('up-to-date');
    expect(source.changes).toEqual([{ path: 'migrations/0002_add_posts.sql', status: 'added' }]);
    expect(source.conflicts).toEqual([]);
    expect(source.origin).toBe('local');
    expect(await source.base.list()).toEqual(['README.md', 'migrations/0001_init.sql']);
    expect(await source.head.list()).toEqual(['README.md', 'migrations/0001_init.sql', 'migrations/0002_add_posts.sql']);
    const files = await source.head.read(['migrations/0001_init.sql', 'migrations/0002_add_posts.sql']);
    expect(files.get('migrations/0001_init.sql')).toBe(INIT);
    expect(files.get('migrations/0002_add_posts.sql')).toBe('CREATE TABLE posts (id INTEGER);\n');
    expect(await readOne(source.base, 'migrations/0002_add_posts.sql')).toBeUndefined();
  });

  it('accepts full shas, HEAD and an origin', async () => {
    const sha = await git(repo, ['rev-parse', 'pr']);
    const source = await openGitSource(repo, 'main', 'HEAD', { origin: 'fork' });
    opened.push(source);
    expect(source.headSha).toBe(sha);
    expect(source.origin).toBe('fork');
  });
});

describe('openGitSource: a PR branched before main gained a migration', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await makeRepo([
      { branch: 'main', files: { 'migrations/0001_init.sql': INIT } },
      { branch: 'pr', from: 'main', files: { 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER);\n' } },
      { branch: 'main', files: { 'migrations/0002_y.sql': 'CREATE TABLE y (id INTEGER);\n' } },
    ]);
  });

  it('tells which paths the merge-base has, by lookup or from a listing made already', async () => {
    const source = await open(repo, 'main', 'pr');
    const asked = ['migrations/0001_init.sql', 'migrations/0002_y.sql', 'migrations', 'nope.sql'];
    expect(await source.mergeBase!.has!(asked)).toEqual(new Set(['migrations/0001_init.sql']));
    expect(await source.base.list()).toHaveLength(2);
    expect(await source.base.has!(asked)).toEqual(new Set(['migrations/0001_init.sql', 'migrations/0002_y.sql']));
  });

  it("holds main's new file and the PR's in head, and blames the PR only for its own", async () => {
    const source = await open(repo, 'main', 'pr');
    expect(source.headMethod).toBe('merge-tree');
    expect(source.mergeBaseSha).toBe(await git(repo, ['rev-parse', 'main~1']));
    expect(source.mergeBaseSha).not.toBe(source.baseSha);
    expect(await source.base.list()).toEqual(['migrations/0001_init.sql', 'migrations/0002_y.sql']);
    expect(await source.head.list()).toEqual([
      'migrations/0001_init.sql',
      'migrations/0002_x.sql',
      'migrations/0002_y.sql',
    ]);
    expect(source.changes).toEqual([{ path: 'migrations/0002_x.sql', status: 'added' }]);
    expect(source.changes.some((c) => c.path === 'migrations/0002_y.sql')).toBe(false);
    expect(source.conflicts).toEqual([]);
    expect(await readOne(source.head, 'migrations/0002_y.sql')).toBe('CREATE TABLE y (id INTEGER);\n');
    // head is not the raw PR tip: the PR tip lacks 0002_y.
    expect(source.head.id).not.toBe(await git(repo, ['rev-parse', 'pr^{tree}']));
  });
});

describe('openGitSource: deletions and renames', () => {
  it('reports them against the merge-base and applies them on top of main', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: { 'm/0001_a.sql': migration('a'), 'm/0002_b.sql': migration('b'), 'm/0003_c.sql': 'x' } },
      { branch: 'pr', from: 'main', files: { 'm/0001_a.sql': null, 'm/0002_b.sql': null, 'm/0002_renamed.sql': migration('b'), 'm/0003_c.sql': 'y' } },
      { branch: 'main', files: { 'other/new.sql': 'z' } },
    ]);
    const source = await open(repo, 'main', 'pr');
    expect(source.changes).toEqual([
      { path: 'm/0001_a.sql', status: 'deleted' },
      { path: 'm/0002_renamed.sql', status: 'renamed', oldPath: 'm/0002_b.sql' },
      { path: 'm/0003_c.sql', status: 'modified' },
    ]);
    expect(await source.head.list()).toEqual(['m/0002_renamed.sql', 'm/0003_c.sql', 'other/new.sql']);
    expect(await readOne(source.head, 'm/0003_c.sql')).toBe('y');
  });
});

describe('openGitSource: files changed on both sides', () => {
  const journalPath = 'drizzle/meta/_journal.json';
  let repo: string;
  beforeAll(async () => {
    repo = await makeRepo([
      {
        branch: 'main',
        files: { [journalPath]: journal(['0000_init', '0001_users']), 'm/shared.sql': 'SELECT 1;\n', 'm/gone-on-main.sql': 'a\n', 'm/gone-in-pr.sql': 'b\n' },
      },
      {
        branch: 'pr',
        from: 'main',
        files: {
          [journalPath]: journal(['0000_init', '0001_users', '0002_posts']),
          'm/shared.sql': 'SELECT 2;\n',
          'm/gone-on-main.sql': 'a, edited by the PR\n',
          'm/gone-in-pr.sql': null,
        },
      },
      {
        branch: 'main',
        files: {
          [journalPath]: journal(['0000_init', '0001_users'], '7'),
          'm/shared.sql': 'SELECT 3;\n',
          'm/gone-on-main.sql': null,
          'm/gone-in-pr.sql': 'b, edited on main\n',
        },
      },
    ]);
  });

  it('merges a journal edited on different lines, as git would', async () => {
    const source = await open(repo, 'main', 'pr');
    const merged = JSON.parse((await readOne(source.head, journalPath)) ?? 'null');
    expect(merged.version).toBe('7');
    expect(merged.entries.map((e: { tag: string }) => e.tag)).toEqual(['0000_init', '0001_users', '0002_posts']);
    expect(source.conflicts).not.toContain(journalPath);
    expect(source.changes).toContainEqual({ path: journalPath, status: 'modified' });
  });

  it("lists conflicting files and serves the PR's version of them", async () => {
    const source = await open(repo, 'main', 'pr');
    expect(source.conflicts).toEqual(['m/gone-in-pr.sql', 'm/gone-on-main.sql', 'm/shared.sql']);
    expect(await readOne(source.head, 'm/shared.sql')).toBe('SELECT 2;\n');
    expect(await readOne(source.base, 'm/shared.sql')).toBe('SELECT 3;\n');
    // modify/delete both ways: head follows the PR.
    expect(await readOne(source.head, 'm/gone-on-main.sql')).toBe('a, edited by the PR\n');
    expect(await readOne(source.head, 'm/gone-in-pr.sql')).toBeUndefined();
    const head = await source.head.list();
    expect(head).toEqual([journalPath, 'm/gone-on-main.sql', 'm/shared.sql']);
    for (const path of head) expect(await readOne(source.head, path)).not.toMatch(/^<<<<<<<|^>>>>>>>/m);
  });

  it('takes the PR side of a file/directory conflict without leaving git’s parked copy behind', async () => {
    const fd = await makeRepo([
      { branch: 'main', files: { 'keep.sql': 'k' } },
      { branch: 'pr', from: 'main', files: { 'schema/tables.sql': 'CREATE TABLE t (id INTEGER);' } },
      { branch: 'main', files: { schema: 'a file on main' } },
    ]);
    const source = await open(fd, 'main', 'pr');
    expect(source.conflicts).toEqual(['schema']);
    expect(await source.head.list()).toEqual(['keep.sql', 'schema/tables.sql']);
  });
});

describe('openGitSource: bad input', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await makeRepo([
      { branch: 'main' },
      { branch: 'island', from: 'main', files: { 'a.sql': 'a' } },
      { branch: 'main', files: { 'b.sql': 'b' } },
    ]);
  });

  it('names an unknown base or head ref and the repository', async () => {
    await expect(openGitSource(repo, 'origin/mian', 'main')).rejects.toThrow(
      new GitSourceError(`base ref "origin/mian" not found in ${repo}`),
    );
    await expect(openGitSource(repo, 'main', 'feature/nope')).rejects.toThrow(
      `head ref "feature/nope" not found in ${repo}`,
    );
    await expect(openGitSource(repo, 'main', '')).rejects.toBeInstanceOf(GitSourceError);
  });

  it('treats a ref that looks like an option as a name', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'safari-opt-'));
    try {
      await expect(openGitSource(repo, `--output=${scratch}/x`, 'main')).rejects.toThrow(/^base ref "--output=/);
      await expect(openGitSource(repo, 'main\nHEAD', 'main')).rejects.toBeInstanceOf(GitSourceError);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('refuses a directory that is not a repository, does not exist or is a file', async () => {
    const plain = await mkdtemp(join(tmpdir(), 'safari-plain-'));
    try {
      await expect(openGitSource(plain, 'main', 'HEAD')).rejects.toThrow(new GitSourceError(`not a git repository: ${plain}`));
      await expect(openGitSource(join(plain, 'missing'), 'main', 'HEAD')).rejects.toThrow(
        `repository directory not found: ${join(plain, 'missing')}`,
      );
      await writeFile(join(plain, 'file.sql'), 'SELECT 1;\n');
      await expect(openGitSource(join(plain, 'file.sql'), 'main', 'HEAD')).rejects.toThrow(
        `not a directory (--repo must be a repository's folder): ${join(plain, 'file.sql')}`,
      );
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  });

  it('says when base and head share no history', async () => {
    await expect(openGitSource(repo, 'main', 'island')).rejects.toThrow(
      `base ref "main" and head ref "island" have no common history in ${repo}`,
    );
  });
});

describe('Tree.read', () => {
  let repo: string;
  const odd = ['db/mi grations/0001 ïnit.sql', 'données/表.sql', 'q/"quoted" name.sql', 'c:olon/a:b.sql', '*.sql'];
  beforeAll(async () => {
    repo = await makeRepo([
      {
        branch: 'main',
        files: {
          ...Object.fromEntries(odd.map((path) => [path, `-- ${path}\n`])),
          'bin/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
          'bin/latin1.sql': new Uint8Array([0x2d, 0x2d, 0x20, 0xe9, 0x0a]),
          'bin/nul.db': 'SQLite format 3\0\u0001',
          'bom.sql': '\ufeffSELECT 1;\n',
          'big.sql': 'x'.repeat(3 * 1024 * 1024),
        },
      },
    ]);
  });

  it('lists and reads paths with spaces, quotes, colons, globs and unicode', async () => {
    const source = await open(repo, 'main', 'main');
    const listed = await source.base.list();
    for (const path of odd) expect(listed).toContain(path);
    const files = await source.base.read(odd);
    for (const path of odd) expect(files.get(path)).toBe(`-- ${path}\n`);
  });

  it('maps missing, directory and non-canonical paths to undefined', async () => {
    const source = await open(repo, 'main', 'main');
    const asked = ['nope.sql', 'bin', './bom.sql', '../x', 'db//x', ''];
    const files = await source.base.read(asked);
    expect([...files.keys()]).toEqual(asked);
    for (const path of asked) expect(files.get(path)).toBeUndefined();
  });

  // SQLite runs a migration up to its first NUL: the bytes must reach the loader, which decides (issue 9).
  it('reads binary content as lenient text with its NUL bytes', async () => {
    const source = await open(repo, 'main', 'main');
    const files = await source.base.read(['bin/nul.db', 'bin/logo.png']);
    expect(files.get('bin/nul.db')).toBe('SQLite format 3\0\u0001');
    expect(files.get('bin/logo.png')).toBe('\ufffdPNG\0\u0001');
  });

  it('gives each file\'s size without reading it', async () => {
    const source = await open(repo, 'main', 'main');
    const sizes = await source.base.sizes(['big.sql', 'bin/logo.png', 'bom.sql', 'nope.sql', 'bin']);
    expect(Object.fromEntries(sizes)).toEqual({ 'big.sql': 3 * 1024 * 1024, 'bin/logo.png': 6, 'bom.sql': 13, 'nope.sql': undefined, bin: undefined });
  });

  it('reads a file that is not valid UTF-8 the way wrangler does, with U+FFFD for the bad bytes', async () => {
    const source = await open(repo, 'main', 'main');
    expect((await source.base.read(['bin/latin1.sql'])).get('bin/latin1.sql')).toBe('-- \ufffd\n');
  });

  it('reads large files whole and drops a leading BOM', async () => {
    const source = await open(repo, 'main', 'main');
    const files = await source.base.read(['big.sql', 'bom.sql']);
    expect(files.get('big.sql')?.length).toBe(3 * 1024 * 1024);
    expect(files.get('bom.sql')).toBe('SELECT 1;\n');
  });

  it('answers concurrent reads from both trees correctly', async () => {
    const source = await open(repo, 'main', 'main');
    const results = await Promise.all([
      source.base.read([odd[0], 'big.sql']),
      source.head.read([odd[1]]),
      source.base.read(['nope', odd[2]]),
    ]);
    expect(results[0].get(odd[0])).toBe(`-- ${odd[0]}\n`);
    expect(results[0].get('big.sql')?.length).toBe(3 * 1024 * 1024);
    expect(results[1].get(odd[1])).toBe(`-- ${odd[1]}\n`);
    expect(results[2].get('nope')).toBeUndefined();
    expect(results[2].get(odd[2])).toBe(`-- ${odd[2]}\n`);
  });
});

describe('Tree.read of symlinks', () => {
  it('reads a symlink as the file it points to, as a checkout would; one leaving the tree reads as undefined', async () => {
    const repo = await makeRepo([{ branch: 'main', files: { 'shared/0002_s.sql': 'CREATE TABLE s (id INTEGER);\n', 'migrations/0001_a.sql': 'SELECT 1;\n' } }]);
    const links: Record<string, string> = {
      'migrations/0002_s.sql': '../shared/0002_s.sql',
      'migrations/0003_chain.sql': '0002_s.sql',
      'migrations/0004_out.sql': '../../etc/passwd',
      'migrations/0005_abs.sql': '/etc/passwd',
      'migrations/0006_dir.sql': '../shared',
    };
    const infos = await Promise.all(
      Object.entries(links).map(async ([path, target]) => `120000 ${await git(repo, ['hash-object', '-w', '--stdin'], target)}\t${path}`),
    );
    await git(repo, ['update-index', '--index-info'], `${infos.join('\n')}\n`);
    await git(repo, ['commit', '-q', '-m', 'links']);
    const source = await open(repo, 'main', 'main');
    expect(await source.base.list()).toEqual(expect.arrayContaining(Object.keys(links)));
    const files = await source.base.read(Object.keys(links));
    expect(Object.fromEntries(files)).toEqual({
      'migrations/0002_s.sql': 'CREATE TABLE s (id INTEGER);\n',
      'migrations/0003_chain.sql': 'CREATE TABLE s (id INTEGER);\n',
      'migrations/0004_out.sql': undefined,
      'migrations/0005_abs.sql': undefined,
      'migrations/0006_dir.sql': undefined,
    });
  });
});
