import { afterAll, describe, expect, it } from 'vitest';
import { buildHeadTree, mergePerFile, type HeadTreeInput } from '../../src/source/head-tree.js';
import { diffCommits } from '../../src/source/git-changes.js';
import { listTree } from '../../src/source/git-tree.js';
import { cleanupRepos, git, makeRepo, type RepoStep } from '../helpers/git-repo.js';

afterAll(cleanupRepos);

async function inputFor(steps: RepoStep[]): Promise<HeadTreeInput> {
  const repoDir = await makeRepo(steps);
  const [baseSha, headSha, baseTree, headTree] = (
    await git(repoDir, ['rev-parse', 'main', 'pr', 'main^{tree}', 'pr^{tree}'])
  ).split('\n');
  const mergeBaseSha = await git(repoDir, ['merge-base', 'main', 'pr']);
  const prChanges = await diffCommits(repoDir, mergeBaseSha, headSha);
  return { repoDir, baseSha, headSha, mergeBaseSha, baseTree, headTree, prChanges };
}

describe('mergePerFile (the fallback for git without merge-tree --write-tree)', () => {
  it('builds the same tree as git merge-tree when the two sides touch different files', async () => {
    const input = await inputFor([
      { branch: 'main', files: { 'm/0001.sql': 'a', 'm/0002.sql': 'b', 'old name.sql': 'SELECT 1; -- long enough to rename\n' } },
      { branch: 'pr', from: 'main', files: { 'm/0003_x.sql': 'x', 'm/0002.sql': null, 'old name.sql': null, 'new name.sql': 'SELECT 1; -- long enough to rename\n' } },
      { branch: 'main', files: { 'm/0003_y.sql': 'y', 'm/0001.sql': 'a2' } },
    ]);
    const fallback = await mergePerFile(input);
    const merged = await buildHeadTree(input);
    expect(merged.method).toBe('merge-tree');
    expect(fallback.method).toBe('per-file');
    expect(fallback.treeId).toBe(merged.treeId);
    expect(fallback.conflicts).toEqual([]);
    expect(await listTree(input.repoDir, fallback.treeId)).toEqual(['m/0001.sql', 'm/0003_x.sql', 'm/0003_y.sql', 'new name.sql']);
  });

  it("takes the PR's version of every file both sides changed and lists it as a conflict", async () => {
    const input = await inputFor([
      { branch: 'main', files: { 'journal.json': '[\n"a",\n"b",\n"c"\n]\n', 'gone.sql': 'g', 'moved.sql': 'same same same same\n' } },
      { branch: 'pr', from: 'main', files: { 'journal.json': '[\n"a",\n"b",\n"c",\n"pr"\n]\n', 'gone.sql': null, 'moved.sql': null, 'moved-too.sql': 'same same same same\n' } },
      { branch: 'main', files: { 'journal.json': '[\n"main",\n"b",\n"c"\n]\n', 'gone.sql': 'g2', 'moved.sql': 'same same same same!\n' } },
    ]);
    const fallback = await mergePerFile(input);
    expect(fallback.conflicts).toEqual(['gone.sql', 'journal.json', 'moved.sql']);
    expect(await listTree(input.repoDir, fallback.treeId)).toEqual(['journal.json', 'moved-too.sql']);
    expect(await git(input.repoDir, ['cat-file', 'blob', `${fallback.treeId}:journal.json`])).toBe('[\n"a",\n"b",\n"c",\n"pr"\n]');
    // git itself merges the journal cleanly, which the fallback can't.
    const merged = await buildHeadTree(input);
    expect(merged.conflicts).not.toContain('journal.json');
  });
});

describe('buildHeadTree', () => {
  it("is the PR's own tree when the PR is up to date, and base's when the PR has nothing new", async () => {
    const input = await inputFor([
      { branch: 'main', files: { 'a.sql': 'a' } },
      { branch: 'pr', from: 'main', files: { 'b.sql': 'b' } },
    ]);
    expect(await buildHeadTree(input)).toEqual({ treeId: input.headTree, conflicts: [], method: 'up-to-date' });
    const reversed = { ...input, baseSha: input.headSha, baseTree: input.headTree, headSha: input.baseSha, headTree: input.baseTree };
    expect(await buildHeadTree(reversed)).toEqual({ treeId: input.headTree, conflicts: [], method: 'up-to-date' });
  });
});
