/**
 * The renames the PR ran, out of every rename the head replay saw. A rename in a file the PR does not touch is
 * history. So is one in a file the PR edits, renames or replaces that main's replay ran too: databases already ran
 * it, and feeding it to the diff as the PR's paired the old name with a table a later migration re-created under it
 * — a fake rename, drop and add in the summary.
 */
import type { RenameEvent } from '../replay/types.js';
import type { FileChange } from '../source/types.js';

const keyOf = (r: RenameEvent) => (r.kind === 'table' ? `t\0${r.from}\0${r.to}` : `c\0${r.table}\0${r.from}\0${r.to}`).toLowerCase();

export function prRenames(headRenames: RenameEvent[], baseRenames: RenameEvent[], changes: FileChange[]): RenameEvent[] {
  // A deleted file is not in head, so no head rename names it: every changed path can count as touched.
  const touched = new Set(changes.map((c) => c.path));
  // Files of main the PR changes, renames away or deletes: the renames they ran are history.
  const replaced = new Set(changes.flatMap((c) => (c.status === 'added' ? [] : [c.oldPath ?? c.path])));
  const history = new Map<string, number>();
  for (const r of baseRenames) if (replaced.has(r.file)) history.set(keyOf(r), (history.get(keyOf(r)) ?? 0) + 1);
  return headRenames.filter((r) => {
    if (!touched.has(r.file)) return false;
    const left = history.get(keyOf(r)) ?? 0;
    if (left === 0) return true;
    history.set(keyOf(r), left - 1);
    return false;
  });
}
