/**
 * What SQLite accepts but D1 refuses or ignores. These statements are skipped during replay (as D1 would refuse or
 * ignore them) and reported here instead of as replay failures.
 */
import type { Report } from '../findings.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'd1-compatibility',
  identity: ['database', 'file', 'data.statement'],
  defaultSeverity: 'warning',
  description: 'A statement that SQLite accepts but Cloudflare D1 refuses or silently ignores.',
  messages: {
    'transaction-statement':
      'D1 refuses `{statement}`: it runs each migration in a transaction itself, so explicit transaction statements fail the deploy.',
    'foreign-keys-pragma':
      'D1 ignores `{statement}` and always enforces foreign keys; rows will cascade or fail as if it were not there.',
  },
  fix: {
    'transaction-statement': 'Remove BEGIN/COMMIT/ROLLBACK/SAVEPOINT statements from the migration.',
    'foreign-keys-pragma': 'Use `PRAGMA defer_foreign_keys = true;` to defer checks until the migration commits.',
  },
};

/**
 * D1 always enforces foreign keys, so only a pragma that tries to turn them off misleads anyone. `foreign_keys = ON`
 * (every Drizzle rebuild ends with it) and a bare read do what D1 does anyway.
 *
 * Whitespace and quotes are dropped first, so the pattern has no adjacent `\s*` to backtrack over: the statement is
 * the PR's text, and a pattern with them took 67 ms on one 500-character statement (minutes for a file of them).
 */
const FOREIGN_KEYS_ON_OR_READ = /^pragma(?:main\.)?foreign_keys(?:=(?:on|1|true|yes)|\((?:on|1|true|yes)\)?)?;?$/;
const isForeignKeysOnOrRead = (statement: string): boolean =>
  FOREIGN_KEYS_ON_OR_READ.test(statement.toLowerCase().replace(/[\s"'`[\]]/g, ''));

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    if (db.spec.dialect !== 'd1') continue;
    // The same statement in the same file on main is main's problem, even when the PR edits that file.
    const onMain = new Set(db.base.replay.compatibility.map((n) => `${n.file}\n${n.messageId}\n${n.statement}`));
    for (const note of db.head.replay.compatibility) {
      if (isForeignKeysOnOrRead(note.statement)) continue; // (a transaction statement never reads as one)
      const touched = input.touched.has(note.file) && !onMain.has(`${note.file}\n${note.messageId}\n${note.statement}`);
      reports.push({
        messageId: note.messageId,
        data: { statement: note.statement.replace(/\s+/g, ' ').slice(0, 120) },
        database: db.spec.name,
        file: note.file,
        line: note.line,
        severity: note.messageId === 'transaction-statement' ? 'error' : 'warning',
        preexisting: !touched,
      });
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
