/** Small helpers the four Drizzle rules share: narrowing RuleInput.drizzle and the fix command. */
import type { RuleInput } from '../rules/types.js';
import { isDrizzleAnalysis, type DrizzleFolderAnalysis } from './types.js';

export function drizzleFolders(input: Pick<RuleInput, 'drizzle'>): DrizzleFolderAnalysis[] {
  return isDrizzleAnalysis(input.drizzle) ? input.drizzle.folders : [];
}

/** `npx drizzle-kit generate`, with `--config` when the config isn't the default one at the repository root. */
export function generateCommand(folder: DrizzleFolderAnalysis): string {
  const config = folder.configFile;
  return config && !/^drizzle\.config\.(ts|js|mjs|cjs|mts|cts)$/.test(config)
    ? `npx drizzle-kit generate --config ${config}`
    : 'npx drizzle-kit generate';
}

/** Keeps a finding's detail lines readable: the first `max`, then how many more there are. */
export function capLines(lines: string[], max: number): string[] {
  return lines.length <= max ? [...lines] : [...lines.slice(0, max), `… and ${lines.length - max} more`];
}
