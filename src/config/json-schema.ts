/** The JSON Schema of `.github/safari.yml`, generated from the zod schema (editors use it for completion and hover). */
import { z } from 'zod';
import { safariConfig } from './schema.js';

/** Hover text for editors. The zod schema stays the single source of structure; these are words only. */
const DESCRIPTIONS: Record<string, string> = {
  databases:
    'Databases by name. With `migrations`, exactly those folders (in that order) feed the database; without, its discovered folders do and the entry adds owner, budget or dialect. Databases not listed are still discovered from wrangler and drizzle configs.',
  'databases.*.migrations': 'Folders relative to the repository root, replayed in this order.',
  'databases.*.dialect': 'd1 (Cloudflare D1: foreign keys always on) or sqlite. Default: d1 when a wrangler config names the folder.',
  'databases.*.applier': 'How the folders are applied: wrangler (a transaction per file, name order) or drizzle (journal order).',
  'databases.*.owner': 'Who owns this database (a team or a path), for ownership rules.',
  'databases.*.maxTables': 'Table budget for this database (table-budget rule).',
  failOn: 'The lowest severity that fails the check: error, warning, or never.',
  rules:
    'Per rule id: a severity (error | warning | notice | off), or { severity, allowInlineAck }. allowInlineAck: true lets a `-- safari-ignore:` comment in a file the PR adds or edits acknowledge that rule\'s errors.',
  domains: 'Table domains: which database owns tables by prefix or name.',
  naming: 'Table naming conventions.',
  owners: 'Folder owners by path glob, overriding CODEOWNERS.',
  maxTables: 'Default table budget for databases without maxTables.',
  reservationFile: 'Name of the file that reserves the next migration number in a folder.',
  drizzle: 'Drizzle checks: whether to evaluate schema.ts (sandboxed) for staleness.',
  'drizzle.evaluationFailure':
    'Severity when a schema.ts the PR touched cannot be evaluated (it throws, hangs, crashes or does not bundle): error, warning (default) or notice.',
  sandbox: 'How the sandbox may run.',
  'sandbox.isolation':
    'strict: never replay or evaluate on a sandbox that lacks a protection (the check ends neutral, "sandbox unavailable"). best-effort: run on the strongest sandbox available and say what was missing. The strictest of this, SAFARI_ISOLATION and the App wins.',
  ignore: 'Globs of paths never treated as migrations nor searched for references.',
  docsUrl:
    'Base URL of the rule docs that review comments link to: `<docsUrl>/<rule-id>.md`, or `{rule}` in the URL replaced by the rule id. Default: the project\'s published docs on GitHub.',
  limits: 'Bounds on the work one review does. What they leave unreviewed is reported (review-incomplete) and the check never passes then.',
  'limits.deadlineSeconds': 'Wall time for the whole review, in seconds (default 30). Databases and evaluations not done by then are reported.',
  'limits.onIncomplete': 'The conclusion when part of the review could not be done: failure (default) or neutral; never success.',
  'limits.maxDatabases': 'Databases replayed per review, those the PR touches first (default 50).',
  'limits.maxSchemaEvaluations': 'Sandboxed schema.ts evaluations per review; head and base count one each (default 10).',
  'limits.maxMigrationBytes': 'A migration larger than this many bytes is not read or replayed: a replay-error finding (default 5 MiB).',
  'limits.maxFileBytes': 'Any other file larger than this many bytes is not read (default 16 MiB).',
  'limits.maxReadBytes': 'Bytes one review reads from the repository in all (default 256 MiB).',
};

type JsonSchema = { properties?: Record<string, JsonSchema>; additionalProperties?: JsonSchema | boolean; description?: string };

function describe(schema: JsonSchema): void {
  for (const [path, text] of Object.entries(DESCRIPTIONS)) {
    let node: JsonSchema | undefined = schema;
    for (const part of path.split('.')) {
      if (!node) break;
      node = part === '*' ? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined) : node.properties?.[part];
    }
    if (!node) throw new Error(`json-schema: no property at ${path} (update DESCRIPTIONS)`);
    node.description = text;
  }
}

export function configJsonSchema(): Record<string, unknown> {
  // `input`: what a user may write (keys with defaults are optional), not what the parser returns.
  const schema = z.toJSONSchema(safariConfig, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  describe(schema as JsonSchema);
  return {
    $schema: schema.$schema,
    title: 'Migration Safari configuration (.github/safari.yml)',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
