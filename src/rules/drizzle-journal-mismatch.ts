/**
 * The Drizzle folder's files and its journal (or, in the v1 layout, each migration folder's pair of files) disagree.
 * Drizzle's migrator reads only `meta/_journal.json`: a SQL file missing from it never runs; an entry without its file
 * fails the deploy; an entry without its snapshot makes the next `drizzle-kit generate` diff against an older state.
 * A problem that main already has is reported as pre-existing.
 */
import type { Report } from '../findings.js';
import { drizzleFolders, generateCommand } from '../drizzle/rule-helpers.js';
import type { JournalProblem } from '../drizzle/types.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'drizzle-journal-mismatch',
  defaultSeverity: 'error',
  description: "A Drizzle migration folder's SQL files, journal and snapshots don't match, so the migrator skips or fails.",
  messages: {
    'journal-missing': '{folder} holds {count} migration file(s) but no meta/_journal.json: Drizzle\'s migrator reads only the journal and runs none of them.',
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
    'journal-missing': 'Restore meta/_journal.json from main, or delete the folder\'s migrations and run `{command}`.',
    'journal-unreadable': 'Restore the journal from main and re-add the PR\'s entries (or delete the PR\'s migrations and run `{command}`).',
    'sql-not-in-journal': 'Add the entry back to the journal (a lost merge side?), or delete the file and its snapshot and run `{command}`.',
    'entry-without-file': 'Restore the missing file, or remove the entry and its snapshot and run `{command}`.',
    'entry-without-snapshot': 'Restore the snapshot, or delete the migration and its entry and run `{command}` again.',
    'idx-gap': 'Renumber the journal entries 0, 1, 2… in the order they must run (or regenerate the PR\'s migrations with `{command}`).',
    'duplicate-tag': 'Keep one entry per tag.',
    'folder-without-sql': 'Restore migration.sql, or delete the folder and run `{command}`.',
    'folder-without-snapshot': 'Restore snapshot.json, or delete the folder and run `{command}`.',
    'snapshot-unreadable': 'Restore the snapshot from the commit that generated it, or regenerate the migration with `{command}`.',
  },
};

const key = (p: JournalProblem): string => `${p.messageId}\u0000${p.file}\u0000${JSON.stringify(p.data)}`;

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const folder of drizzleFolders(input)) {
    const onBase = new Set((folder.base?.problems ?? []).map(key));
    const command = generateCommand(folder);
    for (const problem of folder.head.problems) {
      // wrangler runs every .sql file by name: a file the journal lacks still runs (drizzle-kit just doesn't know it).
      if (folder.applier === 'wrangler' && problem.messageId === 'sql-not-in-journal') continue;
      reports.push({
        messageId: problem.messageId,
        data: { ...problem.data, command },
        database: folder.database,
        file: problem.file,
        line: 'line' in problem ? problem.line : undefined,
        preexisting: onBase.has(key(problem)),
      });
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
