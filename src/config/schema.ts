/**
 * `.github/safari.yml`, validated with zod. The JSON Schema in `docs/safari.schema.json` is generated from this
 * (`npm run schema`) and a test fails when the two drift.
 */
import { z } from 'zod';

export const severitySetting = z.enum(['error', 'warning', 'notice', 'off']);

/** Repo-relative path that must stay inside the repository (no absolute paths, no `..` escapes). */
export const repoPath = z
  .string()
  .min(1)
  // `\\server\share` and `\dir` are absolute on Windows, like `/dir` and `C:\dir`.
  .refine((p) => !/^[\\/]/.test(p) && !/^[A-Za-z]:[\\/]/.test(p), { message: 'must be relative to the repository root' })
  .refine(
    (p) => {
      let depth = 0;
      for (const part of p.split(/[\\/]+/)) {
        if (part === '..') depth--;
        else if (part !== '.' && part !== '') depth++;
        if (depth < 0) return false;
      }
      return true;
    },
    { message: 'must stay inside the repository (no "..")' },
  );

/**
 * A rule's setting: a severity, or `{ severity, allowInlineAck }`. `allowInlineAck: true` lets a `-- safari-ignore:`
 * comment in a file the PR adds or edits acknowledge this rule's errors (warnings can always be acknowledged inline).
 */
export const ruleSetting = z.union([
  severitySetting,
  z.strictObject({ severity: severitySetting.optional(), allowInlineAck: z.boolean().optional() }),
]);

export const databaseConfig = z.strictObject({
  /** Folders, replayed in this order. */
  migrations: z.array(repoPath).min(1).optional(),
  dialect: z.enum(['d1', 'sqlite']).optional(),
  /** How the folders are applied: wrangler (a transaction per file) or drizzle (journal order, one transaction). */
  applier: z.enum(['wrangler', 'drizzle']).optional(),
  owner: z.string().min(1).optional(),
  maxTables: z.number().int().positive().optional(),
  /**
   * SQL files that create the database's starting point (a `schema.sql` applied with `wrangler d1 execute` before
   * any migration), replayed in this order before the migrations on both sides.
   */
  baseline: z.array(repoPath).min(1).optional(),
});

export const domainConfig = z.strictObject({
  prefixes: z.array(z.string().min(1)).default([]),
  tables: z.array(z.string().min(1)).default([]),
  /** The database that owns this domain's tables. */
  database: z.string().min(1),
  owner: z.string().min(1).optional(),
});

export const safariConfig = z.strictObject({
  databases: z.record(z.string().min(1), databaseConfig).optional(),
  failOn: z.enum(['error', 'warning', 'never']).default('error'),
  /** Severity per rule id (unknown ids are a configuration error, checked against the registry). */
  rules: z.record(z.string(), ruleSetting).default({}),
  domains: z.record(z.string().min(1), domainConfig).default({}),
  naming: z.strictObject({ requirePrefix: z.boolean().default(false) }).default({ requirePrefix: false }),
  /** Folder owners by path glob, overriding CODEOWNERS: { "libs/engine/**": "@org/engine" }. */
  owners: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** Default table budget for databases without `maxTables`. */
  maxTables: z.number().int().positive().default(100),
  reservationFile: z.string().min(1).default('NEXT_MIGRATION_NUMBER.txt'),
  drizzle: z
    .strictObject({
      evaluateSchema: z.enum(['same-repo', 'always', 'never']).default('same-repo'),
      /** Severity when a schema.ts the PR touched can't be evaluated (throws, hangs, crashes, won't bundle). */
      evaluationFailure: z.enum(['error', 'warning', 'notice']).default('warning'),
    })
    .default({ evaluateSchema: 'same-repo', evaluationFailure: 'warning' }),
  /** `isolation: strict` refuses to replay or evaluate on a sandbox that lacks a protection (sandbox/isolation.ts). */
  sandbox: z.strictObject({ isolation: z.enum(['strict', 'best-effort']).optional() }).default({}),
  /** Paths (globs) never treated as migrations nor searched for references. */
  ignore: z.array(z.string().min(1)).default([]),
  /** Base URL of the rule docs the review links to: `<docsUrl>/<rule-id>.md`, or `{rule}` in it replaced by the id. */
  docsUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
  /** Bounds on the work one review does; whatever they leave unreviewed is reported and never passes (review-incomplete). */
  limits: z
    .strictObject({
      /** Wall time for the whole review, in seconds. */
      deadlineSeconds: z.number().positive().max(3600).default(30),
      /** The check's conclusion when part of the review could not be done: never success. */
      onIncomplete: z.enum(['failure', 'neutral']).default('failure'),
      /** Databases replayed per review (those the PR touches first). */
      maxDatabases: z.number().int().positive().default(50),
      /** Sandboxed schema.ts evaluations per review (head and base count one each). */
      maxSchemaEvaluations: z.number().int().nonnegative().default(10),
      /** A migration larger than this (bytes) is not read: a replay-error finding. */
      maxMigrationBytes: z.number().int().positive().default(5 * 1024 * 1024),
      /** Any other file larger than this (bytes) is not read. */
      maxFileBytes: z.number().int().positive().default(16 * 1024 * 1024),
      /** Bytes the review reads from the repository in all. */
      maxReadBytes: z.number().int().positive().default(256 * 1024 * 1024),
    })
    .prefault({}),
  /** The GitHub App reviews draft PRs; false: a draft gets no check until it is marked ready for review. */
  reviewDrafts: z.boolean().default(true),
});

export type SafariConfig = z.infer<typeof safariConfig>;
export type RuleSetting = z.infer<typeof ruleSetting>;

/** The severity a config sets for a rule (undefined: the rule's default). */
export function ruleSeverity(config: Pick<SafariConfig, 'rules'>, id: string): z.infer<typeof severitySetting> | undefined {
  const setting = config.rules[id];
  return typeof setting === 'string' ? setting : setting?.severity;
}

/** Whether the base config lets inline `-- safari-ignore:` comments acknowledge this rule's errors. */
export function allowsInlineAck(config: Pick<SafariConfig, 'rules'>, id: string): boolean {
  const setting = config.rules[id];
  return typeof setting === 'object' && setting.allowInlineAck === true;
}
export type DatabaseConfig = z.infer<typeof databaseConfig>;
export type DomainConfig = z.infer<typeof domainConfig>;
export type ReviewLimits = SafariConfig['limits'];

export const defaultConfig = (): SafariConfig => safariConfig.parse({});
