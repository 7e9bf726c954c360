import { describe, expect, it } from 'vitest';
import { parseAcknowledgements } from '../../../src/rules/engine/acknowledgements.js';

describe('parseAcknowledgements', () => {
  it('reads rule ids, the reason and the line of each safari-ignore comment', () => {
    const sql = [
      'CREATE TABLE a (id);',
      '-- safari-ignore: destructive-change, drop-referenced-table shop was never launched',
      'DROP TABLE products;',
      '  --safari-ignore:Replay-Error',
    ].join('\n');
    expect(parseAcknowledgements(sql)).toEqual([
      { rules: ['destructive-change', 'drop-referenced-table'], reason: 'shop was never launched', line: 2 },
      { rules: ['replay-error'], reason: '(no reason given)', line: 4 },
    ]);
  });

  it('does not keep the separator people write between the rule ids and the reason', () => {
    const reasons = ['-- safari-ignore: destructive-change: tables empty', '-- safari-ignore: destructive-change - tables empty', '-- safari-ignore: destructive-change — tables empty']
      .map((line) => parseAcknowledgements(line)[0].reason);
    expect(reasons).toEqual(['tables empty', 'tables empty', 'tables empty']);
    expect(parseAcknowledgements('-- safari-ignore: destructive-change:')[0].reason).toBe('(no reason given)');
  });

  it('ignores mentions that are not a safari-ignore comment', () => {
    expect(parseAcknowledgements("INSERT INTO notes VALUES ('safari-ignore: replay-error');\n-- see safari ignore docs")).toEqual([]);
  });
});
