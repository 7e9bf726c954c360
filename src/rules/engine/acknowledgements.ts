/**
 * Inline acknowledgements: `-- safari-ignore: rule-id[, rule-id] reason` anywhere in a migration file silences those
 * rules for findings in that file. The finding stays listed (acknowledged, with the reason) and never fails the check.
 */

export interface Acknowledgement {
  rules: string[];
  reason: string;
  line: number;
}

const PATTERN = /--\s*safari-ignore:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)(.*)$/gim;

export function parseAcknowledgements(content: string): Acknowledgement[] {
  const acks: Acknowledgement[] = [];
  for (const m of content.matchAll(PATTERN)) {
    const line = content.slice(0, m.index).split('\n').length;
    acks.push({
      rules: m[1].split(',').map((s) => s.trim().toLowerCase()),
      // `rule: reason` and `rule - reason` are common spellings; the separator is not part of the reason.
      reason: m[2].replace(/^[\s:;,.\u2013\u2014-]+/, '').trim() || '(no reason given)',
      line,
    });
  }
  return acks;
}
