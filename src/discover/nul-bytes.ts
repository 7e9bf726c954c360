/**
 * What SQLite runs of a migration holding NUL bytes. sqlite3_prepare reads SQL text up to its first NUL, so a
 * migration `DROP TABLE users;\n-- \0…` drops the table, whatever the bytes after the NUL say. wrangler hands the
 * whole file to D1 at once: the file ends at its first NUL. Drizzle's migrator runs each `--> statement-breakpoint`
 * chunk on its own: each chunk ends at its own first NUL, and later chunks still run.
 */
import { DRIZZLE_BREAKPOINT } from '../replay/split.js';
import type { Applier } from './types.js';

/** The text with everything SQLite never reads blanked (newlines kept, so lines stay put), and the first NUL's line. */
export function cutAtNul(text: string, applier: Applier): { content: string; line: number } | undefined {
  const first = text.indexOf('\0');
  if (first < 0) return undefined;
  const line = countLines(text, first);
  if (applier !== 'drizzle') return { content: text.slice(0, first) + newlinesOf(text.slice(first)), line };
  const content = text
    .split(DRIZZLE_BREAKPOINT)
    .map((chunk) => {
      const nul = chunk.indexOf('\0');
      return nul < 0 ? chunk : chunk.slice(0, nul) + newlinesOf(chunk.slice(nul));
    })
    .join(DRIZZLE_BREAKPOINT);
  return { content, line };
}

const newlinesOf = (s: string): string => s.replace(/[^\n]+/g, '');

function countLines(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
