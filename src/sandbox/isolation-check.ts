/**
 * The review's side of the isolation setting: which protections the replay sandbox lacks, and — when strict isolation
 * refuses to run on it — what the review says instead of replaying (no schemas, one `sandbox` finding).
 */
import type { SafariConfig } from '../config/schema.js';
import type { MigrationFile, DatabaseSpec } from '../discover/types.js';
import type { Finding } from '../findings.js';
import type { ReplaySandbox } from '../replay/sandbox.js';
import { emptyReplayResult } from '../replay/types.js';
import { runRules } from '../rules/engine/run-rules.js';
import sandboxRule from '../rules/sandbox.js';
import type { DatabaseReview, RuleInput, SandboxFacts } from '../rules/types.js';
import { diffSchemas } from '../schema/diff.js';
import { PROTECTIONS, type IsolationMode } from './isolation.js';

/** What the sandbox lacks under `isolation`; `refused` when strict isolation must not run on it. */
export async function checkIsolation(sandbox: ReplaySandbox, isolation: IsolationMode): Promise<SandboxFacts> {
  const plan = await sandbox.launchPlan.catch(() => null);
  // No child starts at all: nothing is there.
  const missing = plan ? [...plan.missing] : [...PROTECTIONS];
  return { isolation, missing, refused: isolation === 'strict' && missing.length > 0 };
}

/** The databases (nothing replayed) and the one finding of a review that strict isolation refused. */
export async function refusedReview(
  loaded: { spec: DatabaseSpec; base: MigrationFile[]; head: MigrationFile[] }[],
  facts: SandboxFacts,
  config: SafariConfig,
): Promise<{ databases: DatabaseReview[]; findings: Finding[] }> {
  const empty = emptyReplayResult();
  const databases = loaded.map(({ spec, base, head }) => ({
    spec,
    base: { files: base, replay: { ...empty, ok: false } },
    head: { files: head, replay: { ...empty, ok: false } },
    delta: diffSchemas(empty.schema, empty.schema, []),
  }));
  // Only the sandbox rule, whatever the config says about it: a refusal is never turned off.
  const input = { databases: [], touched: new Set<string>(), sandbox: facts, config: { ...config, rules: {} } } as unknown as RuleInput;
  return { databases, findings: runRules(input, [sandboxRule]) };
}
