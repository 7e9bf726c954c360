/**
 * Reads one side of a Drizzle migrations folder from a file list (never the disk): its layout, journal, snapshots and
 * the problems between them. Both layouts:
 * - legacy (drizzle-kit 0.x): `<out>/NNNN_tag.sql`, `<out>/meta/_journal.json`, `<out>/meta/NNNN_snapshot.json`;
 * - v1 (drizzle-kit 1.x): `<out>/<YYYYMMDDHHmmss>_<name>/{migration.sql,snapshot.json}`, no journal.
 */
import { ignoredBy } from '../discover/gitignore.js';
import { normalizeSnapshot } from './normalize.js';
import type { BrokenSnapshot, DrizzleFolderSide, Journal, JournalEntry, JournalProblem, Snapshot } from './types.js';

export const ROOT_SNAPSHOT_ID = '00000000-0000-0000-0000-000000000000';

/** Lines of `"tag": "<tag>"` in the journal text, in order, so duplicate tags each get their own line. */
function tagLines(text: string): Map<string, number[]> {
  const lines = new Map<string, number[]>();
  text.split('\n').forEach((l, i) => {
    const m = /"tag"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(l);
    if (m) (lines.get(m[1]) ?? lines.set(m[1], []).get(m[1])!).push(i + 1);
  });
  return lines;
}

function parseJournal(path: string, text: string): { journal?: Journal; problem?: JournalProblem } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    return { problem: { messageId: 'journal-unreadable', file: path, line, data: { file: path, error: msg.split('\n')[0] } } };
  }
  const entries = (json as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) {
    return { problem: { messageId: 'journal-unreadable', file: path, data: { file: path, error: 'it has no "entries" list' } } };
  }
  const lines = tagLines(text);
  const seen = new Map<string, number>();
  const out: JournalEntry[] = [];
  for (const [i, e] of entries.entries()) {
    const entry = e as { idx?: unknown; when?: unknown; tag?: unknown };
    if (typeof entry?.tag !== 'string' || typeof entry.idx !== 'number') {
      return { problem: { messageId: 'journal-unreadable', file: path, data: { file: path, error: `entry ${i} has no numeric "idx" and string "tag"` } } };
    }
    const n = seen.get(entry.tag) ?? 0;
    seen.set(entry.tag, n + 1);
    out.push({ idx: entry.idx, when: typeof entry.when === 'number' ? entry.when : 0, tag: entry.tag, line: lines.get(entry.tag)?.[n] ?? 1 });
  }
  return { journal: { path, entries: out } };
}

function readSnapshot(path: string, key: string, text: string): Snapshot | BrokenSnapshot {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (typeof json !== 'object' || json === null) return { path, message: 'not a JSON object' };
    if (typeof json.id !== 'string') return { path, message: 'it has no "id"' };
    const prevIds = Array.isArray(json.prevIds)
      ? json.prevIds.filter((p): p is string => typeof p === 'string')
      : typeof json.prevId === 'string'
        ? [json.prevId]
        : null;
    if (!prevIds) return { path, message: 'it has no "prevId"/"prevIds"' };
    return { path, id: json.id, prevIds, key, json, schema: normalizeSnapshot(json) };
  } catch (e) {
    return { path, message: (e as Error).message.split('\n')[0] };
  }
}

/** The one snapshot no other snapshot names as parent; undefined when none or several (a collision). */
export function chainTip(snapshots: readonly Snapshot[]): Snapshot | undefined {
  const parents = new Set(snapshots.flatMap((s) => s.prevIds));
  const tips = snapshots.filter((s) => !parents.has(s.id));
  return tips.length === 1 ? tips[0] : undefined;
}

