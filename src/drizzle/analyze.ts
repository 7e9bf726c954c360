/**
 * The Drizzle prepare step, run before the rules (which stay pure). For every Drizzle migrations folder of every
 * replayed database:
 *  1. read the folder on base and head (layout, journal, snapshots, problems, the chain's tip);
 *  2. decide whether schema.ts may and should be evaluated (config policy, PR origin, what the PR touched);
 *  3. bundle the head schema in memory and evaluate it in the sandbox (evaluate-schema.ts);
 *  4. compare drizzle-kit's snapshot of it with the latest committed snapshot; when stale, do the same on base to tell
 *     the PR's doing from what main already had.
 */
import type { SafariConfig } from '../config/schema.js';
import type { MigrationSource } from '../discover/types.js';
import type { DatabaseReview } from '../rules/types.js';
import { uniqueKeys } from '../rules/shared/unique-constraints.js';
import { ignoredBy } from '../discover/gitignore.js';
import { folderOf } from '../discover/paths.js';
import { bundleSchema, schemaEntries } from './bundle-schema.js';
import { compareSchemas } from './compare-schemas.js';
import { DEFAULT_EVALUATION_TIMEOUT_MS, evaluateSchema, type Casing, type EvaluateOptions } from './evaluate-schema.js';
import { normalizeReplayed, normalizeSnapshot, SnapshotShapeError } from './normalize.js';
import { operationOf, splitStatements } from '../rules/shared/sql-operations.js';
import { rebuiltTables } from '../rules/shared/pr-operations.js';
import { readDrizzleFolder } from './read-folder.js';
import type { DrizzleAnalysis, DrizzleFolderAnalysis, DrizzleFolderSide, NormalizedSchema, NormalizedTable, SchemaEvaluation } from './types.js';

export interface AnalyzeDrizzleArgs {
  databases: DatabaseReview[];
  readHead(path: string): Promise<string | undefined>;
  readBase(path: string): Promise<string | undefined>;
  headFiles: readonly string[];
  baseFiles: readonly string[];
  /** Paths the PR added or modified. */
  touched: ReadonlySet<string>;
  config: SafariConfig;
  origin: 'local' | 'same-repo' | 'fork';
  /** false: never evaluate schema.ts (e.g. a dry run); default true, subject to `drizzle.evaluateSchema`. */
  evaluate?: boolean;
  /** Sandbox limits (tests shorten the timeout). */
  sandbox?: EvaluateOptions;
  /** The review's limits: asked before each evaluation (head or base); it may refuse, or shorten the timeout. */
  admit?: EvaluationAdmission;
}

/** `{ timeoutMs }`: run, within that time at most; `false`: the review's deadline or evaluation cap refuses it. */
export type EvaluationAdmission = (folder: DrizzleFolderAnalysis, side: 'head' | 'base') => { timeoutMs: number } | false;

/** The sandbox options for one evaluation, or undefined when the review's limits refuse it. */
function admitted(folder: DrizzleFolderAnalysis, side: 'head' | 'base', args: AnalyzeDrizzleArgs): EvaluateOptions | undefined {
  if (!args.admit) return args.sandbox ?? {};
  const admission = args.admit(folder, side);
  if (!admission) return undefined;
  return { ...args.sandbox, timeoutMs: Math.min(args.sandbox?.timeoutMs ?? DEFAULT_EVALUATION_TIMEOUT_MS, admission.timeoutMs) };
}

const SQLITE_DIALECTS = new Set(['sqlite', 'turso']);

/** Drizzle folders: applied by Drizzle's migrator, or named by a drizzle config (even when wrangler applies them). */
const isDrizzleSource = (s: MigrationSource): boolean => s.applier === 'drizzle' || s.kind === 'drizzle' || s.drizzle !== undefined;
const prefixOf = (folder: string): string => (folder === '' || folder === '.' ? '' : `${folder.replace(/\/+$/, '')}/`);

