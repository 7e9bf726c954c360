/**
 * The review pipeline, top to bottom. It knows nothing of Probot or the terminal: a ReviewSource in, a ReviewResult
 * (the JSON contract) out; rendering is the caller's.
 *
 *  1. config    — `.github/safari.yml` from the BASE tree: a PR never configures (or weakens) its own review; its
 *                 `limits` bound the rest: one deadline for the whole review, a cap on databases and schema.ts
 *                 evaluations, and sizes checked before any file is read. What they leave undone is reported
 *                 (review-incomplete) and the review never concludes `success` then.
 *  2. discover  — databases and their folders on base and on head, merged by database name
 *  3. load      — each database's migration files on both sides, in the order the real tool applies them
 *  4. replay    — base and head of every database in the sandbox, databases in parallel, history replayed once;
 *                 under strict isolation, nothing runs on a sandbox that lacks a protection (the review ends neutral)
 *  5. diff      — base → head schema per database, renames taken from the statements the PR ran
 *  6. prepare   — everything rules need that takes I/O, declared by the rules (`needs`): Drizzle facts, files, the
 *                 code search for the names the PR drops, the merge-base
 *  7. rules     — findings, acknowledgements, "already on main", conclusion
 *  8. result    — the schemaVersion 1 contract
 */
import { CONFIG_PATHS, formatConfigError, loadConfig, type ConfigError } from './config/load-config.js';
import { validateConfigReferences } from './config/validate-references.js';
import type { ReviewLimits, SafariConfig } from './config/schema.js';
import { discover, type DiscoverOptions } from './discover/discover.js';
import { loadBaseline } from './discover/baseline.js';
import { loadMigrations } from './discover/load-migrations.js';
import { notReviewedFolders } from './discover/not-reviewed.js';
import type { DatabaseSpec, Discovery, DiscoveryNotice, MigrationFile, MigrationSource } from './discover/types.js';
import { analyzeDrizzle, type EvaluationAdmission } from './drizzle/analyze.js';
import { createCodeSearch } from './code/code-search.js';
import type { ReplaySandbox } from './replay/sandbox.js';
import { emptyReplayResult, type ReplayPairResult, type ReplayResult } from './replay/types.js';
import type { DatabaseResult, ReviewResult } from './result.js';
import { ruleIds } from './rules/registry.js';
import { conclude, runRules } from './rules/engine/run-rules.js';
import type { DatabaseReview, IncompleteItem, RuleContext, RuleInput } from './rules/types.js';
import { prepareRuleInput } from './rules/engine/prepare.js';
import type { GivenAcknowledgement } from './rules/engine/acknowledgements.js';
import { checkIsolation, refusedReview } from './sandbox/isolation-check.js';
import { isolationFromEnvironment, IsolationSettingError, strictest, type IsolationMode } from './sandbox/isolation.js';
import { diffSchemas } from './schema/diff.js';
import { prRenames } from './schema/pr-renames.js';
import type { FileChange, ReviewSource, Tree } from './source/types.js';
import type { Finding } from './findings.js';
import { DEFAULT_DOCS_URL } from './docs-url.js';
import { isDeltaEmpty } from './schema/delta.js';
import { limitTree, ReadBudget } from './source/limited-tree.js';
import { Deadline } from './deadline.js';
import type { Schema } from './schema/model.js';
import picomatch from 'picomatch';

export interface ReviewOptions {
  sandbox: ReplaySandbox;
  /** Evaluate Drizzle schema.ts files (sandboxed). The CLI defaults to true; the App follows config. */
  evaluateSchema?: boolean;
  /** Overrides the config's failOn (CLI flag). */
  failOn?: SafariConfig['failOn'];
  log?: (line: string) => void;
  /** Base URL of the rule docs (`--docs-url`, the App's setting); overrides safari.yml's `docsUrl`. */
  docsUrl?: string;
  /**
   * strict: never replay or evaluate on a sandbox that lacks a protection. The strictest of this, SAFARI_ISOLATION and
   * the base config's `sandbox.isolation` applies. The App passes strict; the CLI leaves it to the others (best-effort).
   */
  isolation?: IsolationMode;
  /** Acknowledgements from outside the files (the App's `/safari ack` by a writer). */
  acknowledgements?: GivenAcknowledgement[];
  /** Filled with each step's wall time in ms (for `npm run bench` and `--timings`). */
  timings?: Partial<Record<ReviewStep, number>>;
  /** Overrides parts of the base config's `limits` (the CLI's `--deadline`, the App, tests). */
  limits?: Partial<ReviewLimits>;
  /** Filled with each database's replayed head schema (the App draws its diagram from them). */
  headSchemas?: Record<string, Schema>;
  /** Called with the prepared rule input before the rules run (tests build rule inputs through the real pipeline). */
  onPrepared?: (input: RuleInput) => void;
}

