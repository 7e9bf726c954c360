/**
 * wrangler's migration order: compare paths segment by segment; within a segment the leading integer decides
 * (numerically, so `9_b` < `10_c` and `001` == `0001`), then the segment's text; numbered segments come before
 * unnumbered ones. Drizzle v1 folders (`20250101120000_x/`) sort correctly under the same rule.
 */

export interface LeadingNumber {
  /** The value; exact up to 2^53 (a 14-digit drizzle timestamp fits). */
  number: number;
  /** The digits as written (`0007`). */
  text: string;
}

export function leadingNumber(fileName: string): LeadingNumber | null {
  const match = /^\d+/.exec(fileName);
  return match ? { number: Number(match[0]), text: match[0] } : null;
}

/** Compares two digit strings by value without overflow: leading zeros don't count. */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Code-unit order, not locale order: the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareMigrationSegments(a: string, b: string): number {
  const na = leadingNumber(a);
  const nb = leadingNumber(b);
  if (na && nb) {
    const byNumber = compareDigits(na.text, nb.text);
    if (byNumber !== 0) return byNumber;
  } else if (na) return -1;
  else if (nb) return 1;
  return compareText(a, b);
}

export function compareMigrationPaths(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const c = compareMigrationSegments(sa[i], sb[i]);
    if (c !== 0) return c;
  }
  return sa.length - sb.length;
}
