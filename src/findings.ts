/**
 * Findings are data (zod's issues-as-data): a rule id, a message id and the values it needs.
 * The words live in each rule's `meta.messages`; `formatMessage` is the one place that fills them in.
 */

export type Severity = 'error' | 'warning' | 'notice';
export type SeveritySetting = Severity | 'off';

export const severityRank: Record<Severity, number> = { notice: 0, warning: 1, error: 2 };

/**
 * A value a message is filled with. A list of names is an array, never a string the rule joined itself, so each
 * renderer can show every name on its own (the Markdown comment puts each one in its own code span).
 */
export type DataValue = string | number | readonly string[];

/** What a rule reports: data only, no wording. */
export interface Report {
  /** Key into the rule's `meta.messages`. */
  messageId: string;
  data?: Record<string, DataValue>;
  database?: string;
  /** Path from the repository root. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  endLine?: number;
  table?: string;
  /** Overrides the rule's default severity for this report (e.g. error on D1, warning elsewhere). */
  severity?: Severity;
  /**
   * true when the problem already exists on the base branch and the PR did not cause it:
   * rendered under "already on main", always at notice severity, never fails the check.
   */
  preexisting?: boolean;
  /** Extra lines shown under the finding (e.g. the edited lines of a migration, or missing SQL). */
  details?: string[];
}

/** A report after the engine resolved severity, wording and acknowledgements. */
export interface Finding {
  rule: string;
  messageId: string;
  severity: Severity;
  message: string;
  /** How to fix it: the rule's `meta.fix` filled with the report's data. */
  fix?: string;
  data: Record<string, DataValue>;
  database?: string;
  file?: string;
  line?: number;
  endLine?: number;
  table?: string;
  preexisting: boolean;
  /** `rule/messageId/[subject…]`: the same problem has the same fingerprint on every revision (see meta.identity). */
  fingerprint: string;
  details?: string[];
  /**
   * Set when an acknowledgement silences it: a `-- safari-ignore: rule-id reason` comment in the file, or one given by
   * the caller (`by`: who, e.g. `/safari ack` in the App).
   */
  acknowledged?: { reason: string; by?: string };
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** How many names of a list a message shows; the rest are counted (`and 3 more`). */
export const MAX_LISTED = 10;

/** The names a message shows of a list, and how many it leaves out. */
export function listedItems(items: readonly string[]): { shown: readonly string[]; more: number } {
  return { shown: items.slice(0, MAX_LISTED), more: Math.max(0, items.length - MAX_LISTED) };
}

/** A list in plain text: `a`, `b` and 3 more; an empty list reads `none`. */
export function listText(items: readonly string[]): string {
  if (items.length === 0) return 'none';
  const { shown, more } = listedItems(items);
  const text = shown.map((item) => `\`${item}\``).join(', ');
  return more > 0 ? `${text} and ${more} more` : text;
}

const valueText = (value: DataValue): string => (typeof value === 'object' ? listText(value) : String(value));

/** Fills `{name}` placeholders; an unknown placeholder stays visible so a wording bug can't hide silently. */
export function formatMessage(template: string, data: Record<string, DataValue> = {}): string {
  return template.replace(PLACEHOLDER, (whole, key: string) => (Object.hasOwn(data, key) ? valueText(data[key]) : whole));
}

/** One piece of a template: literal wording, or a placeholder naming a data key. */
export type TemplatePiece = { text: string } | { key: string };

/**
 * A template cut into runs: outside backticks (`code: false`) and inside them (`code: true`, the whole run is code
 * once filled), each a list of pieces. An unpaired last backtick is literal text. Renderers that must keep the PR's
 * text apart from Safari's words (the Markdown comment) read templates through this.
 */
export function parseTemplate(template: string): { code: boolean; pieces: TemplatePiece[] }[] {
  const runs = template.split('`');
  if (runs.length % 2 === 0) runs.splice(runs.length - 2, 2, `${runs[runs.length - 2]}\`${runs[runs.length - 1]}`);
  return runs
    .map((run, i) => ({ code: i % 2 === 1, pieces: templatePieces(run) }))
    .filter((run) => run.code || run.pieces.length > 0);
}

function templatePieces(run: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let at = 0;
  for (const match of run.matchAll(PLACEHOLDER)) {
    if (match.index > at) pieces.push({ text: run.slice(at, match.index) });
    pieces.push({ key: match[1] });
    at = match.index + match[0].length;
  }
  if (at < run.length) pieces.push({ text: run.slice(at) });
  return pieces;
}
