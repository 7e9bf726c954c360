/**
 * Whether a path is git-ignored by the `.gitignore` files of a tree, and by which line: a Drizzle folder whose `meta/`
 * is ignored keeps its journal on the developer's machine on purpose, which is not the same as a lost journal.
 *
 * The subset of gitignore(5) real repositories use: comments, `!` negation (the last matching line wins), a trailing
 * `/` for folders only, a pattern with an inner `/` anchored to its file's folder, otherwise matched at any depth, and
 * a folder that is ignored hides everything inside it. Patterns go through picomatch, only in the shapes safe-glob.ts
 * accepts (the file is the PR's), and a file that can't be read ignores nothing.
 */
import picomatch from 'picomatch';
import { folderOf, isWithin, relativeTo } from './paths.js';
import { unsafeGlob } from './safe-glob.js';

const MAX_LINES = 2_000;

interface IgnoreLine {
  match: (path: string) => boolean;
  negate: boolean;
  folderOnly: boolean;
  /** `.gitignore:51` */
  where: string;
}

function linesOf(file: string, text: string): IgnoreLine[] {
  const out: IgnoreLine[] = [];
  for (const [i, raw] of text.split('\n').slice(0, MAX_LINES).entries()) {
    let pattern = raw.replace(/\r$/, '').replace(/(?<!\\)\s+$/, '');
    if (pattern === '' || pattern.startsWith('#')) continue;
    const negate = pattern.startsWith('!');
    if (negate) pattern = pattern.slice(1);
    const folderOnly = pattern.endsWith('/');
    pattern = pattern.replace(/\/+$/, '');
    const anchored = pattern.includes('/');
    pattern = pattern.replace(/^\//, '');
    if (pattern === '' || unsafeGlob(pattern)) continue;
    const glob = anchored ? pattern : `**/${pattern}`;
    out.push({ match: picomatch(glob, { dot: true }), negate, folderOnly, where: `${file}:${i + 1}` });
  }
  return out;
}

/**
 * The `.gitignore` line that ignores `path` (`.gitignore:51`), or undefined when none does. `files` lists the tree;
 * `read` gives a file's text.
 */
export async function ignoredBy(
  path: string,
  files: readonly string[],
  read: (path: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  const ignoreFiles = files.filter((f) => (f === '.gitignore' || f.endsWith('/.gitignore')) && isWithin(folderOf(f), path)).sort((a, b) => a.length - b.length);
  if (ignoreFiles.length === 0) return undefined;
  const rules = (await Promise.all(ignoreFiles.map(async (f) => ({ folder: folderOf(f), lines: linesOf(f, (await read(f)) ?? '') })))).filter((r) => r.lines.length > 0);
  // Each folder on the way down, then the path itself: an ignored folder hides all it holds.
  const segments = path.split('/');
  for (let depth = 1; depth <= segments.length; depth++) {
    const prefix = segments.slice(0, depth).join('/');
    const isFolder = depth < segments.length;
    let verdict: string | undefined;
    for (const { folder, lines } of rules) {
      const relative = relativeTo(folder, prefix);
      if (relative === undefined || relative === '') continue;
      for (const line of lines) {
        if (line.folderOnly && !isFolder) continue;
        if (line.match(relative)) verdict = line.negate ? undefined : line.where;
      }
    }
    if (verdict !== undefined) return verdict;
  }
  return undefined;
}