export type ReviewStep = 'config' | 'discover' | 'load' | 'replay' | 'diff' | 'prepare' | 'rules';

/** The configuration on the base branch is broken: the review cannot be trusted to mean what the team asked for. */
export class ConfigurationError extends Error {
  constructor(readonly errors: ConfigError[]) {
    super(errors.map(formatConfigError).join('\n'));
    this.name = 'ConfigurationError';
  }
}

export async function review(source: ReviewSource, options: ReviewOptions): Promise<ReviewResult> {
  let mark = performance.now();
  const done = (step: ReviewStep) => {
    const now = performance.now();
    if (options.timings) options.timings[step] = now - mark;
    mark = now;
  };

  // 1. config, and the limits that bound everything after it
  const { config, errors, file: configFile, locate } = await loadConfig(source.base);
  if (errors.length) throw new ConfigurationError(errors);
  const limits: ReviewLimits = { ...config.limits, ...options.limits };
  const deadline = new Deadline(limits.deadlineSeconds * 1000);
  const incomplete: IncompleteItem[] = [];
  const budget = new ReadBudget(limits.maxFileBytes, limits.maxReadBytes, (r) =>
    incomplete.push({ kind: r.reason === 'file' ? 'file-cap' : 'read-budget', file: r.path, bytes: r.bytes, limit: r.limit }),
  );
  const baseTree = limitTree(source.base, budget);
  const headTree = limitTree(source.head, budget);
  done('config');

  // 2. discover
  const discovery = await discoverBothSides(baseTree, headTree, config, { configFile, locate });
  const referenceErrors = validateConfigReferences(
    config,
    { ruleIds: ruleIds(), databaseNames: discovery.databases.map((d) => d.name) },
    { file: configFile, locate },
  );
  if (referenceErrors.length) throw new ConfigurationError(referenceErrors);
  discovery.notices.push(...(await headConfigProblems(source.changes, headTree)));
  done('discover');

  // 3. load (notices about the head's folders only: base problems are not the PR's news), at most maxDatabases
  const reviewed = capDatabases(discovery.databases, source.changes, limits.maxDatabases);
  for (const spec of discovery.databases) {
    if (!reviewed.includes(spec)) incomplete.push({ kind: 'database-cap', database: spec.name, limit: limits.maxDatabases });
  }
  const loadOptions = { ignore: config.ignore, maxFileBytes: limits.maxMigrationBytes };
  const loaded = await Promise.all(
    reviewed.map(async (spec) => ({
      spec,
      base: await loadMigrations(baseTree, spec, loadOptions),
      head: await loadMigrations(headTree, spec, { ...loadOptions, notices: discovery.notices }),
    })),
  );
  done('load');

  // 4. replay (strict isolation refuses first; a configured baseline replays before the migrations; a database the
  //    deadline catches is reported, not waited for)
  const isolation = strictest(options.isolation, isolationSetting(), config.sandbox.isolation);
  const sandboxFacts = await checkIsolation(options.sandbox, isolation);
  if (sandboxFacts.refused) {
    // Fail closed: no replay, no evaluation; the review says why and ends neutral (it is not "reviewed and fine").
    const refused = await refusedReview(loaded, sandboxFacts, config);
    const docsUrl = options.docsUrl ?? config.docsUrl ?? DEFAULT_DOCS_URL;
    return {
      ...resultOf(source, 'neutral', refused.databases, refused.findings, discovery, docsUrl, notReviewedFolders(source.changes, discovery, config.ignore)),
      sandbox: sandboxFacts,
    };
  }
  const replays = await Promise.all(
    loaded.map(async ({ spec, base, head }) => {
      const baseline = config.databases?.[spec.name]?.baseline ?? [];
      const [baseStart, headStart] = await Promise.all([
        loadBaseline(source.base, baseline, spec.name),
        loadBaseline(source.head, baseline, spec.name, discovery.notices, configFile, locate),
      ]);
      return deadline.race(replayDatabase(options.sandbox, spec, [...baseStart, ...base], [...headStart, ...head]), () => {
        incomplete.push({ kind: 'deadline-replay', database: spec.name });
        return notReplayed();
      });
    }),
  );
  done('replay');

  // 5. diff (a replay that stopped before the PR's own migrations ran has not reviewed them: never a silent pass)
  const touched = new Set(source.changes.filter((c) => c.status !== 'deleted').map((c) => c.path));
  incomplete.push(...loaded.flatMap(({ spec }, i) => stoppedBeforePr(spec, replays[i].head, touched)));
  const databases: DatabaseReview[] = loaded.map(({ spec, base, head }, i) => {
    const pair = replays[i];
    if (options.headSchemas) options.headSchemas[spec.name] = pair.head.schema;
    return {
      spec,
      base: { files: base, replay: pair.base },
      head: { files: head, replay: pair.head },
      delta: diffSchemas(pair.base.schema, pair.head.schema, prRenames(pair.head.renames, pair.base.renames, source.changes)),
    };
  });
  done('diff');

  // 6. prepare
  const [baseFiles, headFiles] = await Promise.all([baseTree.list(), headTree.list()]);
  const migrationFolders = discovery.databases.flatMap((d) => d.sources.map((s) => s.path));
  const ignored = config.ignore.length ? picomatch(config.ignore, { dot: true }) : () => false;
  const code = () =>
    createCodeSearch(headTree, {
      deadline,
      onDeadline: (searched, total) => incomplete.push({ kind: 'deadline-code-search', searched, total }),
      exclude: (path) =>
        ignored(path) ||
        migrationFolders.some((folder) => path.startsWith(`${folder}/`)) ||
        discovery.unattributed.some((folder) => path.startsWith(`${folder}/`)),
    });
  const readOne = (tree: Tree) => async (path: string) => (await tree.read([path])).get(path);
  const context: RuleContext = {
    databases,
    changes: source.changes,
    touched,
    conflicts: source.conflicts,
    config,
    discovery,
    headFiles,
    baseFiles,
    origin: source.origin,
    incomplete,
    limits,
    acknowledgements: options.acknowledgements,
    sandbox: sandboxFacts,
  };
  // A drizzle `out` folder that a wrangler binding also names is applied by wrangler but still has Drizzle's files.
  if (databases.some((d) => d.spec.sources.some((s) => s.applier === 'drizzle' || s.drizzle !== undefined))) {
    const drizzle = await analyzeDrizzle({
      databases,
      readHead: readOne(headTree),
      readBase: readOne(baseTree),
      headFiles,
      baseFiles,
      touched,
      config,
      origin: source.origin,
      evaluate: options.evaluateSchema,
      admit: evaluationAdmission(deadline, limits, incomplete),
      sandbox: { isolation },
    });
    context.drizzle = drizzle;
    // An evaluation the deadline cut short failed as a timeout; say it was the review's deadline.
    if (deadline.expired) {
      for (const folder of drizzle.folders) {
        const e = folder.evaluation;
        if (e.status === 'failed' && e.reason === 'timeout') incomplete.push({ kind: 'deadline-evaluation', database: folder.database, folder: folder.folder });
      }
    }
  }
  // What the rules declared they need read (files, the code search for the names the PR drops, the merge-base).
  const input = await prepareRuleInput(context, { head: headTree, base: baseTree, mergeBase: source.mergeBase, code });

  done('prepare');
  options.onPrepared?.(input);

  // 7. rules
  const findings = runRules(input);
  const notReviewed = notReviewedFolders(source.changes, discovery, config.ignore);
  let conclusion = conclude(findings, options.failOn ?? config.failOn);
  // What the limits left unreviewed never passes, whatever the severities or failOn say: at least onIncomplete.
  if (incomplete.length > 0 && conclusion !== 'failure') conclusion = limits.onIncomplete;
  // A green check means "reviewed and fine": migration files Safari did not replay can't be called fine.
  if (conclusion === 'success' && notReviewed.length > 0) conclusion = 'neutral';
  done('rules');

  // 8. result
  const docsUrl = options.docsUrl ?? config.docsUrl ?? DEFAULT_DOCS_URL;
  return { ...resultOf(source, conclusion, databases, findings, discovery, docsUrl, notReviewed), sandbox: sandboxFacts };
}

