/**
 * The Drizzle folder's files and its journal (or, in the v1 layout, each migration folder's pair of files) disagree.
 * Drizzle's migrator reads only `meta/_journal.json`: a SQL file missing from it never runs; an entry without its file
 * fails the deploy; an entry without its snapshot makes the next `drizzle-kit generate` diff against an older state.
 * A problem that main already has is reported as pre-existing.
 */
import type { Report } from '../findings.js';
import { drizzleFolders, generateCommand } from '../drizzle/rule-helpers.js';
import type { DrizzleFolderAnalysis, DrizzleFolderSide } from '../drizzle/types.js';
import { markPreexisting } from './engine/fingerprint.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'drizzle-journal-mismatch',
  identity: { 'journal-missing': ['database', 'data.folder'], 'journal-missing-wrangler': ['database', 'data.folder'], 'journal-ignored': ['database', 'data.folder'], 'applier-unknown': ['database', 'data.folder'], 'entry-without-file': ['database', 'file', 'data.tag'], 'entry-without-snapshot': ['database', 'file', 'data.tag'], 'duplicate-tag': ['database', 'file', 'data.tag'], '*': ['database', 'file'] },
  defaultSeverity: 'error',
  description: "A Drizzle migration folder's SQL files, journal and snapshots don't match, so the migrator skips or fails.",
  messages: {
    'journal-missing': '{folder} holds {count} migration file(s) but no meta/_journal.json: Drizzle\'s migrator reads only the journal and runs none of them.',
    'journal-missing-wrangler':
      '{folder} is a drizzle-kit `out` folder without meta/_journal.json, and wrangler applies it: Safari reviews its {count} SQL file(s) as wrangler migrations.',
    'journal-ignored':
      '{folder} has no meta/_journal.json in the repository because {ignoredBy} git-ignores it: the journal stays on the machine that runs drizzle-kit. Safari replays the {count} SQL file(s) by name and cannot check them against the journal.',
    'applier-unknown':
      '{folder} may be applied by wrangler, which runs every .sql file by name and never reads the journal: {ignoredBy} git-ignores the wrangler config beside its drizzle config, so Safari cannot tell. Its journal problems are warnings.',
    'journal-unreadable': '{file} cannot be read as a Drizzle journal: {error}.',
    'sql-not-in-journal': '{file} is not in {journal} (no entry with tag "{tag}"): Drizzle\'s migrator will never run it.',
    'entry-without-file': 'Journal entry {idx} ("{tag}") has no {expected}: the migrator fails when it reaches it.',
    'entry-without-snapshot': 'Journal entry {idx} ("{tag}") has no snapshot {expected}: the next drizzle-kit generate diffs against an older schema.',
    'idx-gap': 'Journal entry "{tag}" has idx {idx} where {expected} was expected: entries must be numbered 0, 1, 2… in order.',
    'duplicate-tag': 'Tag "{tag}" appears {count} times in the journal: the migrator runs the same file twice.',
    'folder-without-sql': '{folder} has a snapshot.json but no migration.sql.',
    'folder-without-snapshot': '{folder} has a migration.sql but no snapshot.json: the next drizzle-kit generate diffs against an older schema.',
    'snapshot-unreadable': '{file} cannot be read as a Drizzle snapshot: {error}.',
  },
  fix: {
    'journal-missing': 'Restore meta/_journal.json from main and add this PR\'s entries to it. If the folder is really applied by another tool (wrangler), name it in that tool\'s config so Safari knows.',
    'journal-missing-wrangler':
      'Nothing to fix for wrangler, which applies every .sql file here by name. Keep the existing files; note that drizzle-kit, with no journal, would start its history over (a new 0000 migration re-creating existing tables), so generate elsewhere or write the SQL by hand.',
    'journal-ignored':
      'Nothing to fix if only that machine migrates. If CI or a teammate runs `drizzle-kit migrate`, commit meta/ (drop the line at {ignoredBy}): from a fresh clone, Drizzle\'s migrator reads no journal and runs none of these files.',
    'applier-unknown':
      'Commit the wrangler config (keep secrets in `.dev.vars` or `wrangler secret`), or name the folder\'s database in .github/safari.yml, so Safari knows which tool applies it.',
    'journal-unreadable': 'Restore the journal from main and re-add this PR\'s entries (or delete only this PR\'s new migrations and run `{command}`).',
    'sql-not-in-journal': 'Add the entry back to the journal (a lost merge side?). Only if the file is this PR\'s own new migration, you may instead delete it with its snapshot and run `{command}`.',
    'entry-without-file': 'Restore the missing file (from main, or the branch that generated it). Remove the entry only if it is this PR\'s own and never ran anywhere.',
    'entry-without-snapshot': 'Restore the snapshot. Only if the migration is this PR\'s own new one, you may instead delete it with its entry and run `{command}` again.',
    'idx-gap': 'Renumber the journal entries 0, 1, 2… in the order they must run (or regenerate the PR\'s migrations with `{command}`).',
    'duplicate-tag': 'Keep one entry per tag.',
    'folder-without-sql': 'Restore migration.sql. Only if the folder is this PR\'s own new migration, you may instead delete it and run `{command}`.',
    'folder-without-snapshot': 'Restore snapshot.json. Only if the folder is this PR\'s own new migration, you may instead delete it and run `{command}`.',
    'snapshot-unreadable': 'Restore the snapshot from the commit that generated it (or, for this PR\'s own new migration, regenerate it with `{command}`).',
  },
};

