/**
 * Globs from the PR (wrangler `migrations_pattern`, drizzle `schema`) become regular expressions in picomatch, and a
 * regular expression can backtrack for ever: `*a*a*a*a*a*a*a*a*ab` took 4 s to test ONE 40-character path, and 12
 * pairs never finished. Only globs of the shapes real configs use are accepted (`migrations/*.sql`,
 * `db/**\/*.sql`, `src/{a,b}/schema.ts`): short, at most one `*` per segment and one `**`, flat braces, no extglobs.
 * Each path then matches in linear time.
 */
export const MAX_GLOB_LENGTH = 200;
const MAX_BRACE_ALTERNATIVES = 16;

/** Why picomatch must not be given `glob`; undefined when it is safe to match with. */
export function unsafeGlob(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `it is longer than ${MAX_GLOB_LENGTH} characters`;
  if (/[()]/.test(glob)) return 'extglobs (parentheses) are not supported';
  if (/\{[^}]*\{/.test(glob)) return 'nested braces are not supported';
  if (/\{[^}]*\.\.[^}]*\}/.test(glob)) return 'brace ranges are not supported';
  for (const braces of glob.match(/\{[^}]*\}/g) ?? []) {
    if (braces.split(',').length > MAX_BRACE_ALTERNATIVES) return `braces may list at most ${MAX_BRACE_ALTERNATIVES} alternatives`;
  }
  const segments = glob.split('/');
  if (segments.filter((s) => s.includes('**')).length > 1) return 'it uses `**` more than once';
  if (segments.some((s) => s.includes('**') && s !== '**')) return '`**` must be a whole path segment';
  if (segments.some((s) => s !== '**' && (s.match(/\*/g)?.length ?? 0) > 1)) return 'it uses more than one `*` in a path segment';
  return undefined;
}
