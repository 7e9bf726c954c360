/**
 * Drizzle configs that are not named `drizzle.config.*`: a package.json script that runs drizzle-kit names its config
 * with `--config ./db/drizzle-d1.ts` or `--config=drizzle.prod.ts`, relative to the package's folder (scripts run
 * there). Read statically: package.json is parsed, never run.
 */
import { parse as parseJsonc } from 'jsonc-parser';
import { baseName, folderOf, resolveInRepo } from './paths.js';

export const isPackageJson = (path: string): boolean => baseName(path) === 'package.json';

/** One `--config` value in a shell command: `--config x`, `--config=x`, quoted or not. */
const CONFIG_FLAG = /(?:^|\s)--config(?:=|\s+)("[^"]*"|'[^']*'|[^\s"';&|]+)/g;

/** One drizzle-kit command of a script: the folder it runs in (the package's), and the config it names, if any. */
export interface DrizzleKitRun {
  /** The package's folder: drizzle-kit resolves `--config`, `out` and `schema` against the folder it runs in. */
  cwd: string;
  /** The repo-relative `--config` file; undefined for drizzle-kit's default (`drizzle.config.{ts,js,json}` in `cwd`). */
  config: string | undefined;
}

/** The drizzle-kit commands of `packageFile`'s scripts; [] when it has none or isn't JSON. */
export function drizzleKitRuns(packageFile: string, text: string): DrizzleKitRun[] {
  const pkg = parseJsonc(text, [], { allowTrailingComma: true }) as { scripts?: unknown } | undefined;
  const scripts = pkg && typeof pkg === 'object' && pkg.scripts && typeof pkg.scripts === 'object' ? Object.values(pkg.scripts) : [];
  const cwd = folderOf(packageFile);
  const runs: DrizzleKitRun[] = [];
  for (const script of scripts) {
    if (typeof script !== 'string') continue;
    // Each command of `a && b; c | d` on its own: only the drizzle-kit ones name a drizzle config.
    for (const command of script.split(/&&|\|\||[;|]/)) {
      if (!/(?:^|[\s/])drizzle-kit(?:\s|$)/.test(command)) continue;
      const flags = [...command.matchAll(CONFIG_FLAG)];
      if (flags.length === 0) runs.push({ cwd, config: undefined });
      for (const m of flags) {
        const written = m[1].replace(/^["']|["']$/g, '');
        const config = resolveInRepo(cwd, written);
        if (config) runs.push({ cwd, config });
      }
    }
  }
  return runs;
}

/** The repo-relative configs that `packageFile`'s drizzle-kit scripts name; [] when it has none or isn't JSON. */
export function drizzleConfigsInScripts(packageFile: string, text: string): string[] {
  return [...new Set(drizzleKitRuns(packageFile, text).flatMap((r) => (r.config ? [r.config] : [])))];
}
