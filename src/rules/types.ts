/**
 * The rule contract (ESLint-style modules, Atlas-style prepared input). A rule is a pure, synchronous function of
 * `RuleInput`: it never touches SQLite, the network or the file system. What it needs read (a file, a code search,
 * the merge-base) it declares in `needs`; the prepare step (engine/prepare.ts) reads the union once, before any rule
 * runs, and hands the texts over in the input.
 */
import type { Report, Severity } from '../findings.js';
import type { SafariConfig } from '../config/schema.js';
import type { DatabaseSpec, Discovery, MigrationFile } from '../discover/types.js';
import type { ReplayResult } from '../replay/types.js';
import type { Schema } from '../schema/model.js';
import type { SchemaDelta } from '../schema/delta.js';
import type { FileChange } from '../source/types.js';
import type { IsolationMode, Protection } from '../sandbox/isolation.js';
import type { GivenAcknowledgement } from './engine/acknowledgements.js';

/**
 * What identifies a finding, apart from its wording: report fields and `data.<key>` values. Two reports with the same
 * rule, message id and identity values are the same problem (see engine/fingerprint.ts); counts and lists stay out.
 */
export type IdentityKey = 'database' | 'file' | 'table' | 'line' | `data.${string}`;

export interface RuleMeta {
  /** kebab-case, equal to the file name, stable forever. */
  id: string;
  defaultSeverity: Severity;
  /** One line, shown in docs and `safari rules`. */
  description: string;
  /** Message templates by message id; `{name}` placeholders are filled from the report's data. */
  messages: Record<string, string>;
  /** How to fix it, a template like the messages (optional per message id, or one for all). */
  fix?: string | Record<string, string>;
  /**
   * Data keys whose values are this rule's own words (a plural ending, an explanation), never text from the PR. The
   * Markdown comment shows them as plain text; every other value is shown as code, so PR text is never live Markdown.
   */
  wording?: readonly string[];
  /** Message ids no acknowledgement can silence (sandbox refusals and limits); true: all of the rule's. */
  unacknowledgeable?: string[] | true;
  /** The subject of its findings: one list for all message ids, or one per message id (`*` for the rest). */
  identity: readonly IdentityKey[] | Record<string, readonly IdentityKey[]>;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * What this review needs read for the rule, from everything known before the reads (pure, synchronous). Only what
   * the PR calls for: a code search for the names it drops, nothing when it drops nothing (the App pays per read).
   */
  needs?(input: RuleContext): RuleNeeds;
  check(input: RuleInput): Report[];
}

/** Reads a rule asks the prepare step for; see Rule.needs. */
export interface RuleNeeds {
  /** Head-tree files (a reservation file, a stale schema's source). */
  head?: string[];
  /** Base-tree files (CODEOWNERS: a PR can't edit its own owners). */
  base?: string[];
  /** Names to search the head tree's code for: tables, and columns as `table.column`; at most `limit` each. */
  references?: { tables?: string[]; columns?: string[]; limit: number };
  /** Paths whose presence at the merge-base matters (duplicate-number's "taken meanwhile"). */
  mergeBase?: string[];
}

/** What the prepare step read for the rules' needs. */
export interface PreparedReads {
  /** Declared head-tree files: path → text, undefined when absent. */
  headTexts: ReadonlyMap<string, string | undefined>;
  /** Declared base-tree files: path → text, undefined when absent. */
  baseTexts: ReadonlyMap<string, string | undefined>;
  /** Code references by declared table name, and by `table.column` for declared columns. */
  references: { tables: ReadonlyMap<string, CodeReference[]>; columns: ReadonlyMap<string, CodeReference[]> };
  /** Declared paths → whether the merge-base has them; undefined when the source can't give the merge-base. */
  atMergeBase?: ReadonlyMap<string, boolean>;
}

/** Everything a rule sees but the prepared reads: what `needs` decides from. */
export type RuleContext = Omit<RuleInput, keyof PreparedReads>;

export interface ReplaySide {
  /** Files in apply order, across all the database's folders. */
  files: MigrationFile[];
  replay: ReplayResult;
}

export interface DatabaseReview {
  spec: DatabaseSpec;
  base: ReplaySide;
  head: ReplaySide;
  delta: SchemaDelta;
}

/** A place in the head tree's source code that names an identifier. */
export interface CodeReference {
  file: string;
  line: number;
  /** The line's text, trimmed and shortened. */
  text: string;
  /** In a test file (`__tests__/`, `test/`, `tests/`, `*.test.*`, `*.spec.*`): listed, never "code still using it". */
  test?: boolean;
}

/** The prepare step's search of the head tree's code (src/code/code-search.ts). */
export interface CodeSearch {
  /**
   * Non-migration source files of the head tree that reference each name as an identifier (SQL string literals are
   * read with node-sql-parser's table list where they parse). Keyed by name; at most `limit` references each.
   */
  references(names: string[], options?: { limit?: number; column?: boolean }): Promise<Map<string, CodeReference[]>>;
}

export interface RuleInput extends PreparedReads {
  databases: DatabaseReview[];
  /** The PR's own changes (merge-base → PR tip). */
  changes: FileChange[];
  /** Paths the PR added or modified (present in head): quick membership for "did the PR touch this file?". */
  touched: ReadonlySet<string>;
  conflicts: string[];
  config: SafariConfig;
  discovery: Discovery;
  /** All head-tree paths, sorted. */
  headFiles: readonly string[];
  baseFiles: readonly string[];
  origin: 'local' | 'same-repo' | 'fork';
  /**
   * Facts about Drizzle folders prepared before the rules run (journal, snapshots, sandboxed schema.ts evaluation).
   * Defined by src/drizzle/types.ts; absent when no database has a drizzle source.
   */
  drizzle?: unknown;
  /** What the review's limits left unreviewed (deadline, caps, read budget, the prepare step's code search). */
  incomplete?: IncompleteItem[];
  /** The base config's `limits` as this review applied them (with the caller's overrides). */
  limits?: SafariConfig['limits'];
  /** Acknowledgements given by the caller (the App's `/safari ack` by a writer). */
  acknowledgements?: GivenAcknowledgement[];
  /** The sandbox the review ran in, when it was not fully isolated (or refused to run). */
  sandbox?: SandboxFacts;
}

/** What the `sandbox` rule reports on. */
export interface SandboxFacts {
  isolation: IsolationMode;
  /** Protections the launch plan lacks (empty: full isolation). */
  missing: Protection[];
  /** Strict isolation refused to replay or evaluate anything. */
  refused: boolean;
}

/** One piece of the review its limits stopped; reported by review-incomplete, and never a green check. */
export type IncompleteItem =
  | { kind: 'deadline-replay'; database: string }
  | { kind: 'replay-stopped'; database: string; file: string; line: number; files: string[] }
  | { kind: 'deadline-evaluation'; database: string; folder: string }
  | { kind: 'deadline-code-search'; searched: number; total: number }
  | { kind: 'database-cap'; database: string; limit: number }
  | { kind: 'evaluation-cap'; database: string; folder: string; limit: number }
  | { kind: 'file-cap'; file: string; bytes: number; limit: number }
  | { kind: 'read-budget'; file: string; bytes: number; limit: number };

export type { Schema, Report, Severity };
