/** A problem with `.github/safari.yml`: which file, which key, which line, and what was expected. */

export interface ConfigError {
  file: string;
  /** Key path like `databases.grove-engine-db.migrations[0]`; '' for the document itself. */
  path: string;
  line?: number;
  message: string;
}

/** Maps a key path to the 1-based line that holds it (the deepest existing part of it). */
export type Locate = (path: readonly (string | number)[]) => number | undefined;

/** `databases.grove-engine-db.migrations[0]`; keys that aren't plain words are quoted: `owners["libs/**"]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z0-9_-]+$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/** One line: `.github/safari.yml:4: databases.x.migrations[0]: "../../etc" must stay inside the repository`. */
export function formatConfigError(e: ConfigError): string {
  const where = e.line !== undefined ? `${e.file}:${e.line}` : e.file;
  return e.path ? `${where}: ${e.path}: ${e.message}` : `${where}: ${e.message}`;
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 4)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
