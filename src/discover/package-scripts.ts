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

/** The repo-relative configs that `packageFile`'s drizzle-kit scripts name; [] when it has none or isn't JSON. */
export function drizzleConfigsInScripts(packageFile: string, text: string): string[] {
  const pkg = parseJsonc(text, [], { allowTrailingComma: true }) as { scripts?: unknown } | undefined;
  const scripts = pkg && typeof pkg === 'object' && pkg.scripts && typeof pkg.scripts === 'object' ? Object.values(pkg.scripts) : [];
  const out = new Set<string>();
  for (const script of scripts) {
    if (typeof script !== 'string') continue;
    // Each command of `a && b; c | d` on its own: only the drizzle-kit ones name a drizzle config.
    for (const command of script.split(/&&|\|\||[;|]/)) {
      if (!/(?:^|[\s/])drizzle-kit(?:\s|$)/.test(command)) continue;
      for (const m of command.matchAll(CONFIG_FLAG)) {
        const written = m[1].replace(/^["']|["']$/g, '');
        const path = resolveInRepo(folderOf(packageFile), written);
        if (path) out.add(path);
      }
    }
  }
  return [...out];
}
