import { describe, expect, it } from 'vitest';
import { emptyDelta, isDeltaEmpty } from '../../src/schema/delta.js';

describe('isDeltaEmpty', () => {
  it('is true only when no list has an entry', () => {
    expect(isDeltaEmpty(emptyDelta())).toBe(true);
    expect(isDeltaEmpty({ ...emptyDelta(), viewsChanged: ['v'] })).toBe(false);
    expect(isDeltaEmpty({ ...emptyDelta(), tablesAdded: ['t'] })).toBe(false);
  });
});
