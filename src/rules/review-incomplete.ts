/**
 * Reports what the review's limits left unreviewed: a database not replayed before the deadline or beyond
 * `limits.maxDatabases`, a replay that stopped (timeout, memory, a dead sandbox) before the PR's own migrations ran,
 * a schema.ts evaluation cut short or over `limits.maxSchemaEvaluations`, a code search that ran out of time, a file
 * over the read caps. A PR must not pass by being slow or big (or by main's being so): each item is reported at the
 * severity `limits.onIncomplete` asks for (failure → error, neutral → warning), and review.ts never concludes
 * `success` while one is open. The items are all known before the rules run (the code search is part of prepare).
 */
import type { Report } from '../findings.js';
import { formatBytes } from '../format-bytes.js';
import type { IncompleteItem, Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'review-incomplete',
  identity: ['database', 'file'],
  wording: ['them'],
  defaultSeverity: 'error',
  description:
    "Part of the review was not done within its limits (deadline, database and evaluation caps, read budget), or a replay stopped before the PR's migrations ran.",
  messages: {
    'deadline-replay': '{database} was not replayed within the review deadline of {seconds} s; it is not reviewed.',
    'replay-stopped': "The replay of {database} stopped at {stop} (see the replay-error finding there) before the PR's migrations ran: {files} {them} not reviewed.",
    'deadline-evaluation': 'The schema.ts of `{folder}` ({database}) was not evaluated within the review deadline of {seconds} s.',
    'deadline-code-search': 'The code search stopped at the review deadline of {seconds} s after {searched} of {total} files; references to dropped tables may be missing.',
    'database-cap': '{database} was not reviewed: a review replays at most {limit} databases.',
    'evaluation-cap': 'The schema.ts of `{folder}` ({database}) was not evaluated: a review runs at most {limit} evaluations.',
    'file-cap': '`{file}` is {size}, over the {limit} a review reads per file; it was not read.',
    'read-budget': '`{file}` ({size}) was not read: the review already read its budget of {limit}.',
  },
  fix: {
    'deadline-replay': 'Look for migrations that run for a long time; the base config can raise `limits.deadlineSeconds`.',
    'replay-stopped': 'Make the migration where the replay stopped finish (or `ignore` it if it is not applied by a migration tool), then review again.',
    'deadline-evaluation': 'Look for slow top-level code in schema.ts; the base config can raise `limits.deadlineSeconds`.',
    'deadline-code-search': 'The base config can raise `limits.deadlineSeconds`, or `ignore` generated code.',
    'database-cap': 'Split the change, or raise `limits.maxDatabases` in the base config.',
    'evaluation-cap': 'Split the change, or raise `limits.maxSchemaEvaluations` in the base config.',
    'file-cap': 'Keep generated or data files out of the repository, `ignore` them, or raise `limits.maxFileBytes`.',
    'read-budget': '`ignore` generated or vendored code, or raise `limits.maxReadBytes` in the base config.',
  },
};

function report(item: IncompleteItem, seconds: number): Report {
  switch (item.kind) {
    case 'deadline-replay':
    case 'database-cap':
      return { messageId: item.kind, database: item.database, data: { ...item, seconds } };
    case 'deadline-evaluation':
    case 'evaluation-cap':
      return { messageId: item.kind, database: item.database, file: item.folder, data: { ...item, seconds } };
    case 'deadline-code-search':
      return { messageId: item.kind, data: { ...item, seconds } };
    case 'replay-stopped': {
      const data = { database: item.database, stop: `${item.file}:${item.line}`, files: item.files, them: item.files.length === 1 ? 'is' : 'are' };
      return { messageId: item.kind, database: item.database, file: item.files[0], data };
    }
    case 'file-cap':
    case 'read-budget':
      return { messageId: item.kind, file: item.file, data: { file: item.file, size: formatBytes(item.bytes), limit: formatBytes(item.limit) } };
  }
}

export function check(input: RuleInput): Report[] {
  const seconds = input.limits?.deadlineSeconds ?? 0;
  const severity = input.limits?.onIncomplete === 'neutral' ? 'warning' : 'error';
  const seen = new Set<string>();
  const reports: Report[] = [];
  for (const item of input.incomplete ?? []) {
    const key = JSON.stringify(item);
    if (seen.has(key)) continue;
    seen.add(key);
    reports.push({ ...report(item, seconds), severity });
  }
  return reports;
}

export default { meta, check } satisfies Rule;
