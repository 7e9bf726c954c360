/**
 * Checks what the schema alone can't: rule ids under `rules` must exist, and every `domains.*.database` must name a
 * database Safari knows (configured or discovered). The call site runs it after discovery.
 */
import type { SafariConfig } from './schema.js';
import { closest, formatKeyPath, type ConfigError, type Locate } from './config-error.js';

export interface KnownNames {
  ruleIds: readonly string[];
  databaseNames: readonly string[];
}

function unknownName(kind: string, name: string, known: readonly string[]): string {
  const hint = closest(name, known);
  if (hint) return `unknown ${kind} "${name}" (did you mean "${hint}"?)`;
  return known.length ? `unknown ${kind} "${name}"; known: ${known.join(', ')}` : `unknown ${kind} "${name}"; none are known`;
}

export function validateConfigReferences(
  config: SafariConfig,
  known: KnownNames,
  context: { file?: string; locate?: Locate } = {},
): ConfigError[] {
  const file = context.file ?? '.github/safari.yml';
  const errors: ConfigError[] = [];
  const push = (path: (string | number)[], message: string): void => {
    errors.push({ file, path: formatKeyPath(path), line: context.locate?.(path), message });
  };
  const rules = new Set(known.ruleIds);
  for (const id of Object.keys(config.rules)) {
    if (!rules.has(id)) push(['rules', id], unknownName('rule', id, [...known.ruleIds].sort()));
  }
  const databases = new Set(known.databaseNames);
  for (const [domain, d] of Object.entries(config.domains)) {
    if (!databases.has(d.database)) push(['domains', domain, 'database'], unknownName('database', d.database, [...known.databaseNames].sort()));
  }
  return errors;
}
