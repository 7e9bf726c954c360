// Rule inputs built by the real pipeline (git source → discovery → sandboxed replay → diff → prepare), so a rule test
// cannot drift from how Safari numbers, orders, replays, diffs and reads files for the rules:
//
//   const input = await prInput({ 'migrations/0001_a.sql': '…' }, { 'migrations/0002_b.sql': '…' });
//   await expectFires(rule, input);
import type { RuleInput } from '../../src/rules/types.js';
import { reviewRepo, type ReviewFilesOptions } from './review-files.js';

export const WRANGLER = `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\n`;

/** A wrangler.toml for one D1 database whose migrations are in `<dir>/migrations`. */
export const wranglerFor = (database: string) => `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${database}"\n`;

/** A wrangler.toml whose databases all apply the one `migrations` folder beside it (production and staging, say). */
export const sharedFolderWrangler = (...databases: string[]) =>
  databases.map((d, i) => `[[d1_databases]]\nbinding = "DB${i}"\ndatabase_name = "${d}"\nmigrations_dir = "migrations"\n`).join('\n');

/** Thrown from `onPrepared` to stop the review there: the rules and rendering don't run for a rule test's input. */
class Prepared extends Error {
  constructor(readonly input: RuleInput) {
    super('prepared');
  }
}

// Stopping before the rules keeps each rule's code out of the other rules' tests, so a mutant in one rule runs only
// the tests that mean to judge it (npm run mutation), and each builder call saves the rules and rendering.
export async function preparedInput(opts: ReviewFilesOptions): Promise<RuleInput> {
  try {
    await reviewRepo({
      ...opts,
      options: {
        ...opts.options,
        onPrepared: (input) => {
          throw new Prepared(input);
        },
      },
    });
  } catch (error) {
    if (error instanceof Prepared) return error.input;
    throw error;
  }
  throw new Error('the review stopped before preparing the rule input');
}

const CONFIG = /(^|\/)(wrangler\.(toml|json|jsonc)|drizzle\.config\.[cm]?[jt]s)$/;

/**
 * The prepared input of a PR that changes `pr` (null deletes) in a repository holding `base` on main. A repository
 * without a wrangler or drizzle config gets the root WRANGLER (database `app-db`, folder `migrations/`).
 */
export function prInput(
  base: Record<string, string>,
  pr: Record<string, string | null> = {},
  more: Omit<ReviewFilesOptions, 'base' | 'pr'> = {},
): Promise<RuleInput> {
  const configured = Object.keys(base).some((p) => CONFIG.test(p));
  return preparedInput({ ...more, base: configured ? base : { 'wrangler.toml': WRANGLER, ...base }, pr });
}

/**
 * The prepared input of a PR that adds `add` (null deletes) to the migration folders of database `database`, which
 * hold `base` on main; each folder of a `.sql` file is named in a wrangler.toml beside it (`migrations_dir`), so the real discovery
 * finds it. `files` are other files on main (source code, safari.yml).
 */
export function migrationsInput(
  base: Record<string, string>,
  add: Record<string, string | null> = {},
  opts: { database?: string; files?: Record<string, string> } & Omit<ReviewFilesOptions, 'base' | 'pr'> = {},
): Promise<RuleInput> {
  const { database = 'app-db', files = {}, ...more } = opts;
  const configs = new Map<string, string[]>();
  for (const path of [...Object.keys(base), ...Object.keys(add)].filter((p) => p.endsWith('.sql'))) {
    const folder = path.split('/').slice(0, -1).join('/');
    const slash = folder.lastIndexOf('/');
    const [dir, name] = slash < 0 ? ['', folder] : [folder.slice(0, slash), folder.slice(slash + 1)];
    const entries = configs.get(dir) ?? [];
    if (!entries.includes(name)) entries.push(name);
    configs.set(dir, entries);
  }
  const wranglers: Record<string, string> = {};
  for (const [dir, folders] of configs) {
    wranglers[dir ? `${dir}/wrangler.toml` : 'wrangler.toml'] = folders
      .map((f, i) => `[[d1_databases]]\nbinding = "DB${i}"\ndatabase_name = "${database}"\nmigrations_dir = "${f}"\n`)
      .join('\n');
  }
  return preparedInput({ ...more, base: { ...wranglers, ...files, ...base }, pr: add });
}

/**
 * The prepared input of a Drizzle project (`drizzle.config.ts`, out `./drizzle`) holding the migrations `base` on main
 * (tag → SQL, in journal order) whose PR adds the migrations `add` (or edits, for a tag of `base`): the builder writes the config and each side's
 * `meta/_journal.json`, so discovery, the journal order and the replay (libSQL for `dialect: 'turso'`) are the real ones.
 * `when` sets an entry's journal timestamp (ms; default one minute apart from 2023-11-14); `journal: false` writes none (drizzle-kit 1.x folders, hand-kept projects: numbers come from the names).
 */
export function drizzleMigrationsInput(
  base: Record<string, string>,
  add: Record<string, string> = {},
  opts: { dialect?: 'sqlite' | 'turso'; files?: Record<string, string>; when?: Record<string, number>; journal?: false } & Omit<ReviewFilesOptions, 'base' | 'pr'> = {},
): Promise<RuleInput> {
  const { dialect = 'sqlite', files = {}, when = {}, journal: journaled = true, ...more } = opts;
  const config = `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ out: './drizzle', schema: './src/schema.ts', dialect: '${dialect}' });\n`;
  const journal = (tags: string[]) => drizzleJournal(tags.map((tag, idx) => [tag, when[tag] ?? 1_700_000_000_000 + idx * 60_000]));
  const sql = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([tag, s]) => [`drizzle/${tag}.sql`, s]));
  return preparedInput({
    ...more,
    base: { 'drizzle.config.ts': config, ...files, ...sql(base), ...(journaled ? { 'drizzle/meta/_journal.json': journal(Object.keys(base)) } : {}) },
    pr: { ...sql(add), ...(journaled ? { 'drizzle/meta/_journal.json': journal([...new Set([...Object.keys(base), ...Object.keys(add)])]) } : {}) },
  });
}

/** A drizzle-kit `meta/_journal.json` listing `entries` (tag, `when` in ms) in idx order. */
export const drizzleJournal = (entries: Array<[string, number]>) =>
  JSON.stringify({ version: '7', dialect: 'sqlite', entries: entries.map(([tag, when], idx) => ({ idx, version: '6', when, tag, breakpoints: true })) }, null, 2);
