// Issue 7 item 21: no fix text may advise an action that loses data or undoes a deliberate fix when its premise is
// uncertain. Deleting migrations or undoing edits is advised only for the PR's own new files, and says so.
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/registry.js';

const fixesOf = (fix: string | Record<string, string> | undefined): [string, string][] =>
  typeof fix === 'string' ? [['*', fix]] : Object.entries(fix ?? {});

/** Rules whose finding is always about a file this PR adds: "delete this migration" there only touches the PR's work. */
const PR_ADDED_ONLY = new Set(['duplicate-number/takenDrizzle', 'out-of-order/drizzleSkipped']);

describe('fix texts', () => {
  it('advise deleting migrations or undoing edits only for the PR\'s own new files, and say so', () => {
    const offenders: string[] = [];
    for (const { meta } of rules) {
      for (const [id, text] of fixesOf(meta.fix)) {
        if (!/\b(delete|undo|remove the entry)\b/i.test(text) || PR_ADDED_ONLY.has(`${meta.id}/${id}`)) continue;
        if (/this PR's own|only this PR's|only if|otherwise undo|add a new migration|delete or detach the children|nothing to fix/i.test(text)) continue;
        offenders.push(`${meta.id}/${id}: ${text}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('never tell a folder wrangler applies to start its Drizzle history over', () => {
    const journal = rules.find((r) => r.meta.id === 'drizzle-journal-mismatch')!;
    const fix = (journal.meta.fix as Record<string, string>)['journal-missing-wrangler'];
    expect(fix).toMatch(/Keep the existing files/);
    expect(fix).not.toMatch(/\bdelete\b/i);
  });
});