function resultOf(
  source: ReviewSource,
  conclusion: ReviewResult['conclusion'],
  databases: DatabaseReview[],
  findings: ReviewResult['findings'],
  discovery: Discovery,
  docsUrl: string,
  notReviewed: ReviewResult['notReviewed'],
): ReviewResult {
  return {
    schemaVersion: 1,
    base: source.baseSha,
    head: source.headSha,
    conclusion,
    databases: databases.map((db) => toDatabaseResult(db, touchesDatabase(db, source.changes, findings))),
    findings,
    unattributed: [...discovery.unattributed].sort(),
    notReviewed,
    discovery: discovery.databases.flatMap((d) =>
      d.sources.map((s) => ({
        database: d.name,
        source: s.path,
        kind: s.kind,
        reasons: s.attributions.map((a) => a.reason),
        guessed: s.attributions.every((a) => a.guessed) && s.attributions.length > 0,
      })),
    ),
    docsUrl,
  };
}

/** SAFARI_ISOLATION; a value that is neither setting is a configuration error, never a silent best-effort. */
function isolationSetting(): IsolationMode | undefined {
  try {
    return isolationFromEnvironment();
  } catch (e) {
    if (!(e instanceof IsolationSettingError)) throw e;
    throw new ConfigurationError([{ file: 'SAFARI_ISOLATION', path: '', message: e.message }]);
  }
}

