// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant of migration-numbers.ts
// that survived the rule suite. The folder's number convention decides what mixed-number-width asks of a new file.
import { describe, expect, it } from 'vitest';
import type { MigrationFile } from '../../../src/discover/types.js';
import { fileName, fitsConvention, highestNumber, numberConvention, type NumberConvention } from '../../../src/rules/history/migration-numbers.js';
import rule from '../../../src/rules/mixed-number-width.js';
import { expectFires, expectPasses } from '../../helpers/lint.js';
import { migrationsInput } from '../../helpers/prepared-input.js';

const sql = (name: string) => `CREATE TABLE t_${name.replace(/\W/g, '_')} (id INTEGER);\n`;
/** Main's `migrations/` folder holding `names`, and a PR that adds `added`. */
const folder = (names: string[], added: string) =>
  migrationsInput(Object.fromEntries(names.map((n) => [`migrations/${n}`, sql(n)])), { [`migrations/${added}`]: sql(added) });

/** A wrangler file of folder `m` whose name starts with `digits` (null: unnumbered). */
const file = (digits: string | null, name = 'x'): MigrationFile => ({
  path: `m/${digits ?? ''}${digits === null ? '' : '_'}${name}.sql`,
  source: 'm',
  applier: 'wrangler',
  content: '',
  number: digits === null ? null : Number(digits),
  numberText: digits,
});

describe('a padded folder whose numbers outgrew the width (0999 → 1000)', () => {
  const main = ['0998_a.sql', '0999_b.sql', '1000_c.sql'];

  it('keeps its padded width: the next number fits, a zero-padded wider one does not', async () => {
    await expectPasses(rule, folder(main, '1001_d.sql'));
    const [r] = await expectFires(rule, folder(main, '01001_d.sql'));
    expect(r).toMatchObject({
      messageId: 'padded',
      file: 'migrations/01001_d.sql',
      data: { number: '01001', width: 4, example: '1000_c.sql', suggested: '1001_d.sql' },
    });
  });

  it('lets a number grow past the width without a leading zero, and no further zero-padding', async () => {
    await expectPasses(rule, folder(['0998_a.sql', '0999_b.sql'], '1000_c.sql'));
    const [r] = await expectFires(rule, folder(['0098_a.sql', '0099_b.sql'], '00100_c.sql'));
    expect(r).toMatchObject({ messageId: 'padded', data: { number: '00100', width: 4, suggested: '0100_c.sql' } });
  });
});

describe('a plain folder', () => {
  it('that reached two digits is still plain: a leading zero is the odd one out', async () => {
    const [r] = await expectFires(rule, folder(['9_a.sql', '10_b.sql'], '012_c.sql'));
    expect(r).toMatchObject({ messageId: 'plain', data: { number: '012', example: '10_b.sql', suggested: '12_c.sql' } });
  });

  it('takes a shorter number as written (plain numbers have no width)', async () => {
    await expectPasses(rule, folder(['9_a.sql', '10_b.sql'], '8_c.sql'));
  });

  it('that starts at 0 is plain: `0` is no leading zero', async () => {
    const [r] = await expectFires(rule, folder(['0_init.sql', '1_a.sql'], '02_b.sql'));
    expect(r).toMatchObject({ messageId: 'plain', data: { number: '02', suggested: '2_b.sql' } });
    await expectPasses(rule, folder(['1_a.sql', '2_b.sql'], '0_seed.sql'));
  });
});

describe('numberConvention, fitsConvention and highestNumber (direct)', () => {
  const padded = (width: number): NumberConvention => ({ padded: true, width, example: file('1') });

  it('keeps the widest padding a folder used once its numbers outgrew it', () => {
    expect(numberConvention([file('01'), file('0002'), file('10000')])).toMatchObject({ padded: true, width: 4 });
    expect(numberConvention([file('0'), file('1')])).toMatchObject({ padded: false, width: 1 });
  });

  it('holds a padded width exactly with a leading zero, at least without one', () => {
    expect(fitsConvention('0099', padded(4))).toBe(true);
    expect(fitsConvention('00100', padded(4))).toBe(false);
    expect(fitsConvention('099', padded(4))).toBe(false);
    expect(fitsConvention('1000', padded(4))).toBe(true);
    expect(fitsConvention('10000', padded(4))).toBe(true);
    expect(fitsConvention('999', padded(4))).toBe(false);
    expect(fitsConvention('0', { padded: false, width: 2, example: file('10') })).toBe(true);
  });

  it('finds the highest number in any order, the first of equal ones, and nothing in an unnumbered folder', () => {
    const [ten, nine] = [file('10'), file('9')];
    expect(highestNumber([ten, nine])).toBe(ten);
    expect(highestNumber([nine, ten])).toBe(ten);
    const [a, b] = [file('0005', 'a'), file('0005', 'b')];
    expect(highestNumber([a, b])).toBe(a);
    expect(highestNumber([file(null)])).toBeUndefined();
    expect(highestNumber([file(null), file('0')])?.numberText).toBe('0');
  });
});

// Stryker's `history` batch counted these mutants as timeouts under load; a quieter rerun (`history-after`) found
// them alive.
describe("the newest file's own convention", () => {
  it('follows a folder that narrowed its padding (00001, 00002, then 0003): the next file has four digits', async () => {
    const main = ['00001_a.sql', '00002_b.sql', '0003_c.sql'];
    await expectPasses(rule, folder(main, '0004_d.sql'));
    const [r] = await expectFires(rule, folder(main, '00004_d.sql'));
    expect(r).toMatchObject({ messageId: 'padded', data: { number: '00004', width: 4, example: '0003_c.sql' } });
  });

  it('reads a lone 0 as a plain number, not as padding: 01 after 0 is zero-padded in a plain folder', async () => {
    await expectPasses(rule, folder(['0_init.sql'], '1_next.sql'));
    const [r] = await expectFires(rule, folder(['0_init.sql'], '01_next.sql'));
    expect(r).toMatchObject({ messageId: 'plain', file: 'migrations/01_next.sql' });
  });
});

describe('fileName', () => {
  it("keeps drizzle-kit 1.x's timestamp folder, also for a folder at the repository root", () => {
    expect(fileName('drizzle/20250101120000_init/migration.sql')).toBe('20250101120000_init/migration.sql');
    expect(fileName('20250101120000_init/migration.sql')).toBe('20250101120000_init/migration.sql');
  });

  it('reads only a name that ends in migration.sql as that layout', () => {
    expect(fileName('m/20250101120000_init/migration.sql.bak.sql')).toBe('migration.sql.bak.sql');
    expect(fileName('m/0001_init.sql')).toBe('0001_init.sql');
  });
});
