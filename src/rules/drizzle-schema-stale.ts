/**
 * The PR changed the Drizzle schema source, but generating a migration from it against the latest committed snapshot
 * would still produce statements: someone forgot `drizzle-kit generate` (drizzle-orm #5059 — Drizzle has no check for
 * this). The evaluation itself happens before the rules, in the sandbox (src/drizzle/analyze.ts); this rule reports its
 * outcome, including why it could not run. A schema that can't be evaluated hides staleness, so when the PR touched
 * one of its files, the failure is a warning (`drizzle.evaluationFailure` on base); otherwise a notice. What the
 * sandbox stopped (a refused operation, time, memory, a crash) can never be acknowledged.
 */
import type { Report } from '../findings.js';
import { capLines, drizzleFolders, generateCommand } from '../drizzle/rule-helpers.js';
import { lineDiff } from './history/line-diff.js';
import type { Rule, RuleContext, RuleInput, RuleMeta, RuleNeeds } from './types.js';

export const meta: RuleMeta = {
  id: 'drizzle-schema-stale',
  identity: { stale: ['database', 'data.schema'], missing: ['database', 'data.schema'], 'missing-hand': ['database', 'data.schema'], 'evaluation-failed': ['database', 'data.folder'], '*': ['database', 'data.schema'] },
  defaultSeverity: 'error',
  description: 'The PR changed the Drizzle schema but did not generate the migration for it.',
  messages: {
    stale: 'The schema in {schema} differs from the latest snapshot {snapshot} in {count} place(s), and no migration in this PR covers it: drizzle-kit generate was not run.',
    missing:
      'The schema in {schema} differs in {count} place(s) from what the SQL in `{folder}/` creates (the folder holds hand-written migrations, so Safari compared the schema with the replayed SQL), and no migration in this PR covers it.',
    'missing-hand':
      'The schema in {schema} differs in {count} place(s) from what the SQL in `{folder}/` creates (the folder holds hand-written migrations, so Safari compared the schema with the replayed SQL), and no migration in this PR covers it.',
    'evaluation-failed': 'Safari could not evaluate {schema} to check it against {folder}: {message}.',
    'evaluation-stopped': 'The sandbox stopped the evaluation of {schema} (checked against {folder}): {message}. Whether a migration is missing was not checked.',
    'not-evaluated-fork': 'Safari did not evaluate {schema} because this PR comes from a fork (drizzle.evaluateSchema: same-repo). Whether a migration is missing was not checked.',
    'network-reachable': 'The schema of {folder} was evaluated with the network reachable: this host cannot remove the network from the sandbox (no unshare).',
  },
  fix: {
    stale: 'Run `{command}` and commit the new migration and snapshot.',
    missing: 'Add a migration with the missing SQL below (by hand, or with `{command}` when its last snapshot matches the migrations).',
    'missing-hand':
      'Write the missing SQL below as a new migration by hand. Don\'t use `{command}` here: its last snapshot lacks {created}, which this folder\'s SQL already creates, so it would create them again.',
    'evaluation-failed': 'Make the schema module side-effect free: no environment variables, files, network or processes at import time, and import only drizzle-orm, relative files and the repository\'s own packages. Then run `{command}` locally to check.',
    'evaluation-stopped': 'Make the schema module side-effect free and quick to import: no environment variables, files, network, processes or huge data at import time. Then run `{command}` locally to check.',
    'not-evaluated-fork': 'A maintainer can set `drizzle: { evaluateSchema: always }` in .github/safari.yml to evaluate fork PRs too (their code runs in the sandbox).',
    'network-reachable': 'Run Safari where `unshare -n` (or `unshare -rn`) works, e.g. as root in its container.',
  },
  unacknowledgeable: ['evaluation-stopped'],
};

/** Failures that are the sandbox saying no (or stopping the child), not the schema's own error. */
const STOPPED = new Set(['denied', 'timeout', 'memory', 'crashed', 'sandbox-unavailable']);

/** The file a stale schema's finding points at: the last schema input the PR touched, else the first input. */
const staleFile = (input: RuleContext, e: { inputs: string[] }): string | undefined => e.inputs.filter((f) => input.touched.has(f)).at(-1) ?? e.inputs[0];

/** The first line of `file` the PR changed (1 for a new file). */
function firstChangedLine(input: RuleInput, file: string | undefined): number | undefined {
  if (!file) return undefined;
  const before = input.baseTexts.get(file);
  const after = input.headTexts.get(file);
  if (after === undefined) return undefined;
  if (before === undefined) return 1;
  return lineDiff(before, after)?.firstLine ?? 1;
}

/** Both sides of each stale schema's file, for the line its finding points at. */
export function needs(input: RuleContext): RuleNeeds {
  const files = drizzleFolders(input).flatMap((f) => (f.evaluation.status === 'stale' ? [staleFile(input, f.evaluation)] : []));
  const paths = files.filter((f): f is string => f !== undefined);
  return { head: paths, base: paths };
}

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const folder of drizzleFolders(input)) {
    const e = folder.evaluation;
    const schema = folder.schema.join(', ') || 'the schema';
    const command = generateCommand(folder);
    if (e.status === 'stale') {
      const details = capLines(e.differences, 40);
      if (e.sql) details.push('Missing SQL:', ...capLines(e.sql.map((s) => `  ${s.trim()}`), 40));
      else if (e.sqlUnavailable) details.push(`No SQL shown: ${e.sqlUnavailable}`);
      const created = e.alreadyCreated ?? [];
      const file = staleFile(input, e);
      reports.push({
        messageId: e.comparedWith !== 'replay' ? 'stale' : created.length ? 'missing-hand' : 'missing',
        data: { schema, snapshot: e.snapshot, count: e.differences.length, command, folder: folder.folder, created },
        database: folder.database,
        file,
        line: firstChangedLine(input, file),
        preexisting: e.preexisting,
        details,
      });
    } else if (e.status === 'failed') {
      const severity = e.touched && e.reason !== 'sandbox-unavailable' ? input.config.drizzle.evaluationFailure : 'notice';
      reports.push({
        messageId: STOPPED.has(e.reason) ? 'evaluation-stopped' : 'evaluation-failed',
        data: { schema, folder: folder.folder, message: e.message, command },
        database: folder.database,
        file: e.file,
        line: e.file ? (e.line ?? 1) : undefined,
        severity,
      });
    } else if (e.status === 'skipped' && e.reason === 'fork') {
      reports.push({ messageId: 'not-evaluated-fork', data: { schema, command }, database: folder.database, severity: 'notice' });
    }
    if ((e.status === 'stale' || e.status === 'fresh' || e.status === 'failed') && !e.networkIsolated) {
      reports.push({ messageId: 'network-reachable', data: { folder: folder.folder, command }, database: folder.database, severity: 'notice' });
    }
  }
  return reports;
}

export default { meta, needs, check } satisfies Rule;