export async function analyzeDrizzle(args: AnalyzeDrizzleArgs): Promise<DrizzleAnalysis> {
  const folders: DrizzleFolderAnalysis[] = [];
  for (const db of args.databases) {
    if (db.spec.notReplayed) continue;
    for (const source of db.spec.sources.filter(isDrizzleSource)) {
      const head = await readDrizzleFolder(source.path, args.headFiles, args.readHead);
      if (!head) continue;
      const base = await readDrizzleFolder(source.path, args.baseFiles, args.readBase);
      const prefix = prefixOf(source.path);
      const headInside = args.headFiles.filter((f) => f.startsWith(prefix));
      const baseInside = args.baseFiles.filter((f) => f.startsWith(prefix));
      const folderTouched =
        headInside.some((f) => args.touched.has(f)) || headInside.length !== baseInside.length || baseInside.some((f, i) => f !== headInside[i]);
      const folder: DrizzleFolderAnalysis = {
        database: db.spec.name,
        folder: source.path,
        configFile: source.drizzle?.configFile,
        schema: source.drizzle?.schema ?? [],
        dialect: source.drizzle?.dialect,
        applier: source.applier,
        // Only asked when the journal disagrees with the files, the one case where it matters (and costs reads).
        ...(source.applier === 'drizzle' && head.problems.some((p) => APPLIER_SENSITIVE.has(p.messageId)) ? await wranglerConfigIgnored(source, args) : {}),
        base,
        head,
        folderTouched,
        soleSource: db.spec.sources.length === 1,
        evaluation: { status: 'skipped', reason: 'not-requested' },
      };
      try {
        folder.evaluation = await evaluateFolder(folder, args);
      } catch (e) {
        // A bug or an unexpected host failure (temp folder, spawn) must not end the review: report it as a notice.
        const message = `the evaluation itself failed: ${(e as Error).message.split('\n')[0]}`;
        folder.evaluation = { status: 'failed', reason: 'crashed', message, networkIsolated: true };
      }
      folders.push(folder);
    }
  }
  return { folders };
}

/**
 * The config's `casing` decides the names of columns declared without one; without it the evaluation would see other
 * column names than `drizzle-kit generate` did. Read statically (the config is the PR's code and is never run): a
 * string literal `casing: 'snake_case' | 'camelCase'`.
 */