/**
 * Databases come from both sides: a PR can't hide a folder from review by editing a wrangler config, and a database
 * the PR adds is reviewed too. Head's view comes first; folders only base knows are appended. A folder head gives to
 * another database (the PR renamed a `database_name`, or named a bare `migrations` folder in a new wrangler config)
 * stays where head put it: reviewing it under both names would report every change twice.
 */
async function discoverBothSides(base: Tree, head: Tree, config: SafariConfig, options: DiscoverOptions): Promise<Discovery> {
  const [onBase, onHead] = await Promise.all([discover(base, config, options), discover(head, config, options)]);
  const byName = new Map<string, DatabaseSpec>();
  for (const db of onHead.databases) byName.set(db.name, { ...db, sources: [...db.sources] });
  const headFolders = new Set(onHead.databases.flatMap((db) => db.sources.map((s) => s.path)));
  for (const db of onBase.databases) {
    const known = byName.get(db.name);
    const moved = (s: MigrationSource) => headFolders.has(s.path) && !known?.sources.some((k) => k.path === s.path);
    if (!known) {
      const sources = db.sources.filter((s) => !moved(s));
      if (sources.length > 0 || db.sources.length === 0) byName.set(db.name, { ...db, sources });
      continue;
    }
    for (const s of db.sources) {
      if (!moved(s) && !known.sources.some((k: MigrationSource) => k.path === s.path)) known.sources.push(s);
    }
  }
  // A folder only one side leaves unattributed (the PR names it in a wrangler config, say) is replayed: not unattributed.
  const attributed = new Set([...byName.values()].flatMap((db) => db.sources.map((s) => s.path)));
  return {
    databases: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)),
    unattributed: [...new Set([...onHead.unattributed, ...onBase.unattributed])].filter((f) => !attributed.has(f)).sort(),
    notices: onHead.notices,
  };
}


/**
 * The PR's own safari.yml is not used for its review, but a broken one must not pass unnoticed: after the merge it
 * would stop every review with a configuration error.
 */
async function headConfigProblems(changes: FileChange[], head: Tree): Promise<DiscoveryNotice[]> {
  if (!changes.some((c) => c.status !== 'deleted' && (CONFIG_PATHS as readonly string[]).includes(c.path))) return [];
  const { config, errors, file, locate } = await loadConfig(head);
  let problems = errors;
  if (!errors.length) {
    // Its domains name the databases that config itself will discover after the merge.
    const names = Object.keys(config.domains).length ? (await discover(head, config, { configFile: file, locate })).databases.map((d) => d.name) : [];
    problems = validateConfigReferences(config, { ruleIds: ruleIds(), databaseNames: names }, { file, locate });
  }
  return problems.map((e) => ({
    messageId: 'config-unreadable',
    file: e.file,
    ...(e.line !== undefined ? { line: e.line } : {}),
    data: { file: e.file, message: e.path ? `${e.path}: ${e.message}` : e.message },
  }));
}

