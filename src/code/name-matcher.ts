/**
 * Finds names as whole identifiers in source text (case-insensitive; `_`, `$`, letters and digits are word
 * characters). The names come from the PR (dropped tables and columns), so no pattern is ever built from arbitrary
 * text: V8 refuses a pattern over ~60 KB ("Regular expression too large"), which used to end the review.
 *
 * - Ordinary names (word characters only, short, not too many) go into one combined pattern: the fast path, one
 *   pass per file. Such a pattern holds nothing but `[a-z0-9_$]` and `|`, and its size is capped.
 * - Otherwise every identifier of the file is looked up in a set (one pass, any number of names).
 * - Names holding other characters (`"my table"`, `audit-log`) are found with indexOf and a boundary check.
 */

export interface NameMatch {
  /** Offset of the match in the text. */
  index: number;
  /** The matched name, lower-cased as given (the caller's key). */
  name: string;
  length: number;
}

/** Above these, the combined pattern gives way to the identifier scan. */
const MAX_PATTERN_NAME = 256;
const MAX_PATTERN_CHARS = 16_000;

const WORD_ONLY = /^[a-z0-9_$]+$/;
const IDENTIFIER = /[A-Za-z0-9_$]+/g;

const isWordCode = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;

/** ASCII-only lower-casing keeps every offset where it was (String#toLowerCase may change lengths). */
const lowerAscii = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

export class NameMatcher {
  private readonly pattern: RegExp | undefined;
  private readonly words: Set<string>;
  private readonly others: Array<{ name: string; needle: string }>;

  constructor(names: Iterable<string>) {
    const unique = [...new Set([...names].map((n) => n.toLowerCase()).filter((n) => n !== ''))];
    const words = unique.filter((n) => WORD_ONLY.test(n));
    this.words = new Set(words);
    this.others = unique.filter((n) => !WORD_ONLY.test(n)).map((name) => ({ name, needle: lowerAscii(name) }));
    const patternChars = words.reduce((sum, n) => sum + n.length + 1, 0);
    if (words.length > 0 && patternChars <= MAX_PATTERN_CHARS && words.every((n) => n.length <= MAX_PATTERN_NAME)) {
      const alternatives = words.sort((a, b) => b.length - a.length).map((n) => n.replace(/\$/g, '\\$'));
      this.pattern = new RegExp(`(?<![A-Za-z0-9_$])(?:${alternatives.join('|')})(?![A-Za-z0-9_$])`, 'gi');
    }
  }

  /** Whether any name occurs in the text (a cheap filter before the per-match work). */
  test(text: string): boolean {
    if (this.pattern && this.others.length === 0) {
      this.pattern.lastIndex = 0;
      return this.pattern.test(text);
    }
    for (const _ of this.matches(text)) return true;
    return false;
  }

  /** Every match, in text order. */
  *matches(text: string): Generator<NameMatch> {
    if (this.others.length === 0) {
      yield* this.wordMatches(text);
      return;
    }
    const all = [...this.wordMatches(text), ...this.otherMatches(text)];
    yield* all.sort((a, b) => a.index - b.index);
  }

  private *wordMatches(text: string): Generator<NameMatch> {
    if (this.words.size === 0) return;
    if (this.pattern) {
      this.pattern.lastIndex = 0;
      for (const m of text.matchAll(this.pattern)) yield { index: m.index, name: m[0].toLowerCase(), length: m[0].length };
      return;
    }
    for (const m of text.matchAll(IDENTIFIER)) {
      const name = m[0].toLowerCase();
      if (this.words.has(name)) yield { index: m.index, name, length: m[0].length };
    }
  }

  private otherMatches(text: string): NameMatch[] {
    const lower = lowerAscii(text);
    const found: NameMatch[] = [];
    for (const { name, needle } of this.others) {
      for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) {
        const end = at + needle.length;
        const bounded = (at === 0 || !isWordCode(text.charCodeAt(at - 1))) && (end >= text.length || !isWordCode(text.charCodeAt(end)));
        if (bounded) found.push({ index: at, name, length: needle.length });
      }
    }
    return found;
  }
}
