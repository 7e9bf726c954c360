import { describe, expect, it } from 'vitest';
import { renderText, shouldUseColor } from '../../src/render/text.js';
import { finding, ruleFinding, sampleResult } from './sample-result.js';

const ESC = '\u001b';

describe('renderText', () => {
  it('summarises the verdict, changed databases and findings without colour by default', () => {
    const text = renderText(sampleResult());
    expect(text).not.toContain(ESC);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Migration Safari: 1 error, 1 warning, 1 notice — 2 of 4 databases changed (failure)');
    expect(text).toContain('grove-engine-db  tables 2 → 3  +2 -1 ~1 renamed 0');
    expect(text).toContain('(head replay was partial: the diff is best effort)');
    expect(text).toContain('2 databases unchanged');
    expect(text).toContain('✖ duplicate-number  libs/engine/migrations/0085_x.sql:1 [grove-engine-db]');
    expect(text).toContain('acknowledged: consolidation tracked in #42');
    expect(text).toContain('already on main: 1 finding');
    expect(text).toContain('libs/engine/migrations/manual');
  });

  it('colours only when asked', () => {
    const text = renderText(sampleResult(), { color: true });
    expect(text).toContain(`${ESC}[31m`);
    expect(text.replace(/\u001b\[\d+m/g, '')).toBe(renderText(sampleResult()));
  });

  it('shows control characters from hostile names instead of sending them to the terminal', () => {
    const result = sampleResult();
    result.findings.push(finding({ rule: 'destructive-change', severity: 'error', message: `drop ${ESC}[2J${ESC}]0;pwned\u0007 now`, file: `a\u202eb.sql` }));
    const text = renderText(result, { color: true });
    // The only ESC bytes left are our own SGR colour codes.
    expect(text.replace(/\u001b\[\d+m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain('drop \\x1b[2J\\x1b]0;pwned\\x07 now');
    expect(text).toContain('a\\u{202e}b.sql');
  });
});

describe('renderText: already on main', () => {
  it('lists old problems of the databases the change touches and counts the others on one line', () => {
    const result = sampleResult();
    const old = (database: string) =>
      ruleFinding('table-budget', 'already', { data: { database, count: 120, budget: 100 }, database, preexisting: true });
    result.findings.push(old('grove-zeta-db'), old('grove-zeta-db'), old('grove-auth-db'));
    const text = renderText(result);
    expect(text).toContain('already on main: 1 finding');
    expect(text).not.toContain('grove-zeta-db has 120 tables');
    expect(text).toContain('already on main in databases this change does not touch: 3 findings (grove-zeta-db 2, grove-auth-db 1)');
  });
});

describe('shouldUseColor', () => {
  it('follows the TTY, NO_COLOR, TERM=dumb and FORCE_COLOR', () => {
    expect(shouldUseColor({ isTTY: true }, {})).toBe(true);
    expect(shouldUseColor({ isTTY: false }, {})).toBe(false);
    expect(shouldUseColor({}, {})).toBe(false);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(shouldUseColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });
});