async function replayDatabase(
  sandbox: ReplaySandbox,
  spec: DatabaseSpec,
  base: MigrationFile[],
  head: MigrationFile[],
): Promise<ReplayPairResult> {
  if (spec.notReplayed || (base.length === 0 && head.length === 0)) {
    return { base: emptyReplayResult(), head: emptyReplayResult(), incremental: false, cached: false };
  }
  return sandbox.replayPair({ database: spec.name, dialect: spec.dialect, ...(spec.engine ? { engine: spec.engine } : {}), base, head });
}

/** The PR's files a stopped head replay never ran, named with where it stopped (its last failure). */
function stoppedBeforePr(spec: DatabaseSpec, head: ReplayResult, touched: ReadonlySet<string>): IncompleteItem[] {
  const files = head.unreplayed?.filter((f) => touched.has(f)) ?? [];
  const stop = head.failures.at(-1);
  return files.length && stop ? [{ kind: 'replay-stopped', database: spec.name, file: stop.file, line: stop.line, files }] : [];
}

/** A database the deadline caught: nothing known of either side (`ok: false`, so no rule compares its empty schema). */
const notReplayed = (): ReplayPairResult => ({
  base: { ...emptyReplayResult(), ok: false },
  head: { ...emptyReplayResult(), ok: false },
  incremental: false,
  cached: false,
});

/**
 * The databases a review replays: at most `limit`, those whose folders the PR touches first (a PR can't push its own
 * database out of review by adding many others; the rest are reported), then by name.
 */
function capDatabases(databases: DatabaseSpec[], changes: FileChange[], limit: number): DatabaseSpec[] {
  if (databases.length <= limit) return databases;
  const paths = changes.flatMap((c) => (c.oldPath ? [c.path, c.oldPath] : [c.path]));
  const touches = (db: DatabaseSpec) => db.sources.some((s) => paths.some((p) => s.path === '' || p.startsWith(`${s.path}/`)));
  const ranked = [...databases.filter(touches), ...databases.filter((db) => !touches(db))];
  const chosen = new Set(ranked.slice(0, limit));
  return databases.filter((db) => chosen.has(db));
}

/** Admits each schema.ts evaluation while the deadline and `maxSchemaEvaluations` allow, within the time left. */
function evaluationAdmission(deadline: Deadline, limits: ReviewLimits, incomplete: IncompleteItem[]): EvaluationAdmission {
  let evaluations = 0;
  return (folder) => {
    const where = { database: folder.database, folder: folder.folder };
    if (deadline.expired) {
      incomplete.push({ kind: 'deadline-evaluation', ...where });
      return false;
    }
    if (evaluations >= limits.maxSchemaEvaluations) {
      incomplete.push({ kind: 'evaluation-cap', ...where, limit: limits.maxSchemaEvaluations });
      return false;
    }
    evaluations++;
    return { timeoutMs: Math.max(1, Math.ceil(deadline.remaining())) };
  };
}

const tableCount = (r: ReplayResult) => Object.keys(r.schema.tables).length;

/** The PR changes a file in one of the database's folders, changes its schema, or causes a finding about it. */
function touchesDatabase(db: DatabaseReview, changes: readonly FileChange[], findings: readonly Finding[]): boolean {
  const inFolder = (path: string | undefined) => path !== undefined && db.spec.sources.some((s) => path.startsWith(`${s.path}/`));
  return (
    changes.some((c) => inFolder(c.path) || inFolder(c.oldPath)) ||
    !isDeltaEmpty(db.delta) ||
    findings.some((f) => f.database === db.spec.name && !f.preexisting)
  );
}

function toDatabaseResult(db: DatabaseReview, touched: boolean): DatabaseResult {
  return {
    name: db.spec.name,
    dialect: db.spec.dialect,
    sources: db.spec.sources.map((s) => ({ kind: s.kind, path: s.path })),
    base: { ok: db.base.replay.ok, migrations: db.base.files.length, tables: tableCount(db.base.replay) },
    head: { ok: db.head.replay.ok, migrations: db.head.files.length, tables: tableCount(db.head.replay) },
    delta: db.delta,
    touched,
    ...(db.spec.notReplayed ? { notReplayed: db.spec.notReplayed } : {}),
  };
}

/** Acknowledgements the App passes (`/safari ack` by a writer): the core's given-acknowledgement shape. */
export type ExternalAcknowledgement = GivenAcknowledgement;
