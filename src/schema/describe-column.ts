/**
 * The short readable strings of `columnsChanged[].changes`: `type TEXT → INTEGER`, `NOT NULL added`,
 * `default 'free' → 'pro'`, `primary key removed`. Compares one base column with its head counterpart.
 */
import type { Column } from './model.js';

const normalType = (type: string) =>
  type.trim().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1').toUpperCase();

/** `(0)` and `0` are the same default, and so are `DEFAULT NULL` and none; SQLite keeps whichever was written. */
function normalDefault(expr: string | null): string | null {
  if (expr === null) return null;
  let text = expr.trim();
  // wrapsWhole also means the text ends with `)`
  while (text.startsWith('(') && wrapsWhole(text)) text = text.slice(1, -1).trim();
  return text.toUpperCase() === 'NULL' ? null : text; // DEFAULT NULL is what no default means
}

/** true when the opening parenthesis at 0 closes at the very end (so `(a) + (b)` is not unwrapped). */
function wrapsWhole(text: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}
const shownType = (type: string) => (type.trim() === '' ? '(none)' : type.trim());

export function describeColumnChanges(base: Column, head: Column): string[] {
  const changes: string[] = [];
  if (normalType(base.type) !== normalType(head.type)) changes.push(`type ${shownType(base.type)} → ${shownType(head.type)}`);
  if (base.notNull !== head.notNull) changes.push(head.notNull ? 'NOT NULL added' : 'NOT NULL removed');
  const before = normalDefault(base.default);
  const after = normalDefault(head.default);
  if (before !== after) {
    if (before === null) changes.push(`default added: ${head.default}`);
    else if (after === null) changes.push('default removed');
    else changes.push(`default ${base.default} → ${head.default}`);
  }
  if (base.pk !== head.pk) {
    if (base.pk === 0) changes.push('primary key added');
    else if (head.pk === 0) changes.push('primary key removed');
    else changes.push(`primary key position ${base.pk} → ${head.pk}`);
  }
  if (base.generated !== head.generated) {
    if (base.generated === null) changes.push(`generated (${head.generated}) added`);
    else if (head.generated === null) changes.push(`generated (${base.generated}) removed`);
    else changes.push(`generated ${base.generated} → ${head.generated}`);
  }
  return changes;
}
