/**
 * The PR's migration files that the review did not replay: .sql files in a folder no config names (unattributed), or
 * in a database Safari does not replay (a PostgreSQL / MySQL Drizzle folder, a dialect it can't read). A green check
 * must mean "reviewed and fine", so such a PR is at best neutral, and each folder comes with the one line of
 * .github/safari.yml that settles it.
 */
import type { FileChange } from '../source/types.js';
import { ignoreMatcher } from './file-index.js';
import { baseName, folderOf, isWithin } from './paths.js';
import type { Discovery } from './types.js';

export interface NotReviewedFolder {
  folder: string;
  /** The PR's .sql files in it, repo-relative. */
  files: string[];
  /** Set when the folder belongs to a database Safari does not replay. */
  database?: string;
  /** Why it was not replayed (the database's reason, or "no config names it"). */
  reason: string;
  /** One line of .github/safari.yml that makes the next review cover it (or say it is reviewed elsewhere). */
  configLine: string;
}

const quoteYaml = (s: string) => (/^[\w./-]+$/.test(s) ? s : JSON.stringify(s));

export function notReviewedFolders(changes: FileChange[], discovery: Discovery, ignore: readonly string[] = []): NotReviewedFolder[] {
  const ignored = ignoreMatcher(ignore);
  const names = new Set(discovery.databases.map((d) => d.name));
  const byFolder = new Map<string, NotReviewedFolder>();
  for (const change of changes) {
    const path = change.path;
    if (!path.toLowerCase().endsWith('.sql') || ignored(path)) continue;
    const entry = folderEntry(path, discovery, names);
    if (!entry) continue;
    const known = byFolder.get(entry.folder);
    if (known) known.files.push(path);
    else byFolder.set(entry.folder, { ...entry, files: [path] });
  }
  return [...byFolder.values()].sort((a, b) => (a.folder < b.folder ? -1 : 1));
}

function folderEntry(path: string, discovery: Discovery, names: Set<string>): Omit<NotReviewedFolder, 'files'> | undefined {
  // The innermost folder holding the file decides (a PR that moves `drizzle/` to `drizzle/migrations/`).
  const holders = discovery.databases
    .flatMap((db) => db.sources.filter((s) => isWithin(s.path, path)).map((source) => ({ db, source })))
    .sort((a, b) => b.source.path.length - a.source.path.length);
  const innermost = holders[0];
  const reason = innermost?.db.notReplayed;
  if (innermost && reason) {
    const db = innermost.db;
    const folder = innermost.source.path;
    // A dialect Safari can't replay is reviewed elsewhere or not at all: only the team can say which.
    const otherEngine = /dialect is "|driver is "/.test(reason) && !/"(sqlite|turso|d1)/.test(reason);
    const configLine = otherEngine
      ? `ignore: [${quoteYaml(folder)}]`
      : `databases: { ${quoteYaml(db.name)}: { migrations: [${quoteYaml(folder)}], dialect: sqlite } }`;
    return { folder, database: db.name, reason, configLine };
  }
  const replayed = discovery.databases.filter((db) => !db.notReplayed);
  // The unattributed folder holding the file, unless a replayed folder lies between them (that folder applies it).
  const folder = discovery.unattributed.find(
    (f) => folderOf(path) === f || (isWithin(f, path) && !replayed.some((db) => db.sources.some((s) => isWithin(f, s.path) && isWithin(s.path, path)))),
  );
  if (folder === undefined) return undefined;
  const unnamed = 'no wrangler, drizzle or safari.yml config names its folder';
  // Nested in a database's folder (a hand-applied `migrations/manual`): that database's folders, plus this one.
  const parent = replayed.find((db) => db.sources.some((s) => isWithin(s.path, folder)));
  if (parent) {
    const folders = [...parent.sources.map((s) => s.path), folder].map(quoteYaml).join(', ');
    return { folder, reason: unnamed, configLine: `databases: { ${quoteYaml(parent.name)}: { migrations: [${folders}] } }` };
  }
  let name = baseName(folderOf(folder)) || baseName(folder) || 'migrations';
  if (names.has(name)) name = folder.replace(/\//g, '-');
  return { folder, reason: unnamed, configLine: `databases: { ${quoteYaml(name)}: { migrations: [${quoteYaml(folder)}] } }` };
}
