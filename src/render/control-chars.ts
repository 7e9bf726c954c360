/**
 * Names and messages come from hostile SQL: a table name may hold ESC sequences (terminal hijack), bidi overrides
 * (text that reads differently than it is) or NULs. Every renderer shows them as visible `\xNN` / `\u{NNNN}` text.
 */
// C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

export function replaceControlChars(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** One line of text: control characters made visible, line breaks (\r, \n, \t runs) collapsed to single spaces. */
export function singleLine(text: string): string {
  return replaceControlChars(text.replace(/\r\n|[\r\n\t]/g, ' '));
}
