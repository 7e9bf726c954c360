/**
 * Safe Markdown for GitHub comments. Every string that a PR controls (table names from SQL, file names, messages that
 * quote them) goes through one of these, so a hostile migration can't inject HTML, links, mentions (`@org/team` would
 * notify a team), table cells or code fences.
 */
import { replaceControlChars, singleLine } from './control-chars.js';

/** A zero-width space after `@` keeps GitHub from turning `@org` into a mention (as Renovate does). */
const unmention = (text: string) => text.replace(/@/g, '@&#8203;');

/** Plain inline text: HTML entities, Markdown punctuation backslash-escaped, mentions defused, one line. */
export function escapeText(text: string): string {
  return unmention(
    singleLine(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_[\]|~#!]/g, '\\$&'),
  );
}

/** Text inside raw HTML (a `<summary>`), where Markdown is not processed but GitHub still links mentions. */
export function escapeHtml(text: string): string {
  return unmention(
    singleLine(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;'),
  );
}

/**
 * A code span that holds any text: the fence is longer than any backtick run inside. In a GFM table cell a `|` ends
 * the cell even inside a code span, so `inTable` escapes it (GFM removes that backslash again).
 */
export function codeSpan(text: string, options: { inTable?: boolean } = {}): string {
  let body = singleLine(text);
  if (body === '') return '(empty)';
  if (options.inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * A rule's message: its `…` spans become code, the rest plain text. The message has the data (from SQL) filled in
 * unescaped, so a hostile name can at worst move where code starts — every character is escaped either way.
 */
export function escapeMessage(text: string): string {
  const parts = singleLine(text).split('`');
  // An odd count of backticks leaves the last one unpaired: keep it as a literal backtick.
  const paired = parts.length % 2 === 1 ? parts : [...parts.slice(0, -2), `${parts[parts.length - 2]}\`${parts[parts.length - 1]}`];
  return paired
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeText(part)}</code>` : escapeText(part)))
    .join('');
}

/** A fenced code block whose fence no line can close early; nothing inside is interpreted by GitHub. */
export function fencedBlock(lines: string[], indent = ''): string {
  const body = lines.map((line) => replaceControlChars(line.replace(/\r/g, '')));
  const longest = Math.max(0, ...body.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...body, fence].map((line) => `${indent}${line}`).join('\n');
}
