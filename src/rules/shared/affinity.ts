/** SQLite's column affinity from a declared type (https://sqlite.org/datatype3.html §3.1, rules in order). */
export type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

export function affinityOf(declared: string): Affinity {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t.trim() === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

/**
 * True when copying rows into a column of the new type can change stored values. Text and untyped (BLOB affinity)
 * columns keep values verbatim; a numeric affinity turns numeric-looking text into numbers (`'007'` → 7,
 * `'1e3'` → 1000). REAL turns integers into floats, losing precision past 2^53. Every other change keeps the values.
 */
export function narrows(from: string, to: string): boolean {
  const a = affinityOf(from);
  const b = affinityOf(to);
  if ((a === 'TEXT' || a === 'BLOB') && (b === 'INTEGER' || b === 'REAL' || b === 'NUMERIC')) return true;
  if ((a === 'INTEGER' || a === 'NUMERIC') && b === 'REAL') return true;
  return false;
}
