/**
 * Turns replay failures into findings. A failure in a file the PR added or changed is the PR's; a failure that
 * already happens on base the same way (same file, statement and message) is "already on main", even in a file the PR
 * edits; a failure that appears only after the PR's changes in an untouched file (a later migration broken by the PR)
 * is still the PR's.
 */
import type { Report } from '../findings.js';
import type { ReplayFailure } from '../replay/types.js';
import { formatBytes } from '../format-bytes.js';
import { findTable } from './shared/tables.js';
import type { DatabaseReview, Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'replay-error',
  identity: { missingOnMain: ['database', 'file', 'data.object'], '*': ['database', 'file', 'data.statement', 'data.message'] },
  defaultSeverity: 'error',
  description: 'A migration fails when replayed into SQLite (or is refused by the sandbox).',
  messages: {
    sql: 'SQLite refuses `{statement}`: {message}{more}',
    refused: 'Safari will not run `{statement}`: {message}{more}',
    timeout: 'Replay of {database} stopped at `{statement}`: {message}',
    memory: 'Replay of {database} ran out of memory at `{statement}`: {message}',
    crashed: 'Replay of {database} crashed at `{statement}`: {message}',
    incomplete: 'The file ends inside an unterminated statement: `{statement}`',
    missingOnMain:
      'SQLite refuses `{statement}`: {message}. Main\'s replay already fails on the same missing {kind} `{object}` ({mainFile}:{mainLine}), so these migrations rely on something outside them; this is not the PR\'s error.',
    missingBaseline:
      'SQLite refuses `{statement}`: {message}. No migration of {database} creates `{object}`, and {where}: these migrations start from a schema applied outside them (a `schema.sql` run by hand?), so Safari cannot replay them as written.',
    brokenByPr: 'After this PR, SQLite refuses `{statement}` in a migration the PR did not touch: {message}{more}',
    tooLarge: 'This migration is {size}, over the {limit} Safari reviews; it was not read or replayed, so {database} is not reviewed past it',
    unreadable: 'This migration could not be read; it was not replayed, so {database} is not reviewed past it',
    nulByte: 'SQLite stops reading this migration at the NUL byte on line {line}: only the text before it runs (that is what Safari replayed)',
  },
  fix: {
    sql: 'Fix the statement so it runs on a database built from all earlier migrations; test with `safari review`.',
    refused: 'Remove the statement: migrations may not attach files, vacuum, or change storage pragmas.',
    timeout: 'Look for runaway recursive queries or huge data statements; migrations should finish in seconds.',
    memory: 'Avoid statements that allocate hundreds of megabytes in a migration.',
    crashed: 'Report this to the Safari maintainers with the statement if it is not an obviously hostile migration.',
    incomplete: 'Terminate the last statement with `;` (or `END;` for a trigger).',
    missingOnMain:
      'Tell Safari where the database starts: add `baseline: [path/to/schema.sql]` under `databases.{database}` in .github/safari.yml (files replayed before the migrations), or add a migration that creates `{object}`.',
    missingBaseline:
      'Tell Safari where the database starts: add `baseline: [path/to/schema.sql]` under `databases.{database}` in .github/safari.yml (files replayed before the migrations). If these files are run by hand with `wrangler d1 execute`, list the folder under `ignore` instead.',
    brokenByPr: "An earlier change in this PR breaks this migration; adjust the PR's migration so later ones still apply.",
    tooLarge: 'Split the migration, or move bulk data out of migrations; the base config can raise `limits.maxMigrationBytes`.',
    unreadable: 'Check the file is a regular file in the repository (not a broken symlink or a submodule).',
    nulByte: 'Remove the NUL byte: text after it is invisible to SQLite but not to reviewers.',
  },
  wording: ['more', 'kind'],
  // What the sandbox refused or had to stop is never acknowledged, inline or by command.
  unacknowledgeable: ['refused', 'timeout', 'memory', 'crashed'],
};

const SHORT = 160;
const shorten = (s: string) => (s.length > SHORT ? `${s.slice(0, SHORT - 1)}…` : s).replace(/\s+/g, ' ');

/**
 * `no such table: main.users` → table `users`: the object a statement needed and didn't find, or that a view or trigger
 * already needed before an ALTER TABLE re-checked it (`error in view v: no such table: main.users`; one the ALTER itself
 * broke reads `error in view v after drop column: …` and is the statement's fault). Only SQLite's own messages read so:
 * the gate's, the sandbox's and the replay's (the other failure kinds) are Safari's words.
 */
