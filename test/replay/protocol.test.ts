import { describe, expect, it } from 'vitest';
import { shortenStatement } from '../../src/replay/protocol.js';

describe('shortenStatement', () => {
  it('trims a statement and keeps it whole up to 500 characters', () => {
    expect(shortenStatement('  SELECT 1;\n')).toBe('SELECT 1;');
    const exact = `SELECT '${'x'.repeat(490)}';`;
    expect(exact).toHaveLength(500);
    expect(shortenStatement(exact)).toBe(exact);
  });

  it('cuts a longer statement to 500 characters, the last an ellipsis', () => {
    const long = `INSERT INTO t VALUES ('${'y'.repeat(600)}');`;
    const short = shortenStatement(`\n${long}`);
    expect(short).toHaveLength(500);
    expect(short).toBe(`${long.slice(0, 499)}…`);
  });
});