/** How the repository works (wrangler applies the folder, the journal is git-ignored): said once, as a notice. */
const ONCE = new Set(['journal-missing-wrangler', 'journal-ignored']);

function reportsOf(folder: DrizzleFolderAnalysis, side: DrizzleFolderSide, command: string): Report[] {
  const reports: Report[] = [];
  for (const problem of side.problems) {
    let messageId: string = problem.messageId;
    if (folder.applier === 'wrangler') {
      // wrangler runs every .sql file by name: a file the journal lacks still runs (drizzle-kit just doesn't know it),
      // an entry whose file was renamed or removed stops nothing (wrangler never reads the journal), and a folder
      // without any journal is wrangler's hand-written SQL, not a broken Drizzle folder.
      if (messageId === 'sql-not-in-journal' || messageId === 'entry-without-file') continue;
      if (messageId === 'journal-missing') messageId = 'journal-missing-wrangler';
    } else if (problem.messageId === 'journal-missing' && problem.data.ignoredBy) messageId = 'journal-ignored';
    reports.push({
      messageId,
      data: { ...problem.data, command },
      database: folder.database,
      file: problem.file,
      // Every finding about a file has a line: the journal entry's, else the file's first.
      line: ('line' in problem ? problem.line : undefined) ?? 1,
      ...(ONCE.has(messageId) ? { severity: 'notice' as const } : {}),
    });
  }
  return reports;
}

/** Problems that matter only to Drizzle's migrator: warnings when wrangler may be what applies the folder. */
const MIGRATOR_ONLY = new Set(['journal-missing', 'sql-not-in-journal', 'entry-without-file']);

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const folder of drizzleFolders(input)) {
    const command = generateCommand(folder);
    const unsure = (list: Report[]) =>
      folder.wranglerConfigIgnored ? list.map((r) => (MIGRATOR_ONLY.has(r.messageId) ? { ...r, severity: 'warning' as const } : r)) : list;
    const head = unsure(reportsOf(folder, folder.head, command));
    const base = folder.base ? unsure(reportsOf(folder, folder.base, command)) : [];
    if (folder.wranglerConfigIgnored && head.some((r) => MIGRATOR_ONLY.has(r.messageId))) {
      reports.push({
        messageId: 'applier-unknown',
        severity: 'notice',
        data: { folder: folder.folder, ignoredBy: folder.wranglerConfigIgnored },
        database: folder.database,
        file: folder.wranglerConfigIgnored.replace(/:\d+$/, ''),
        line: Number(/:(\d+)$/.exec(folder.wranglerConfigIgnored)?.[1] ?? 1),
        preexisting: base.some((r) => MIGRATOR_ONLY.has(r.messageId)),
      });
    }
    for (const report of markPreexisting(meta, head, base)) {
      // Said once, on the PR that creates the situation (adds the folder, the drizzle config naming it, or the journal's
      // absence); afterwards it is how the repository works, not news.
      if (ONCE.has(report.messageId)) {
        // The config is new, or the PR changed it (pointing its `out` here, as often happens): the situation is new.
        const configChanged = folder.configFile !== undefined && (!input.baseFiles.includes(folder.configFile) || input.touched.has(folder.configFile));
        if (report.preexisting && !configChanged) continue;
        reports.push({ ...report, preexisting: false });
        continue;
      }
      reports.push(report);
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
