/** The review result: the JSON contract (schemaVersion 1) that `--format json`, the renderers and the App share. */
import type { Finding } from './findings.js';
import type { SchemaDelta } from './schema/delta.js';
import type { SourceKind } from './discover/types.js';
import type { IsolationMode, Protection } from './sandbox/isolation.js';

export type Conclusion = 'success' | 'neutral' | 'failure';

export interface SideSummary {
  /** false when replay failed somewhere: the schema is partial. */
  ok: boolean;
  migrations: number;
  tables: number;
}

export interface DatabaseResult {
  name: string;
  dialect: 'd1' | 'sqlite';
  sources: { kind: SourceKind; path: string }[];
  base: SideSummary;
  head: SideSummary;
  delta: SchemaDelta;
  /**
   * The PR touches this database: it changes a file in one of its folders, its schema changed, or a finding the PR
   * caused names it. "Already on main" lists old problems only of touched databases and counts the rest.
   */
  touched: boolean;
  /** Why this database was not replayed (e.g. a PostgreSQL Drizzle folder); absent when it was. */
  notReplayed?: string;
}

export interface ReviewResult {
  schemaVersion: 1;
  base: string;
  head: string;
  conclusion: Conclusion;
  databases: DatabaseResult[];
  findings: Finding[];
  /** Folders of .sql files no config names. */
  unattributed: string[];
  /**
   * The PR's migration files the review did not replay (unattributed folders, databases not replayed), by folder,
   * each with the safari.yml line that would cover it. Non-empty makes a passing review `neutral`, never `success`.
   */
  notReviewed?: { folder: string; files: string[]; database?: string; reason: string; configLine: string }[];
  /** Which config and binding put each folder in each database (`--explain-discovery`). */
  discovery: { database: string; source: string; kind: SourceKind; reasons: string[]; guessed: boolean }[];
  /**
   * Base URL of the rule docs that links point to (`<docsUrl>/<rule-id>.md`, or `{rule}` replaced by the id):
   * `--docs-url` / the App's setting, else safari.yml's `docsUrl`, else the project's published docs.
   */
  docsUrl: string;
  /** The isolation setting, the protections the sandbox lacked, and whether strict isolation refused to run. */
  sandbox?: { isolation: IsolationMode; missing: Protection[]; refused: boolean };
}
