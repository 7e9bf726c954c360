/**
 * Safe Markdown for GitHub comments. Text a PR controls (names from SQL, file names, SQL, SQLite's messages that quote
 * them, acknowledgement reasons) only ever appears inside a code span or a fenced block, where nothing is interpreted:
 * no HTML, links, images, mentions or emphasis. Safari's own words go through `escapeText`, which escapes them as
 * plain text anyway. In CommonMark a line break ends inline code and, inside a list item, the block it sits in, so every
 * helper here decides line breaks itself.
 */
import { replaceControlChars, singleLine } from './control-chars.js';

/** Every line break CommonMark or a browser honours: \r\n, \r, \n, and Unicode's line and paragraph separators. */
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/;

/** The lines of a text that may hold any line break. */
export const physicalLines = (text: string): string[] => text.split(LINE_BREAKS);

/**
 * `<!--` inside code is shown as text, but the raw comment body would still hold it: a name spelling Safari's
 * `<!-- migration-safari -->` marker would make a second one. A zero-width space keeps it from ever being a comment
 * opener in the source while it reads the same.
 */
const defuseComment = (text: string) => text.replace(/<!--/g, '<!-\u200b-');

/** A zero-width space after `@` keeps GitHub from turning `@org` into a mention (as Renovate does). */
const unmention = (text: string) => text.replace(/@/g, '@&#8203;');

/** GitHub links `https://…`, `www.…` and e-mail addresses in plain text; a zero-width space breaks each pattern. */
const unlink = (text: string) => text.replace(/\b(https?|ftp|mailto|xmpp)(?=:)/gi, '$1&#8203;').replace(/\bwww\./gi, 'www&#8203;.');

const htmlEntities = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Plain inline text: HTML entities, Markdown punctuation backslash-escaped, autolinks and mentions defused, one line.
 * For Safari's own words; text from the PR goes in `codeSpan` instead.
 */
export function escapeText(text: string): string {
  return unmention(unlink(htmlEntities(singleLine(text)).replace(/[\\`*_[\]|~#!]/g, '\\$&')));
}

/** Text inside raw HTML (a `<summary>`), where Markdown is not processed but GitHub still links mentions. */
export function escapeHtml(text: string): string {
  return unmention(unlink(htmlEntities(singleLine(text)).replace(/"/g, '&quot;')));
}

/** Code inside raw HTML (a `<summary>` holds no Markdown): entities only; GitHub never links a mention in `<code>`. */
export function codeHtml(text: string): string {
  const body = htmlEntities(defuseComment(singleLine(text)));
  return body === '' ? '(empty)' : `<code>${body}</code>`;
}

/**
 * A code span that holds any text: the fence is longer than any backtick run inside (CommonMark), and `@` stays as
 * written (GitHub never links a mention in code). In a GFM table cell a `|` ends the cell even inside a code span, so
 * `inTable` escapes it (GFM removes that backslash again).
 */
export function codeSpan(text: string, options: { inTable?: boolean } = {}): string {
  let body = defuseComment(singleLine(text));
  if (body === '') return '(empty)';
  if (options.inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space from each end when both ends are spaces (and the span is not all spaces).
  const spaces = body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '';
  const pad = body.startsWith('`') || body.endsWith('`') || spaces ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * A fenced code block whose fence no line can close early; nothing inside is interpreted by GitHub. Each given line is
 * split on every line break first, so each physical line gets the indent: a bare line break inside a list item would
 * end the block, and what followed would be live Markdown.
 */
export function fencedBlock(lines: readonly string[], indent = ''): string {
  const body = lines.flatMap(physicalLines).map((line) => defuseComment(replaceControlChars(line)));
  const longest = Math.max(0, ...body.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...body, fence].map((line) => `${indent}${line}`).join('\n');
}
