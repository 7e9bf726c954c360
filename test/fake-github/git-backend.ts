/**
 * The fake GitHub's view of a real git repository on disk: everything the REST and GraphQL handlers serve about
 * files, trees, commits and diffs is read from git here, so what the App sees is what git holds.
 *
 * Reads go through one long-lived `git cat-file --batch` process (the core's GitBatchReader); listings, diffs and
 * merges through one git command each.
 */
import { GitBatchReader, type GitObject } from '../../src/source/git-batch-reader.js';
import { runGit } from '../../src/source/run-git.js';
import { quotePath } from '../helpers/git-repo.js';

/** Fixed identity and dates so that merge commits the fake makes are the same on every run. */
const COMMIT_ENV = {
  GIT_AUTHOR_NAME: 'GitHub',
  GIT_AUTHOR_EMAIL: 'noreply@github.com',
  GIT_COMMITTER_NAME: 'GitHub',
  GIT_COMMITTER_EMAIL: 'noreply@github.com',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_DATE: '1700000000 +0000',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  /** Blobs only. */
  size?: number;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

export interface FileDiff {
  /** GitHub's statuses. */
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed';
  filename: string;
  previous_filename?: string;
  /** The blob on the new side (the old side's for a removed file, as GitHub does). */
  sha: string;
  mode: string;
  additions: number;
  deletions: number;
}

export type MergeResult = { clean: true; tree: string } | { clean: false; conflicts: string[] };

const ZERO = /^0+$/;

function parseIdent(line: string): { name: string; email: string; date: string } {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line);
  if (!match) return { name: line, email: '', date: new Date(0).toISOString() };
  return { name: match[1], email: match[2], date: new Date(Number(match[3]) * 1000).toISOString().replace(/\.000Z$/, 'Z') };
}

export function parseCommit(sha: string, content: Buffer): CommitInfo {
  const text = content.toString('utf8');
  const split = text.indexOf('\n\n');
  const headers = (split < 0 ? text : text.slice(0, split)).split('\n');
  const info: CommitInfo = {
    sha,
    tree: '',
    parents: [],
    author: parseIdent(''),
    committer: parseIdent(''),
    message: split < 0 ? '' : text.slice(split + 2).replace(/\n$/, ''),
  };
  for (const line of headers) {
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') info.tree = value;
    else if (key === 'parent') info.parents.push(value);
    else if (key === 'author') info.author = parseIdent(value);
    else if (key === 'committer') info.committer = parseIdent(value);
  }
  return info;
}

/** git's own binary test: a NUL byte in the first 8,000 bytes. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

const OID = /^[0-9a-f]{40}$/;

/** A small bounded memo for answers about immutable objects (a diff of two commits, a tree's listing). */
function remember<T>(memo: Map<string, Promise<T>>, key: string, compute: () => Promise<T>, max = 128): Promise<T> {
  let value = memo.get(key);
  if (!value) {
    value = compute();
    value.catch(() => memo.delete(key));
    memo.set(key, value);
    if (memo.size > max) memo.delete(memo.keys().next().value!);
  }
  return value;
}

export class GitBackend {
  private readonly reader: GitBatchReader;
  private readonly diffs = new Map<string, Promise<FileDiff[]>>();
  private readonly mergeBases = new Map<string, string | undefined>();
  private readonly listings = new Map<string, Promise<TreeEntry[]>>();
  private readonly ranges = new Map<string, Promise<string[]>>();
  private readonly testMerges = new Map<string, Promise<{ sha: string | null; conflicts: string[] }>>();

  constructor(readonly dir: string) {
    this.reader = new GitBatchReader(dir);
  }

  close(): Promise<void> {
    return this.reader.close();
  }

  git(args: string[], options: { okCodes?: number[]; input?: string | Buffer; env?: Record<string, string> } = {}) {
    return runGit(this.dir, args, options);
  }

  /** Reads objects by name (`<sha>`, `<rev>:<path>`); undefined when missing. */
  objects(names: string[]): Promise<(GitObject | undefined)[]> {
    return this.reader.getMany(names);
  }

  async object(name: string): Promise<GitObject | undefined> {
    return (await this.reader.getMany([name]))[0];
  }

  /** The full object id a name (sha, branch, `refs/...`, `sha:path`) resolves to, or undefined. */
  async resolve(name: string): Promise<string | undefined> {
    if (name === '' || name.startsWith('-') || /[\n\r\0]/.test(name)) return undefined;
    const { code, stdout } = await this.git(['rev-parse', '--verify', '--quiet', '--end-of-options', name], {
      okCodes: [1, 128],
    });
    return code === 0 ? stdout.toString('utf8').trim() : undefined;
  }

