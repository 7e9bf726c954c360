import { describe, expect, it } from 'vitest';
import { compareMigrationPaths, leadingNumber } from '../../src/discover/order.js';

const sorted = (paths: string[]): string[] => [...paths].sort(compareMigrationPaths);

describe('leadingNumber', () => {
  it('reads the leading digits as written and as a value', () => {
    expect(leadingNumber('0007_add_users.sql')).toEqual({ number: 7, text: '0007' });
    expect(leadingNumber('20250114093000_init')).toEqual({ number: 20250114093000, text: '20250114093000' });
  });
  it('is null for unnumbered names', () => {
    expect(leadingNumber('seed.sql')).toBeNull();
    expect(leadingNumber('v2_users.sql')).toBeNull();
  });
});

describe('compareMigrationPaths (wrangler order)', () => {
  it('compares leading numbers numerically, not as text', () => {
    expect(sorted(['10_c.sql', '9_b.sql', '100_a.sql'])).toEqual(['9_b.sql', '10_c.sql', '100_a.sql']);
  });

  it('treats 001 and 0001 as the same number and breaks the tie lexicographically', () => {
    // Same number (1); the tie-break is code-unit order of the whole name, where '0001_a' < '001_b'.
    expect(compareMigrationPaths('001_b.sql', '0001_a.sql')).toBeGreaterThan(0);
    expect(compareMigrationPaths('001_a.sql', '0001_a.sql')).not.toBe(0);
    expect(sorted(['001_b.sql', '0001_a.sql'])).toEqual(['0001_a.sql', '001_b.sql']);
    expect(sorted(['002_x.sql', '0001_y.sql', '001_z.sql'])).toEqual(['0001_y.sql', '001_z.sql', '002_x.sql']);
  });

  it('orders duplicate numbers by name, as wrangler applies them', () => {
    expect(sorted(['031_petal_upload_gate.sql', '032_git_dashboard.sql', '031_gallery_curio.sql'])).toEqual([
      '031_gallery_curio.sql',
      '031_petal_upload_gate.sql',
      '032_git_dashboard.sql',
    ]);
  });

  it('puts numbered names before unnumbered ones', () => {
    expect(sorted(['seed.sql', '2_b.sql', 'README.sql', '1_a.sql'])).toEqual(['1_a.sql', '2_b.sql', 'README.sql', 'seed.sql']);
  });

  it('compares nested layouts segment by segment', () => {
    expect(sorted(['10_users/migration.sql', '9_init/migration.sql', '9_init/a.sql'])).toEqual([
      '9_init/a.sql',
      '9_init/migration.sql',
      '10_users/migration.sql',
    ]);
  });

  it('handles numbers beyond 2^53 exactly', () => {
    expect(compareMigrationPaths('99999999999999999999_a.sql', '100000000000000000000_a.sql')).toBeLessThan(0);
  });

  it('is a consistent total order (antisymmetric)', () => {
    const names = ['1_a', '01_a', '001_b', '10', '9', 'x', 'X', '2x', '02x', 'a/1', 'a/01'];
    for (const a of names) for (const b of names) expect(Math.sign(compareMigrationPaths(a, b))).toBe(-Math.sign(compareMigrationPaths(b, a)) || 0);
  });
});
