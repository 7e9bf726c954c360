/**
 * A finding's message and fix in Markdown, from the rule's own template: Safari's words as escaped text, every value
 * filled in from the PR as a code span (a list as one span per name), a backticked part of the template as one code
 * span. A value never decides where code starts or ends, so no name, path, SQL or SQLite message can become markup.
 * A finding whose wording is not its rule's template (a crashed rule, a message built elsewhere) is shown whole as code.
 */
import { formatMessage, listedItems, parseTemplate, type DataValue, type Finding, type TemplatePiece } from '../findings.js';
import { fixTemplate, ruleById } from '../rules/registry.js';
import { codeSpan, escapeText } from './markdown-escape.js';

/** Longest value shown; the JSON keeps it whole. */
const MAX_VALUE = 500;

const clip = (text: string, max = MAX_VALUE) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function valueMarkdown(value: DataValue, isWording: boolean): string {
  if (typeof value === 'number') return escapeText(String(value));
  if (typeof value === 'string') return isWording ? escapeText(clip(value)) : codeSpan(clip(value));
  if (value.length === 0) return 'none';
  const { shown, more } = listedItems(value);
  const list = shown.map((item) => codeSpan(clip(item))).join(', ');
  return more > 0 ? `${list} and ${more} more` : list;
}

/** Joins inline pieces; two code spans that touch would read as one broken span, so a zero-width space parts them. */
function joinInline(parts: string[]): string {
  let out = '';
  for (const part of parts) out += out.endsWith('`') && part.startsWith('`') ? `&#8203;${part}` : part;
  return out;
}

/** `"{tag}"` quotes a value in plain text; in Markdown its code span already sets it apart, so the quotes go. */
function unquoteCode(pieces: readonly TemplatePiece[], data: Readonly<Record<string, DataValue>>, wording: readonly string[]): TemplatePiece[] {
  const out = pieces.map((piece) => ({ ...piece }));
  for (let i = 1; i < out.length - 1; i++) {
    const [before, piece, after] = [out[i - 1], out[i], out[i + 1]];
    if (!('key' in piece) || !('text' in before) || !('text' in after)) continue;
    if (wording.includes(piece.key) || !Object.hasOwn(data, piece.key) || typeof data[piece.key] !== 'string') continue;
    if (before.text.endsWith('"') && after.text.startsWith('"')) {
      before.text = before.text.slice(0, -1);
      after.text = after.text.slice(1);
    }
  }
  return out;
}

/** A template filled for Markdown; `wording` names the data keys that hold the rule's own words. */
export function templateMarkdown(template: string, data: Readonly<Record<string, DataValue>>, wording: readonly string[] = []): string {
  const parts = parseTemplate(template).map((run) => {
    if (run.code) {
      const raw = run.pieces.map((piece) => ('text' in piece ? piece.text : `{${piece.key}}`)).join('');
      return codeSpan(clip(formatMessage(raw, data)));
    }
    return joinInline(
      unquoteCode(run.pieces, data, wording).map((piece) => {
        if ('text' in piece) return escapeText(piece.text);
        if (!Object.hasOwn(data, piece.key)) return escapeText(`{${piece.key}}`);
        return valueMarkdown(data[piece.key], wording.includes(piece.key));
      }),
    );
  });
  return joinInline(parts);
}

/** The finding's message (or fix) in Markdown. */
export function findingTextMarkdown(finding: Finding, part: 'message' | 'fix'): string {
  const text = part === 'message' ? finding.message : (finding.fix ?? '');
  const meta = ruleById.get(finding.rule)?.meta;
  const template =
    meta && (part === 'message' ? (Object.hasOwn(meta.messages, finding.messageId) ? meta.messages[finding.messageId] : undefined) : fixTemplate(meta, finding.messageId));
  // Only when the template really produced this text: anything else may mix PR text into the words.
  if (meta && template !== undefined && formatMessage(template, finding.data) === text) {
    return templateMarkdown(template, finding.data, meta.wording);
  }
  return codeSpan(clip(text, 2_000));
}
