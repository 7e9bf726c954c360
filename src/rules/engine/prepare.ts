/**
 * The reads rules need, done once before any rule runs: each enabled rule declares them (`Rule.needs`) from what the
 * review already knows, the union is read in one batch per tree, and the texts go into the rule input. Reads stay
 * proportional to the PR: nothing is searched or read that no rule asked for.
 */
import { ruleSeverity } from '../../config/schema.js';
import type { Tree } from '../../source/types.js';
import { rules as registeredRules } from '../registry.js';
import type { CodeReference, CodeSearch, PreparedReads, Rule, RuleContext, RuleInput, RuleNeeds } from '../types.js';

export interface PrepareSources {
  head: Tree;
  base: Tree;
  /** Absent when the source can't give the merge-base: rules then claim nothing about it. */
  mergeBase?: Tree;
  /** Made only when a rule asks for references (it reads every source file of the head tree). */
  code: () => CodeSearch;
}

const EMPTY = new Map<string, never>();

/** Every enabled rule's needs in one, each list without repeats. */
export interface AllNeeds {
  head: string[];
  base: string[];
  references: { tables: string[]; columns: string[]; limit: number };
  mergeBase: string[];
}

export async function prepareRuleInput(context: RuleContext, sources: PrepareSources, rules: readonly Rule[] = registeredRules): Promise<RuleInput> {
  return { ...context, ...(await readNeeds(collectNeeds(context, rules), sources)) };
}

/** The enabled rules' needs, merged. A rule whose `needs` throws asks for nothing; runRules reports the crash. */
export function collectNeeds(context: RuleContext, rules: readonly Rule[]): AllNeeds {
  const all: RuleNeeds[] = [];
  for (const rule of rules) {
    if (!rule.needs || ruleSeverity(context.config, rule.meta.id) === 'off') continue;
    try {
      all.push(rule.needs(context));
    } catch {
      // runRules asks again and reports the rule as crashed: it never runs on reads it didn't get
    }
  }
  const union = (pick: (n: RuleNeeds) => string[] | undefined) => [...new Set(all.flatMap((n) => pick(n) ?? []))];
  return {
    head: union((n) => n.head),
    base: union((n) => n.base),
    references: {
      tables: union((n) => n.references?.tables),
      columns: union((n) => n.references?.columns),
      limit: Math.max(0, ...all.map((n) => n.references?.limit ?? 0)),
    },
    mergeBase: union((n) => n.mergeBase),
  };
}

async function readNeeds(needs: AllNeeds, sources: PrepareSources): Promise<PreparedReads> {
  const read = (tree: Tree, paths: string[]) => (paths.length ? tree.read(paths) : Promise.resolve(EMPTY));
  const [headTexts, baseTexts, atMergeBase] = await Promise.all([
    read(sources.head, needs.head),
    read(sources.base, needs.base),
    sources.mergeBase ? presence(sources.mergeBase, needs.mergeBase) : undefined,
  ]);
  const { tables, columns, limit } = needs.references;
  let tableRefs: ReadonlyMap<string, CodeReference[]> = EMPTY;
  let columnRefs: ReadonlyMap<string, CodeReference[]> = EMPTY;
  if (tables.length || columns.length) {
    const code = sources.code();
    // One after the other on purpose: both share the search's SQL-parse budget, which counts wall time, so run
    // together each would be charged for the other's parses and the budget would run out sooner.
    if (tables.length) tableRefs = await code.references(tables, { limit });
    if (columns.length) columnRefs = await code.references(columns, { limit, column: true });
  }
  return { headTexts, baseTexts, references: { tables: tableRefs, columns: columnRefs }, ...(atMergeBase ? { atMergeBase } : {}) };
}

/** Which of `paths` the tree has: a lookup per path where the tree offers one (git: no listing of the whole tree). */
async function presence(tree: Tree, paths: string[]): Promise<ReadonlyMap<string, boolean>> {
  if (!paths.length) return EMPTY;
  if (tree.has) {
    const found = await tree.has(paths);
    return new Map(paths.map((p) => [p, found.has(p)]));
  }
  const sizes = await tree.sizes(paths);
  return new Map(paths.map((p) => [p, sizes.get(p) !== undefined]));
}
