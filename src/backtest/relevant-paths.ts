/** Which changed files make a commit worth reviewing: migrations, the configs that find them, Drizzle schemas. */
import picomatch from 'picomatch';
import { CONFIG_PATHS } from '../config/load-config.js';
import { isDrizzleConfig } from '../discover/drizzle-config.js';
import { isWranglerConfig } from '../discover/wrangler.js';

const DRIZZLE_META = /(?:^|\/)meta\/(?:_journal|\d+_snapshot)\.json$/;
const SCHEMA_LIKE = /schema/i;
const CODE_FILE = /\.(?:[cm]?[jt]sx?)$/;

/**
 * @param schemaEntries the `schema` entries (paths, folders or globs) of the Drizzle configs Safari found at the
 *        branch tip; files named like a schema (`schema.ts`, `db/schema/users.ts`) count too, for commits made
 *        before a config moved.
 */
export function relevantPathMatcher(schemaEntries: string[]): (path: string) => boolean {
  const globs = schemaEntries.filter((s) => picomatch.scan(s).isGlob);
  const plain = schemaEntries.filter((s) => !picomatch.scan(s).isGlob);
  const isSchemaGlob = globs.length ? picomatch(globs, { dot: true }) : () => false;
  return (path) =>
    path.toLowerCase().endsWith('.sql') ||
    isWranglerConfig(path) ||
    isDrizzleConfig(path) ||
    (CONFIG_PATHS as readonly string[]).includes(path) ||
    DRIZZLE_META.test(path) ||
    (CODE_FILE.test(path) &&
      (SCHEMA_LIKE.test(path) || isSchemaGlob(path) || plain.some((p) => path === p || path.startsWith(`${p}/`))));
}
