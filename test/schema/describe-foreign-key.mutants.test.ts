import { describe, expect, it } from 'vitest';
import { describeForeignKey } from '../../src/schema/describe-foreign-key.js';

describe('describeForeignKey', () => {
  it('lists several columns with a comma', () => {
    const fk = { from: ['org', 'id'], table: 'p', to: ['org', 'pid'], onDelete: 'cascade', onUpdate: 'NO ACTION' };
    expect(describeForeignKey(fk)).toBe('(org, id) → p(org, pid) ON DELETE CASCADE');
  });
});
