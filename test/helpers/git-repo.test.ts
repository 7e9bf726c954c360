import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupRepos, git, makeRepo, type RepoStep } from './git-repo.js';

const steps: RepoStep[] = [
  { branch: 'main', files: { 'migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER);\n', 'docs/é x.md': 'hi' } },
  { branch: 'pr', from: 'main', files: { 'migrations/0002_x.sql': 'x' }, message: 'add x' },
  { branch: 'main', files: { 'migrations/0002_y.sql': 'y', 'docs/é x.md': null } },
];

describe('makeRepo', () => {
  it('applies steps in order: a PR branched before main moved on', async () => {
    const repo = await makeRepo(steps);
    expect(await git(repo, ['ls-tree', '-r', '--name-only', 'main'])).toBe('migrations/0001_init.sql\nmigrations/0002_y.sql');
    expect(await git(repo, ['ls-tree', '-r', '--name-only', 'pr'])).toBe(
      'docs/é x.md\nmigrations/0001_init.sql\nmigrations/0002_x.sql',
    );
    expect(await git(repo, ['merge-base', 'main', 'pr'])).toBe(await git(repo, ['rev-parse', 'main~1']));
    expect(await git(repo, ['log', '-1', '--format=%s %an <%ae>', 'pr'])).toBe('add x Safari Test <safari-test@example.com>');
    // Checked out on the last step's branch, working tree clean.
    expect(await git(repo, ['symbolic-ref', '--short', 'HEAD'])).toBe('main');
    expect(await git(repo, ['status', '--porcelain'])).toBe('');
    expect(readFileSync(join(repo, 'migrations/0002_y.sql'), 'utf8')).toBe('y');
    expect(existsSync(join(repo, 'migrations/0002_x.sql'))).toBe(false);
  });

  it('is deterministic: the same steps give the same commits', async () => {
    const [a, b] = await Promise.all([makeRepo(steps), makeRepo(steps)]);
    expect(await git(a, ['rev-parse', 'main', 'pr'])).toBe(await git(b, ['rev-parse', 'main', 'pr']));
  });

  it('creates a branch without committing when a step has no files, and rejects a missing "from"', async () => {
    const repo = await makeRepo([{ branch: 'main', files: { 'a.sql': 'a' } }, { branch: 'pr', from: 'main' }]);
    expect(await git(repo, ['rev-parse', 'pr'])).toBe(await git(repo, ['rev-parse', 'main']));
    await expect(makeRepo([{ branch: 'main', files: {} }, { branch: 'pr', from: 'nope' }])).rejects.toThrow(
      'makeRepo step 2 (branch "pr"): "from" branch "nope" does not exist yet',
    );
  });

  it('cleanupRepos() removes what it made', async () => {
    const repo = await makeRepo([{ branch: 'main', files: { 'a.sql': 'a' } }]);
    expect(existsSync(repo)).toBe(true);
    await cleanupRepos();
    expect(existsSync(repo)).toBe(false);
  });
});

afterAll(cleanupRepos);