function missingObject(message: string): { kind: string; name: string } | undefined {
  const m = /^(?:error in (?:view|trigger) \S+: )?no such (table|column|index|view|trigger|collation sequence|function): (?:main\.)?(\S+)/i.exec(message);
  return m ? { kind: m[1].toLowerCase(), name: m[2].replace(/^["`[]|["`\]]$/g, '').toLowerCase() } : undefined;
}

/**
 * Why a database's migrations evidently start from a schema kept outside them, or undefined: the failing statement is
 * in the very first migration, or main's replay already fails in its first migration on a table no migration creates.
 */
function baselineEvidence(db: DatabaseReview, failure: ReplayFailure): string | undefined {
  if (db.head.files[0]?.path === failure.file) return 'this is its first migration';
  const first = db.base.files[0]?.path;
  const mainGap = db.base.replay.failures.find((b) => {
    const object = b.file === first ? missingObject(b.message) : undefined;
    return object?.kind === 'table' && !findTable(db.base.replay.schema, object.name);
  });
  return mainGap ? `main's first migration already fails the same way (${mainGap.file}:${mainGap.line}: ${mainGap.message})` : undefined;
}

const sameFailure = (a: ReplayFailure, b: ReplayFailure) =>
  a.file === b.file && a.kind === b.kind && a.statement === b.statement && a.message === b.message;

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    for (const failure of db.head.replay.failures) {
      const touched = input.touched.has(failure.file);
      const onBase = db.base.replay.failures.some((b) => sameFailure(b, failure));
      const data = {
        statement: shorten(failure.statement),
        message: failure.message,
        database: db.spec.name,
        more: failure.more > 0 ? ` (and ${failure.more} more failure${failure.more === 1 ? '' : 's'} in this file)` : '',
      };
      // A PR statement failing on an object main's replay already misses: main's setup, not the PR's error.
      const missing = onBase ? undefined : missingObject(failure.message);
      const onMain = missing && db.base.replay.failures.find((b) => {
        const other = missingObject(b.message);
        return other?.kind === missing.kind && other.name === missing.name;
      });
      if (missing && onMain) {
        reports.push({
          messageId: 'missingOnMain',
          severity: 'warning',
          data: { ...data, kind: missing.kind, object: missing.name, mainFile: onMain.file, mainLine: onMain.line },
          database: db.spec.name,
          file: failure.file,
          line: failure.line,
        });
        continue;
      }
      // The first migration (or main's) already needs a table none of them creates: the schema starts outside them.
      if (missing?.kind === 'table' && !findTable(db.head.replay.schema, missing.name)) {
        const where = baselineEvidence(db, failure);
        if (where) {
          reports.push({
            messageId: 'missingBaseline',
            severity: 'warning',
            data: { ...data, object: missing.name, where },
            database: db.spec.name,
            file: failure.file,
            line: failure.line,
          });
          continue;
        }
      }
      const messageId = failure.kind === 'sql' && !touched && !onBase ? 'brokenByPr' : failure.kind;
      reports.push({
        messageId,
        data,
        database: db.spec.name,
        file: failure.file,
        line: failure.line,
        // The same failure on main stays main's, even when the PR edits that file (say, only its comments).
        preexisting: onBase,
      });
    }
  }
  reports.push(...unreviewedFiles(input));
  return reports;
}

/**
 * Migrations the replay could not take as written (too large, unreadable, cut at a NUL byte). Never silently skipped:
 * each is reported, the PR's when it added or changed the file, else already on main when base has it the same way.
 */
function unreviewedFiles(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    for (const file of db.head.files) {
      const problem = file.unread?.reason ?? (file.nulLine !== undefined ? 'nul' : undefined);
      if (!problem) continue;
      const onBase = db.base.files.find((b) => b.path === file.path);
      const same = onBase !== undefined && (onBase.unread?.reason ?? (onBase.nulLine !== undefined ? 'nul' : undefined)) === problem;
      const preexisting = same && !input.touched.has(file.path);
      const base = { database: db.spec.name, file: file.path, preexisting };
      if (file.unread?.reason === 'too-large') {
        const data = { size: formatBytes(file.unread.bytes), limit: formatBytes(file.unread.limit), database: db.spec.name };
        reports.push({ ...base, messageId: 'tooLarge', data });
      } else if (file.unread) reports.push({ ...base, messageId: 'unreadable', data: { database: db.spec.name } });
      else reports.push({ ...base, messageId: 'nulByte', line: file.nulLine, data: { line: file.nulLine! } });
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