export async function readDrizzleFolder(
  folder: string,
  files: readonly string[],
  read: (path: string) => Promise<string | undefined>,
): Promise<DrizzleFolderSide | undefined> {
  const prefix = folder === '' || folder === '.' ? '' : `${folder.replace(/\/+$/, '')}/`;
  const fileSet = new Set(files);
  const inside = files.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
  if (inside.length === 0) return undefined;
  const journalPath = `${prefix}meta/_journal.json`;
  const legacySql = inside.filter((f) => /^[^/]+\.sql$/.test(f));
  const v1Dirs = new Map<string, { sql?: string; snapshot?: string }>();
  for (const f of inside) {
    const m = /^(\d{14}_[^/]+)\/(migration\.sql|snapshot\.json)$/.exec(f);
    if (!m) continue;
    const d = v1Dirs.get(m[1]) ?? v1Dirs.set(m[1], {}).get(m[1])!;
    if (m[2] === 'migration.sql') d.sql = prefix + f;
    else d.snapshot = prefix + f;
  }
  const hasJournal = inside.includes('meta/_journal.json');
  if (!hasJournal && legacySql.length === 0 && v1Dirs.size > 0) return readV1(prefix, v1Dirs, read);
  if (!hasJournal && legacySql.length === 0 && !inside.some((f) => /^meta\/[^/]*_snapshot\.json$/.test(f))) return undefined;

  const problems: JournalProblem[] = [];
  const sqlFiles = legacySql.map((f) => prefix + f).sort();
  let journal: Journal | undefined;
  if (!hasJournal) {
    // A journal the repository git-ignores lives on the developer's machine on purpose: not a lost one.
    const ignored = await ignoredBy(journalPath, files, read);
    problems.push({
      messageId: 'journal-missing',
      file: sqlFiles[0] ?? journalPath,
      data: { folder: folder || '.', count: sqlFiles.length, ...(ignored ? { ignoredBy: ignored } : {}) },
    });
  } else {
    const parsed = parseJournal(journalPath, (await read(journalPath)) ?? '');
    journal = parsed.journal;
    if (parsed.problem) problems.push(parsed.problem);
  }
  const snapshotFiles = inside.filter((f) => /^meta\/[^/]*_snapshot\.json$/.test(f));
  const snapshots: Snapshot[] = [];
  // Read together: over the GitHub API each read is a request.
  const sortedSnapshots = snapshotFiles.sort();
  const texts = await Promise.all(sortedSnapshots.map((f) => read(prefix + f)));
  for (const [i, f] of sortedSnapshots.entries()) {
    const s = readSnapshot(prefix + f, f.slice('meta/'.length, -'_snapshot.json'.length), texts[i] ?? '');
    if ('id' in s) snapshots.push(s);
    else problems.push({ messageId: 'snapshot-unreadable', file: s.path, data: { file: s.path, error: s.message } });
  }
  if (journal) {
    const tags = new Set(journal.entries.map((e) => e.tag));
    for (const f of sqlFiles) {
      const tag = f.slice(prefix.length, -'.sql'.length);
      if (!tags.has(tag)) problems.push({ messageId: 'sql-not-in-journal', file: f, data: { file: f, journal: journalPath, tag } });
    }
    const counts = new Map<string, number>();
    for (const e of journal.entries) counts.set(e.tag, (counts.get(e.tag) ?? 0) + 1);
    const reported = new Set<string>();
    let gapReported = false;
    const snapshotKeys = new Set(snapshotFiles.map((f) => f.slice('meta/'.length, -'_snapshot.json'.length)));
    journal.entries.forEach((e, i) => {
      if ((counts.get(e.tag) ?? 0) > 1 && !reported.has(e.tag)) {
        reported.add(e.tag);
        problems.push({ messageId: 'duplicate-tag', file: journalPath, line: e.line, data: { tag: e.tag, count: counts.get(e.tag)! } });
      }
      // Only the first break: every later entry is off by the same amount and would repeat it.
      if (e.idx !== i && !gapReported) {
        gapReported = true;
        problems.push({ messageId: 'idx-gap', file: journalPath, line: e.line, data: { tag: e.tag, idx: e.idx, expected: i } });
      }
      const sql = `${prefix}${e.tag}.sql`;
      if (!fileSet.has(sql)) problems.push({ messageId: 'entry-without-file', file: journalPath, line: e.line, data: { tag: e.tag, idx: e.idx, expected: sql } });
      const key = e.tag.split('_')[0];
      if (!snapshotKeys.has(key)) {
        problems.push({ messageId: 'entry-without-snapshot', file: journalPath, line: e.line, data: { tag: e.tag, idx: e.idx, expected: `${prefix}meta/${key}_snapshot.json` } });
      }
    });
  }
  return { layout: 'legacy', journal, sqlFiles, snapshots, problems, latest: chainTip(snapshots) };
}

async function readV1(
  prefix: string,
  dirs: Map<string, { sql?: string; snapshot?: string }>,
  read: (path: string) => Promise<string | undefined>,
): Promise<DrizzleFolderSide> {
  const problems: JournalProblem[] = [];
  const snapshots: Snapshot[] = [];
  const sqlFiles: string[] = [];
  const names = [...dirs.keys()].sort();
  const texts = await Promise.all(names.map((n) => (dirs.get(n)!.snapshot ? read(dirs.get(n)!.snapshot!) : undefined)));
  for (const [i, name] of names.entries()) {
    const d = dirs.get(name)!;
    const folder = prefix + name;
    if (d.sql) sqlFiles.push(d.sql);
    else problems.push({ messageId: 'folder-without-sql', file: d.snapshot!, data: { folder } });
    if (!d.snapshot) {
      problems.push({ messageId: 'folder-without-snapshot', file: d.sql!, data: { folder } });
      continue;
    }
    const s = readSnapshot(d.snapshot, name, texts[i] ?? '');
    if ('id' in s) snapshots.push(s);
    else problems.push({ messageId: 'snapshot-unreadable', file: s.path, data: { file: s.path, error: s.message } });
  }
  return { layout: 'v1', sqlFiles, snapshots, problems, latest: chainTip(snapshots) };
}