  /**
   * The commit a ref names (branch, tag, sha, `refs/...`), peeled; undefined when there is none. Resolved through
   * the cat-file process (no spawn: a fake with 200 open PRs answers a check-run write in milliseconds); cat-file
   * reads refs afresh on each request, so it sees branches a test moves.
   */
  async resolveCommit(ref: string): Promise<string | undefined> {
    if (ref === '' || ref.startsWith('-') || /[\n\r\0]/.test(ref)) return undefined;
    const object = await this.object(`${ref}^{commit}`);
    return object?.type === 'commit' ? object.oid : undefined;
  }

  async commit(sha: string): Promise<CommitInfo | undefined> {
    const object = await this.object(sha);
    if (!object || object.type !== 'commit') return undefined;
    return parseCommit(object.oid, object.content);
  }

  /** The tree of a commit, or the tree itself; undefined when `name` is neither. */
  async treeOf(name: string): Promise<string | undefined> {
    if (name === '' || name.startsWith('-') || /[\n\r\0]/.test(name)) return undefined;
    const object = await this.object(`${name}^{tree}`);
    return object?.type === 'tree' ? object.oid : undefined;
  }

  /** `git ls-tree` of a tree-ish: direct children, or every entry (trees included) when recursive. */
  listTree(treeish: string, recursive: boolean): Promise<TreeEntry[]> {
    // A listing of an object id never changes; `main:dir` does.
    if (!OID.test(treeish)) return this.computeListTree(treeish, recursive);
    return remember(this.listings, `${treeish}|${recursive}`, () => this.computeListTree(treeish, recursive));
  }

