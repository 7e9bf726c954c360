// Builds a RuleInput for a Drizzle project from two in-memory trees (base = main, head = main + the PR), runs the real
// prepare step (analyzeDrizzle) on it, and loads the committed fixtures under fixtures/drizzle/<case>/{base,head}.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeDrizzle, type AnalyzeDrizzleArgs } from '../../src/drizzle/analyze.js';
import type { DrizzleAnalysis } from '../../src/drizzle/types.js';
import type { SafariConfig } from '../../src/config/schema.js';
import type { RuleInput } from '../../src/rules/types.js';
import type { FileChange } from '../../src/source/types.js';
import { makeRuleInput } from '../helpers/rule-input.js';

export type Tree = Record<string, string>;

const fixtureRoot = new URL('../../fixtures/drizzle/', import.meta.url).pathname;

function readTree(dir: string): Tree {
  const out: Tree = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

export function loadFixture(name: string): { base: Tree; head: Tree } {
  return { base: readTree(join(fixtureRoot, name, 'base')), head: readTree(join(fixtureRoot, name, 'head')) };
}

export function changesBetween(base: Tree, head: Tree): FileChange[] {
  const changes: FileChange[] = [];
  for (const [p, c] of Object.entries(head)) {
    if (!(p in base)) changes.push({ path: p, status: 'added' });
    else if (base[p] !== c) changes.push({ path: p, status: 'modified' });
  }
  for (const p of Object.keys(base)) if (!(p in head)) changes.push({ path: p, status: 'deleted' });
  return changes;
}

/** Migration SQL files of the folder, in apply order (legacy: file name; v1: folder name). */
function migrations(tree: Tree, folder: string): Tree {
  const paths = Object.keys(tree)
    .filter((p) => p.startsWith(`${folder}/`) && (/^[^/]+\.sql$/.test(p.slice(folder.length + 1)) || p.endsWith('/migration.sql')))
    .sort();
  return Object.fromEntries(paths.map((p) => [p, tree[p]]));
}

export interface DrizzleInputOptions {
  folder?: string;
  schema?: string[];
  configFile?: string;
  dialect?: string;
  config?: Partial<SafariConfig>;
  origin?: RuleInput['origin'];
  evaluate?: boolean;
  sandbox?: AnalyzeDrizzleArgs['sandbox'];
  /** wrangler: a drizzle `out` folder that a wrangler binding applies (every .sql file, by name). */
  applier?: 'drizzle' | 'wrangler';
}

export async function drizzleInput(base: Tree, head: Tree, opts: DrizzleInputOptions = {}): Promise<RuleInput & { drizzle: DrizzleAnalysis }> {
  const folder = opts.folder ?? 'drizzle';
  const input = makeRuleInput({
    databases: [
      {
        name: 'app',
        dialect: 'sqlite',
        applier: opts.applier ?? 'drizzle',
        base: migrations(base, folder),
        head: migrations(head, folder),
        spec: {
          sources: [
            {
              kind: 'drizzle',
              applier: opts.applier ?? 'drizzle',
              path: folder,
              drizzle: { configFile: opts.configFile ?? 'drizzle.config.ts', schema: opts.schema ?? ['src/db/schema.ts'], dialect: opts.dialect ?? 'sqlite' },
              attributions: [{ guessed: false, reason: 'test', configFile: 'drizzle.config.ts' }],
            },
          ],
        },
      },
    ],
    changes: changesBetween(base, head),
    headFiles: head,
    baseFiles: base,
    config: opts.config,
    origin: opts.origin,
  });
  // As load-migrations does: each file of the legacy layout carries its journal entry (idx, when, tag).
  for (const [side, tree] of [[input.databases[0].base, base], [input.databases[0].head, head]] as const) {
    let entries: { idx: number; when: number; tag: string }[] = [];
    try {
      entries = JSON.parse(tree[`${folder}/meta/_journal.json`] ?? '{}').entries ?? [];
    } catch {
      entries = [];
    }
    for (const file of side.files) {
      const entry = entries.find((e) => `${folder}/${e.tag}.sql` === file.path);
      if (entry) file.journal = { idx: entry.idx, when: entry.when, tag: entry.tag };
    }
  }
  const drizzle = await analyzeDrizzle({
    databases: input.databases,
    readHead: async (p) => head[p],
    readBase: async (p) => base[p],
    headFiles: input.headFiles,
    baseFiles: input.baseFiles,
    touched: input.touched,
    config: input.config,
    origin: input.origin,
    evaluate: opts.evaluate,
    sandbox: opts.sandbox,
  });
  return Object.assign(input, { drizzle });
}
