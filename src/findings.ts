/**
 * Findings are data (zod's issues-as-data): a rule id, a message id and the values it needs.
 * The words live in each rule's `meta.messages`; `formatMessage` is the one place that fills them in.
 */

export type Severity = 'error' | 'warning' | 'notice';
export type SeveritySetting = Severity | 'off';

export const severityRank: Record<Severity, number> = { notice: 0, warning: 1, error: 2 };

/** What a rule reports: data only, no wording. */
export interface Report {
  /** Key into the rule's `meta.messages`. */
  messageId: string;
  data?: Record<string, string | number>;
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
  data: Record<string, string | number>;
  database?: string;
  file?: string;
  line?: number;
  endLine?: number;
  table?: string;
  preexisting: boolean;
  details?: string[];
  /** Set when a `-- safari-ignore: rule-id reason` comment in the file silences it. */
  acknowledged?: { reason: string };
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible so a wording bug can't hide silently. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}
