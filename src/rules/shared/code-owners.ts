/**
 * Who owns a migration file: `owners` globs in safari.yml, else the database's `owner`, else the base branch's
 * CODEOWNERS (GitHub semantics: the last matching pattern wins; a pattern without owners makes the path unowned).
 */
import picomatch from 'picomatch';
import type { DatabaseReview, RuleContext, RuleInput } from '../types.js';

export interface OwnerRule {
  pattern: string;
  owners: string[];
  matches: (path: string) => boolean;
}

export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/** gitignore-style CODEOWNERS pattern → matcher over repository paths. */
export function codeownersMatcher(raw: string): (path: string) => boolean {
  let pattern = raw.replace(/\/$/, '');
  // a slash at the start or in the middle anchors the pattern at the repository root
  const anchored = pattern.includes('/');
  pattern = pattern.replace(/^\//, '');
  if (!anchored) pattern = `**/${pattern}`;
  // `x/**` matches x itself and everything below it; a path is a file, so a directory pattern (`x/`) needs no glob of
  // its own: no file can also be a directory of the same path.
  const isMatch = picomatch(`${pattern}/**`, { dot: true });
  return (path) => isMatch(path);
}

export function parseCodeowners(text: string): OwnerRule[] {
  const rules: OwnerRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.replace(/(^|\s)#.*/, '').trim();
    if (!trimmed) continue;
    const [pattern, ...owners] = trimmed.split(/\s+/);
    if (pattern.startsWith('!')) continue; // negation is not supported by GitHub either
    rules.push({ pattern, owners, matches: codeownersMatcher(pattern) });
  }
  return rules;
}

/** Owners of a path by the last matching rule; [] when the last match has no owners; undefined when none match. */
export function codeownersOf(rules: OwnerRule[], path: string): string[] | undefined {
  for (let i = rules.length - 1; i >= 0; i--) if (rules[i].matches(path)) return rules[i].owners;
  return undefined;
}

export interface Ownership {
  owners: string[];
  /** Where the answer came from, for the message. */
  source: 'safari.yml owners' | 'safari.yml database owner' | 'CODEOWNERS';
}

/**
 * CODEOWNERS of the base branch, as GitHub uses it for the PR's review requests: a PR that edits CODEOWNERS cannot
 * claim the tables it touches. The first of GitHub's locations that exists wins (read by the prepare step).
 */
export function baseCodeowners(input: RuleInput): OwnerRule[] {
  for (const path of CODEOWNERS_PATHS) {
    const text = input.baseTexts.get(path);
    if (text !== undefined) return parseCodeowners(text);
  }
  return [];
}

/** Owner of a migration file. The last matching `owners` glob wins, as in CODEOWNERS. */
export function ownerOfFile(input: RuleContext, db: DatabaseReview, path: string, codeowners: OwnerRule[]): Ownership | undefined {
  let configured: string | undefined;
  for (const [glob, owner] of Object.entries(input.config.owners)) {
    if (picomatch(glob, { dot: true })(path)) configured = owner;
  }
  if (configured) return { owners: [configured], source: 'safari.yml owners' };
  // discovery copies safari.yml's `databases.<name>.owner` into the spec
  if (db.spec.owner) return { owners: [db.spec.owner], source: 'safari.yml database owner' };
  const owners = codeownersOf(codeowners, path);
  if (owners?.length) return { owners, source: 'CODEOWNERS' };
  return undefined;
}

export const sameOwner = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
