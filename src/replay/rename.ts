/**
 * Recognises `ALTER TABLE x RENAME TO y` and `ALTER TABLE x RENAME [COLUMN] a TO b` from tokens, so quoted,
 * bracketed and commented identifiers read exactly as SQLite reads them.
 */
import { identifierName, significantTokens } from './gate.js';
import { keywordOf, type Token } from './split.js';

export type RenameStatement =
  | { kind: 'table'; table: string; to: string }
  | { kind: 'column'; table: string; from: string; to: string };

const isName = (t: Token | undefined): t is Token =>
  !!t && (t.kind === 'word' || t.kind === 'quoted' || t.kind === 'string') && !t.unterminated;

export function parseRename(sql: string): RenameStatement | null {
  const t = significantTokens(sql);
  if (keywordOf(t[0]) !== 'ALTER' || keywordOf(t[1]) !== 'TABLE') return null;
  let i = 2;
  if (!isName(t[i])) return null;
  let table = identifierName(t[i]);
  if (t[i + 1]?.text === '.') {
    if (!isName(t[i + 2])) return null;
    table = identifierName(t[i + 2]);
    i += 2;
  }
  i++;
  if (keywordOf(t[i]) !== 'RENAME') return null;
  i++;
  if (keywordOf(t[i]) === 'TO') {
    return isName(t[i + 1]) ? { kind: 'table', table, to: identifierName(t[i + 1]) } : null;
  }
  // `RENAME COLUMN a TO b`; but in `RENAME column TO b` the word is the column's name.
  if (keywordOf(t[i]) === 'COLUMN' && keywordOf(t[i + 1]) !== 'TO') i++;
  if (!isName(t[i]) || keywordOf(t[i + 1]) !== 'TO' || !isName(t[i + 2])) return null;
  return { kind: 'column', table, from: identifierName(t[i]), to: identifierName(t[i + 2]) };
}
