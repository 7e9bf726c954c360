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

export const databaseConfig = z.strictObject({
  /** Folders, replayed in this order. */
  migrations: z.array(repoPath).min(1).optional(),
  dialect: z.enum(['d1', 'sqlite']).optional(),
  /** How the folders are applied: wrangler (a transaction per file) or drizzle (journal order, one transaction). */
  applier: z.enum(['wrangler', 'drizzle']).optional(),
  owner: z.string().min(1).optional(),
  maxTables: z.number().int().positive().optional(),
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
  rules: z.record(z.string(), severitySetting).default({}),
  domains: z.record(z.string().min(1), domainConfig).default({}),
  naming: z.strictObject({ requirePrefix: z.boolean().default(false) }).default({ requirePrefix: false }),
  /** Folder owners by path glob, overriding CODEOWNERS: { "libs/engine/**": "@org/engine" }. */
  owners: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** Default table budget for databases without `maxTables`. */
  maxTables: z.number().int().positive().default(100),
  reservationFile: z.string().min(1).default('NEXT_MIGRATION_NUMBER.txt'),
  drizzle: z
    .strictObject({ evaluateSchema: z.enum(['same-repo', 'always', 'never']).default('same-repo') })
    .default({ evaluateSchema: 'same-repo' }),
  /** Paths (globs) never treated as migrations nor searched for references. */
  ignore: z.array(z.string().min(1)).default([]),
  /** Base URL of the rule docs the review links to: `<docsUrl>/<rule-id>.md`, or `{rule}` in it replaced by the id. */
  docsUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
  /** The GitHub App reviews draft PRs; false: a draft gets no check until it is marked ready for review. */
  reviewDrafts: z.boolean().default(true),
});

export type SafariConfig = z.infer<typeof safariConfig>;
export type DatabaseConfig = z.infer<typeof databaseConfig>;
export type DomainConfig = z.infer<typeof domainConfig>;

export const defaultConfig = (): SafariConfig => safariConfig.parse({});
