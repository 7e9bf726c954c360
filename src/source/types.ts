/**
 * The file-source interface. The CLI implements it over a local git checkout (`git.ts`); the GitHub App implements
 * the same interface over the GitHub API. Nothing above this layer knows where files come from.
 */

/** One revision's file tree. Paths are repository-relative, POSIX separators, no leading `./`. */
export interface Tree {
  /** A commit or tree id, for reports and cache keys. */
  readonly id: string;
  /** Every file path in the tree (blobs only), sorted. */
  list(): Promise<string[]>;
  /**
   * Reads files as lenient UTF-8 (invalid sequences become U+FFFD; NUL bytes are kept, so binary content reads as
   * text holding `\0`: callers that need text check for it). A path that doesn't exist maps to undefined.
   */
  read(paths: string[]): Promise<Map<string, string | undefined>>;
  /**
   * Each file's size in bytes, without reading it (git: `ls-tree -l`; the GitHub API: the tree entry's `size`);
   * undefined for a path that doesn't exist. A PR controls its files' sizes: callers check before they read.
   */
  sizes(paths: string[]): Promise<Map<string, number | undefined>>;
  /**
   * Which of a few paths exist, where the source can tell without listing the whole tree (git: one lookup per path
   * through its cat-file process). Without it, callers use `sizes`.
   */
  has?(paths: string[]): Promise<Set<string>>;
}

/** true when a file read through a Tree holds a NUL byte: binary, for every reader that expects text. */
export const isBinaryText = (text: string): boolean => text.includes('\0');

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface FileChange {
  path: string;
  status: ChangeStatus;
  /** For renames: the path the file had on the merge-base. */
  oldPath?: string;
}

/**
 * What a review looks at. `head` is NOT the raw PR tip: it is base tip + the PR's own changes (what main will hold
 * after the merge). `changes` are the PR's own changes (merge-base → PR tip).
 */
export interface ReviewSource {
  base: Tree;
  head: Tree;
  /** The commit ids as the user knows them (base tip, PR tip). */
  baseSha: string;
  headSha: string;
  mergeBaseSha: string;
  /**
   * The merge-base's tree, when the source can give it: tells a file that reached main after the PR branched from one
   * that was there before (duplicate-number's "taken meanwhile"). Without it, rules don't claim "meanwhile".
   */
  mergeBase?: Tree;
  changes: FileChange[];
  /** Files changed on both sides whose three-way merge conflicted; `head` holds the PR's version of them. */
  conflicts: string[];
  /** Where the PR comes from; `fork` PRs get no schema.ts evaluation by default. */
  origin: 'local' | 'same-repo' | 'fork';
  close?(): Promise<void>;
}