async function configCasing(configFile: string | undefined, read: (path: string) => Promise<string | undefined>): Promise<Casing | undefined> {
  if (!configFile) return undefined;
  const text = (await read(configFile)) ?? '';
  const m = /\bcasing\s*:\s*(['"`])(snake_case|camelCase)\1/.exec(text.replace(/\/\*[\s\S]*?\*\/|(^|[^:])\/\/.*$/gm, '$1'));
  return m ? (m[2] as Casing) : undefined;
}

function skipReason(folder: DrizzleFolderAnalysis, args: AnalyzeDrizzleArgs): SchemaEvaluation | undefined {
  const skip = (reason: Extract<SchemaEvaluation, { status: 'skipped' }>['reason']): SchemaEvaluation => ({ status: 'skipped', reason });
  const dialect = folder.dialect ?? snapshotDialect(folder.head);
  if (dialect && !SQLITE_DIALECTS.has(dialect)) return skip('not-sqlite');
  if (args.evaluate === false) return skip('not-requested');
  const policy = args.config.drizzle?.evaluateSchema ?? 'same-repo';
  if (policy === 'never') return skip('disabled');
  if (policy === 'same-repo' && args.origin === 'fork') return skip('fork');
  return undefined;
}

function snapshotDialect(side: DrizzleFolderSide): string | undefined {
  const d = (side.latest?.json as { dialect?: unknown } | undefined)?.dialect;
  return typeof d === 'string' ? d : undefined;
}

async function evaluateFolder(folder: DrizzleFolderAnalysis, args: AnalyzeDrizzleArgs): Promise<SchemaEvaluation> {
  const skipped = skipReason(folder, args);
  if (skipped) return skipped;
  const entries = schemaEntries(folder.schema, args.headFiles);
  if (entries.length === 0) {
    // A config that names a schema no file matches is worth a notice when the PR is about this folder; a config that
    // names none (or can't be read statically) is discovery's notice.
    const configTouched = folder.configFile !== undefined && args.touched.has(folder.configFile);
    if (folder.schema.length > 0 && (folder.folderTouched || configTouched)) {
      const message = `the config's schema (${folder.schema.join(', ')}) matches no file in the pull request's tree`;
      return { status: 'failed', reason: 'bundle', message, file: folder.configFile, networkIsolated: true, touched: configTouched };
    }
    return { status: 'skipped', reason: 'no-schema' };
  }
  const latest = folder.head.latest;
  if (!latest) return { status: 'skipped', reason: 'no-snapshot' };

  const bundle = await bundleSchema({ entries, files: args.headFiles, read: args.readHead });
  if (!bundle.ok) {
    const touchedSomething = folder.folderTouched || entries.some((e) => args.touched.has(e)) || (bundle.file !== undefined && args.touched.has(bundle.file));
    if (!touchedSomething) return { status: 'skipped', reason: 'untouched' };
    const touched = entries.some((e) => args.touched.has(e)) || (bundle.file !== undefined && args.touched.has(bundle.file));
    return { status: 'failed', reason: bundle.reason, message: bundle.message, file: bundle.file, line: bundle.line, networkIsolated: true, touched };
  }
  if (!folder.folderTouched && !bundle.inputs.some((f) => args.touched.has(f))) return { status: 'skipped', reason: 'untouched' };

  const casing = await configCasing(folder.configFile, args.readHead);
  const sandbox = admitted(folder, 'head', args);
  if (!sandbox) return { status: 'skipped', reason: 'limit' };
  const outcome = await evaluateSchema(bundle.code, latest.json, { ...sandbox, casing });
  if (!outcome.ok) {
    const touchedInput = bundle.inputs.filter((f) => args.touched.has(f));
    return {
      status: 'failed',
      reason: outcome.reason,
      message: outcome.message,
      file: touchedInput.at(-1) ?? entries[0],
      networkIsolated: outcome.networkIsolated,
      touched: touchedInput.length > 0,
    };
  }
  let schemaTs: NormalizedSchema;
  let differences: string[];
  try {
    schemaTs = normalizeSnapshot(outcome.snapshot);
    differences = compareSchemas(schemaTs, latest.schema, { left: 'schema.ts', right: 'the latest snapshot' });
  } catch (e) {
    if (!(e instanceof SnapshotShapeError)) throw e;
    return { status: 'failed', reason: 'invalid-output', message: `drizzle-kit's snapshot of the schema is malformed: ${e.message}`, networkIsolated: outcome.networkIsolated };
  }
  // A folder wrangler applies holds hand-written SQL beside drizzle-kit's: what the replayed migrations already have
  // is not missing, whatever the last snapshot says. Compare schema.ts with the replayed head schema instead.
  const replayed = folder.applier === 'wrangler' ? replayedSchema(args, folder.database, 'head') : undefined;
  let alreadyCreated: string[] = [];
  if (replayed && differences.length > 0) {
    alreadyCreated = Object.keys(schemaTs.tables).filter((t) => !(t in latest.schema.tables) && t in replayed.schema.tables);
    differences = againstReplay(schemaTs, replayed);
  }
  const stale = differences.length > 0;
  let sql = stale ? outcome.sql?.filter((s) => s.trim() !== '') : undefined;
  if (sql && replayed) sql = onlyMissing(sql, differences);
  return {
    status: stale ? 'stale' : 'fresh',
    inputs: bundle.inputs,
    snapshot: latest.path,
    differences,
    ...(replayed ? { comparedWith: 'replay' as const, alreadyCreated } : {}),
    sql: sql && sql.length ? sql : undefined,
    sqlUnavailable: stale && !(sql && sql.length) ? whyNoSql(outcome.sqlError) : undefined,
    preexisting: stale ? await staleOnBase(folder, differences, args) : false,
    networkIsolated: outcome.networkIsolated,
    durationMs: outcome.durationMs,
  };
}

/** Journal problems that only Drizzle's migrator suffers from: wrangler runs every file by name. */
const APPLIER_SENSITIVE = new Set(['journal-missing', 'sql-not-in-journal', 'entry-without-file']);

/**
 * A wrangler config that `.gitignore` keeps out of the repository beside the folder's drizzle config (or the folder's
 * parent when no config names it): `{ wranglerConfigIgnored: 'backend/.gitignore:6' }`, else {}.
 */
async function wranglerConfigIgnored(source: MigrationSource, args: AnalyzeDrizzleArgs): Promise<{ wranglerConfigIgnored?: string }> {
  const dir = source.drizzle?.configFile !== undefined ? folderOf(source.drizzle.configFile) : folderOf(source.path);
  const names = ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'].map((n) => (dir ? `${dir}/${n}` : n));
  if (names.some((n) => args.headFiles.includes(n))) return {};
  for (const name of names) {
    const line = await ignoredBy(name, args.headFiles, args.readHead);
    if (line) return { wranglerConfigIgnored: line };
  }
  return {};
}

/** A replayed schema, normalized, with the inline UNIQUE constraints SQLite keeps as unnamed autoindexes. */
interface Replayed {
  schema: NormalizedSchema;
  /** Per table, the column lists of its inline UNIQUE constraints (`name TEXT UNIQUE`, `UNIQUE (a, b)`). */
  inlineUniques: Map<string, string[][]>;
}

/** The replayed schema of a database's side, normalized; undefined when its replay failed (partial). */
function replayedSchema(args: AnalyzeDrizzleArgs, database: string, side: 'base' | 'head'): Replayed | undefined {
  const replay = args.databases.find((d) => d.spec.name === database)?.[side].replay;
  if (!replay?.ok) return undefined;
  const inlineUniques = new Map<string, string[][]>();
  // The schema model leaves SQLite's autoindexes out; the CREATE TABLE text still says which columns are UNIQUE.
  for (const t of Object.values(replay.schema.tables)) {
    const lists = uniqueKeys(t.sql);
    if (lists.length) inlineUniques.set(t.name, lists);
  }
  return { schema: normalizeReplayed(replay.schema), inlineUniques };
}

const columnsKey = (columns: readonly string[]): string => columns.map((c) => c.toLowerCase()).join('\u0000');

/** The column lists a table makes unique without a condition: unique indexes, and UNIQUE constraints when known. */
function uniqueColumnSets(table: NormalizedTable | undefined, inline: string[][] = []): Set<string> {
  const sets = new Set(inline.map(columnsKey));
  for (const ix of Object.values(table?.indexes ?? {})) if (ix.unique && ix.where === null) sets.add(columnsKey(ix.columns));
  for (const columns of Object.values(table?.uniques ?? {})) sets.add(columnsKey(columns));
  return sets;
}

/**
 * schema.ts against the replayed migrations. Tables only the migrations have are left to hand-written SQL. Uniqueness
 * is compared by columns, whatever each side calls it: drizzle-kit's `.unique()` is a unique index
 * (`users_email_unique`) or a named UNIQUE constraint, the SQL's may be an inline `UNIQUE` (which SQLite keeps as an
 * unnamed autoindex) or a unique index of another name. Only a column list one side makes unique and the other does not
 * is a difference.
 */
function againstReplay(schemaTs: NormalizedSchema, replayed: Replayed): string[] {
  const sqlSide = replayed.schema;
  const lines = compareSchemas(schemaTs, sqlSide, { left: 'schema.ts', right: 'the migrations' }, { ignoreRightOnlyTables: true }).filter((line) => {
    const m = /^([^:\s]+): index (\S+) in (schema\.ts|the migrations), not in (?:schema\.ts|the migrations)$/.exec(line);
    if (!m) return true;
    const [, table, name, where] = m;
    const [own, other, otherInline] =
      where === 'schema.ts' ? [schemaTs.tables[table], sqlSide.tables[table], replayed.inlineUniques.get(table)] : [sqlSide.tables[table], schemaTs.tables[table], undefined];
    const ix = own?.indexes[name];
    if (!ix?.unique || ix.where !== null) return true;
    // The same columns made unique on the other side, in whatever form, is the same thing.
    return !uniqueColumnSets(other, otherInline).has(columnsKey(ix.columns));
  });
  for (const [table, tsTable] of Object.entries(schemaTs.tables)) {
    const sqlTable = sqlSide.tables[table];
    if (!sqlTable) continue;
    const inline = replayed.inlineUniques.get(table) ?? [];
    const sqlSets = uniqueColumnSets(sqlTable, inline);
    // A named UNIQUE constraint of schema.ts (drizzle-kit 1.x) the SQL does not make unique.
    for (const [name, columns] of Object.entries(tsTable.uniques ?? {})) {
      if (!sqlSets.has(columnsKey(columns))) lines.push(`${table}: unique constraint ${name} (${columns.join(', ')}) in schema.ts, not in the migrations`);
    }
    // An inline UNIQUE of the SQL that schema.ts does not declare.
    const tsSets = uniqueColumnSets(tsTable);
    for (const columns of inline) {
      if (!tsSets.has(columnsKey(columns))) lines.push(`${table}: UNIQUE (${columns.join(', ')}) in the migrations, not in schema.ts`);
    }
  }
  return lines;
}

/** The table a difference line is about: `table x: …`, `x.col: …`, `x: index …`. */
const differenceTable = (line: string): string | undefined => /^(?:table|view) ([^:\s]+):/.exec(line)?.[1] ?? /^([^.:\s]+)[.:]/.exec(line)?.[1];

/**
 * drizzle-kit's statements that concern what is really missing: those of tables named by the remaining differences
 * (a rebuild's `__new_x` statements count as `x`'s; its PRAGMA lines go with them).
 */
function onlyMissing(sql: string[], differences: string[]): string[] {
  const tables = new Set(differences.map(differenceTable).filter((t): t is string => t !== undefined).map((t) => t.toLowerCase()));
  const nameOf = (statement: string): string | undefined => {
    const ops = splitStatements(statement).map(operationOf).filter((o) => o !== undefined);
    return ops[0]?.kind === 'rename-table' ? ops[0].to : ops[0]?.table;
  };
  const tableOf = (name: string | undefined): string | undefined =>
    name === undefined || tables.has(name) ? name : rebuiltTables(name).find((t) => tables.has(t));
  const kept = sql.filter((s) => {
    const table = tableOf(nameOf(s));
    return table !== undefined && tables.has(table);
  });
  const rebuilds = kept.some((s) => tableOf(nameOf(s)) !== nameOf(s));
  return rebuilds ? sql.filter((s) => kept.includes(s) || /^\s*PRAGMA\s+foreign_keys/i.test(s)) : kept;
}

/** Why there is no SQL to show, in the user's terms: drizzle-kit's own internal errors never reach the review. */
function whyNoSql(error: string | undefined): string {
  if (error === undefined) return 'drizzle-kit produced no statements for these differences';
  if (/prompt|TTY/i.test(error)) return 'drizzle-kit would ask whether a table or column was renamed, and the SQL depends on the answer';
  if (/format drizzle-kit/.test(error)) return error;
  return 'drizzle-kit could not compute the SQL for these differences';
}

/** Was base already stale with (at least) the same differences? Then the PR is not to blame. */
async function staleOnBase(folder: DrizzleFolderAnalysis, headDifferences: string[], args: AnalyzeDrizzleArgs): Promise<boolean> {
  const latest = folder.base?.latest;
  if (!latest) return false;
  const entries = schemaEntries(folder.schema, args.baseFiles);
  if (entries.length === 0) return false;
  const bundle = await bundleSchema({ entries, files: args.baseFiles, read: args.readBase });
  if (!bundle.ok) return false;
  const casing = await configCasing(folder.configFile, args.readBase);
  // Refused by the review's limits: the PR is not cleared by an evaluation that never ran (review-incomplete says so).
  const sandbox = admitted(folder, 'base', args);
  if (!sandbox) return false;
  const outcome = await evaluateSchema(bundle.code, latest.json, { ...sandbox, casing });
  if (!outcome.ok) return false;
  try {
    const schemaTs = normalizeSnapshot(outcome.snapshot);
    const replayed = folder.applier === 'wrangler' ? replayedSchema(args, folder.database, 'base') : undefined;
    const baseDifferences = new Set(
      replayed
        ? againstReplay(schemaTs, replayed)
        : compareSchemas(schemaTs, latest.schema, { left: 'schema.ts', right: 'the latest snapshot' }),
    );
    return headDifferences.every((d) => baseDifferences.has(d));
  } catch {
    return false;
  }
}
