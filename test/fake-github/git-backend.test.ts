// The fake's git layer: commits without a work tree, diffs with GitHub's statuses, merges as GitHub's test merge.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GitBackend } from './git-backend.js';

let dir: string;
let git: GitBackend;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fake-github-backend-'));
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  git = new GitBackend(dir);
});

afterAll(async () => {
  await git.close();
  await rm(dir, { recursive: true, force: true });
});

describe('commitFiles', () => {
  test('commits on a bare repository, creates branches from others, deletes files and whole folders', async () => {
    const first = await git.commitFiles('main', { 'm/0001.sql': 'CREATE TABLE a (id);\n', 'docs/a.md': 'a\n', 'docs/b.md': 'b\n' }, { message: 'init' });
    expect((await git.commit(first))?.message).toBe('init');
    const branch = await git.commitFiles('pr', { 'm/0002.sql': 'CREATE TABLE b (id);\n', docs: null }, { from: 'main' });
    expect((await git.commit(branch))?.parents).toEqual([first]);
    expect((await git.listTree(branch, true)).map((e) => e.path)).toEqual(['m', 'm/0001.sql', 'm/0002.sql']);
    await expect(git.commitFiles('other', { a: 'x' }, { from: 'no-such-branch' })).rejects.toThrow(/not a commit/);
  });

  test('takes any path literally (spaces, quotes, backslashes, non-ASCII, glob characters) and binary content', async () => {
    const names = ['with space.sql', 'quote"d.sql', 'back\\slash.sql', 'ünï cödé.sql', '[glob]*.sql'];
    const sha = await git.commitFiles('names', { ...Object.fromEntries(names.map((n) => [`n/${n}`, n])), 'bin.dat': new Uint8Array([0, 1, 2, 255]) }, { from: 'main' });
    const paths = (await git.listTree(sha, true)).map((e) => e.path);
    for (const name of names) expect(paths).toContain(`n/${name}`);
    expect([...(await git.object(`${sha}:bin.dat`))!.content]).toEqual([0, 1, 2, 255]);
    // Deleting "[glob]*.sql" deletes that file only, not what the pattern would match.
    const after = await git.commitFiles('names', { 'n/[glob]*.sql': null });
    expect((await git.listTree(after, true)).filter((e) => e.path.startsWith('n/'))).toHaveLength(names.length - 1);
  });

  test('the same commits made twice have the same ids (fixed identity and date)', async () => {
    const a = await git.commitFiles('twin-a', { 'x.sql': 'SELECT 1;\n' }, { from: 'main', message: 'same' });
    const b = await git.commitFiles('twin-b', { 'x.sql': 'SELECT 1;\n' }, { from: 'main', message: 'same' });
    expect(a).toBe(b);
  });
});

describe('diff and merge', () => {
  test('diff reports GitHub statuses, renames with the previous name, and line counts', async () => {
    const base = await git.commitFiles('d', { 'keep.sql': 'a\nb\n', 'old.sql': 'x\ny\nz\n', 'gone.sql': 'g\n' }, { from: 'main' });
    const head = await git.commitFiles('d', { 'keep.sql': 'a\nB\nc\n', 'old.sql': null, 'new.sql': 'x\ny\nz\n', 'gone.sql': null, 'added.sql': '1\n' });
    const byName = Object.fromEntries((await git.diff(base, head)).map((f) => [f.filename, f]));
    expect(byName['keep.sql']).toMatchObject({ status: 'modified', additions: 2, deletions: 1 });
    expect(byName['new.sql']).toMatchObject({ status: 'renamed', previous_filename: 'old.sql', additions: 0, deletions: 0 });
    expect(byName['gone.sql']).toMatchObject({ status: 'removed', deletions: 1, sha: await git.resolve(`${base}:gone.sql`) });
    expect(byName['added.sql']).toMatchObject({ status: 'added', additions: 1 });
  });

  test('mergeTree gives the merged tree, or the conflicting paths', async () => {
    const root = await git.commitFiles('m-base', { 'a.sql': 'one\n', 'b.sql': 'two\n' }, { from: 'main' });
    const left = await git.commitFiles('m-left', { 'a.sql': 'left\n' }, { from: root });
    const right = await git.commitFiles('m-right', { 'a.sql': 'right\n', 'c.sql': 'three\n' }, { from: root });
    const clean = await git.commitFiles('m-clean', { 'd.sql': 'four\n' }, { from: root });
    expect(await git.mergeTree(left, right)).toEqual({ clean: false, conflicts: ['a.sql'] });
    const merged = await git.mergeTree(left, clean);
    expect(merged.clean).toBe(true);
    if (!merged.clean) return;
    expect((await git.listTree(merged.tree, false)).map((e) => e.path).filter((p) => p.endsWith('.sql'))).toEqual(['a.sql', 'b.sql', 'd.sql']);
    expect((await git.object(`${merged.tree}:a.sql`))?.content.toString()).toBe('left\n');
  });
});