  private async computeListTree(treeish: string, recursive: boolean): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-z', '-l', '--full-tree'];
    if (recursive) args.push('-r', '-t');
    const { stdout } = await this.git([...args, '--end-of-options', treeish]);
    const entries: TreeEntry[] = [];
    for (const record of stdout.toString('utf8').split('\0')) {
      if (record === '') continue;
      const tab = record.indexOf('\t');
      const [mode, type, sha, size] = record.slice(0, tab).split(/ +/);
      const entry: TreeEntry = { path: record.slice(tab + 1), mode, type: type as TreeEntry['type'], sha };
      if (type === 'blob') entry.size = Number(size);
      entries.push(entry);
    }
    return entries;
  }

  /** The merge-base of two commits (memoised when both are object ids, since it can never change). */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const fixed = OID.test(a) && OID.test(b);
    const key = `${a}...${b}`;
    if (fixed && this.mergeBases.has(key)) return this.mergeBases.get(key);
    const { code, stdout } = await this.git(['merge-base', a, b], { okCodes: [1] });
    const base = code === 0 ? stdout.toString('utf8').trim() : undefined;
    if (fixed) this.mergeBases.set(key, base);
    return base;
  }

  /** Commits reachable from `head` and not from `base`, oldest first (as GitHub lists a compare or a PR). */
  commitsBetween(base: string, head: string): Promise<string[]> {
    const compute = async () => {
      const { stdout } = await this.git(['rev-list', '--reverse', '--topo-order', `${base}..${head}`]);
      return stdout.toString('utf8').split('\n').filter(Boolean);
    };
    if (!OID.test(base) || !OID.test(head)) return compute();
    return remember(this.ranges, `${base}..${head}`, compute);
  }

  /** Every branch tip at once (`refs/heads/<name>` → sha): one git call, however many PRs ask. */
  async branchTips(): Promise<Map<string, string>> {
    const { stdout } = await this.git(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads']);
    const tips = new Map<string, string>();
    for (const line of stdout.toString('utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) tips.set(line.slice(space + 1), line.slice(0, space));
    }
    return tips;
  }

  /**
   * The file changes from one commit to another with GitHub's statuses and line counts (renames detected).
   * Memoised by the two object ids (what they name never changes), so paging through a big PR diffs once.
   */
  diff(from: string, to: string): Promise<FileDiff[]> {
    if (!OID.test(from) || !OID.test(to)) return this.computeDiff(from, to);
    return remember(this.diffs, `${from}..${to}`, () => this.computeDiff(from, to), 64);
  }

  private async computeDiff(from: string, to: string): Promise<FileDiff[]> {
    const [raw, numstat] = await Promise.all([
      this.git(['diff-tree', '-r', '-z', '--raw', '--no-abbrev', '-M', from, to]),
      this.git(['diff-tree', '-r', '-z', '--numstat', '-M', from, to]),
    ]);
    const counts = new Map<string, [number, number]>();
    const fields = numstat.stdout.toString('utf8').split('\0');
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      if (field === '') continue;
      const [added, deleted, path] = field.split('\t');
      // A rename's numstat is "a\td\t" followed by the two paths as separate fields.
      const name = path === '' ? fields[(i += 2)] : path;
      counts.set(name, [added === '-' ? 0 : Number(added), deleted === '-' ? 0 : Number(deleted)]);
    }
    const files: FileDiff[] = [];
    const parts = raw.stdout.toString('utf8').split('\0');
    let i = 0;
    while (i < parts.length) {
      const meta = parts[i++];
      if (!meta.startsWith(':')) continue;
      const [srcMode, dstMode, srcOid, dstOid, status] = meta.slice(1).split(' ');
      const twoPaths = status.startsWith('R') || status.startsWith('C');
      const srcPath = parts[i++];
      const path = twoPaths ? parts[i++] : srcPath;
      const [additions, deletions] = counts.get(path) ?? [0, 0];
      const kind = status[0];
      const file: FileDiff = {
        status:
          kind === 'A' ? 'added'
          : kind === 'D' ? 'removed'
          : kind === 'R' ? 'renamed'
          : kind === 'C' ? 'copied'
          : kind === 'T' ? 'changed'
          : 'modified',
        filename: path,
        sha: ZERO.test(dstOid) ? srcOid : dstOid,
        mode: ZERO.test(dstMode) ? srcMode : dstMode,
        additions,
        deletions,
      };
      if (twoPaths) file.previous_filename = srcPath;
      files.push(file);
    }
    return files;
  }

  /** `git merge-tree --write-tree`: the merged tree, or the conflicting paths. */
  async mergeTree(base: string, head: string): Promise<MergeResult> {
    const { code, stdout } = await this.git(['merge-tree', '--write-tree', '--name-only', '-z', base, head], {
      okCodes: [1],
    });
    const fields = stdout.toString('utf8').split('\0');
    if (code === 0) return { clean: true, tree: fields[0].trim() };
    // <tree>\0<conflicted path>\0…\0\0<messages>
    const conflicts: string[] = [];
    for (const field of fields.slice(1)) {
      if (field === '') break;
      conflicts.push(field);
    }
    return { clean: false, conflicts };
  }

  /**
   * GitHub's test merge of `head` into `base` (both commit ids): the merge commit (parents base, head; fixed
   * identity and date) or, when they conflict, null and the conflicting paths. Memoised: PRs with the same tips
   * share one merge.
   */
  testMerge(base: string, head: string): Promise<{ sha: string | null; conflicts: string[] }> {
    return remember(this.testMerges, `${base}+${head}`, async () => {
      const result = await this.mergeTree(base, head);
      if (!result.clean) return { sha: null, conflicts: result.conflicts };
      return { sha: await this.commitTree(result.tree, [base, head], `Merge ${head} into ${base}`), conflicts: [] };
    });
  }

  /** Writes a commit object (deterministic identity and date) and returns its sha; refs are left alone. */
  async commitTree(tree: string, parents: string[], message: string): Promise<string> {
    const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message];
    const { stdout } = await this.git(args, { env: COMMIT_ENV });
    return stdout.toString('utf8').trim();
  }

  async updateRef(ref: string, sha: string): Promise<void> {
    await this.git(['update-ref', ref, sha]);
  }

  /**
   * Commits `files` on top of `branch` (or creates the branch from `from`) without a working tree, the way a push
   * would land: `null` deletes a path (a file or a whole folder). Returns the new commit's sha. Works on bare
   * repositories. One `git fast-import` whatever the number of files (3,000 files: well under a second).
   */
  async commitFiles(
    branch: string,
    files: Record<string, string | Uint8Array | null>,
    options: { message?: string; from?: string; date?: number } = {},
  ): Promise<string> {
    const parent = (await this.resolveCommit(`refs/heads/${branch}`)) ?? (options.from ? await this.resolveCommit(options.from) : undefined);
    if (!parent && options.from) throw new Error(`commitFiles: "${options.from}" is not a commit`);
    const when = `${options.date ?? 1_700_000_000} +0000`;
    const message = Buffer.from(options.message ?? `Update ${branch}`);
    const stream: Buffer[] = [
      Buffer.from(`commit refs/heads/${branch}\n`),
      Buffer.from(`author GitHub <noreply@github.com> ${when}\ncommitter GitHub <noreply@github.com> ${when}\n`),
      Buffer.from(`data ${message.length}\n`),
      message,
      Buffer.from('\n'),
    ];
    if (parent) stream.push(Buffer.from(`from ${parent}\n`));
    for (const [path, content] of Object.entries(files)) {
      if (content === null) {
        stream.push(Buffer.from(`D ${quotePath(path)}\n`));
        continue;
      }
      const bytes = Buffer.from(content);
      stream.push(Buffer.from(`M 100644 inline ${quotePath(path)}\ndata ${bytes.length}\n`), bytes, Buffer.from('\n'));
    }
    stream.push(Buffer.from('\ndone\n'));
    await this.git(['fast-import', '--quiet', '--done', '--date-format=raw'], { input: Buffer.concat(stream) });
    const sha = await this.resolveCommit(`refs/heads/${branch}`);
    if (!sha) throw new Error(`commitFiles: ${branch} did not move`);
    return sha;
  }

}
