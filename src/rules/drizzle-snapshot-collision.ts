/**
 * Drizzle snapshots form a chain by `prevId` (v1: `prevIds`). Two snapshots with the same parent mean two branches
 * generated migrations from the same point; a PR whose first new snapshot doesn't follow main's latest generated its
 * migrations before main moved. Either way the next `drizzle-kit generate` diffs against the wrong state, and the
 * migrations must be regenerated after rebasing.
 */
import type { Report } from '../findings.js';
import { drizzleFolders, generateCommand } from '../drizzle/rule-helpers.js';
import { ROOT_SNAPSHOT_ID } from '../drizzle/read-folder.js';
import type { DrizzleFolderAnalysis, Snapshot } from '../drizzle/types.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'drizzle-snapshot-collision',
  identity: { 'shared-parent': ['database', 'data.parent'], 'stale-parent': ['database', 'data.snapshot'], 'unknown-parent': ['database', 'data.snapshot'] },
  defaultSeverity: 'error',
  description: 'Two Drizzle snapshots share a parent, or the PR generated its migrations from an outdated snapshot.',
  messages: {
    'shared-parent': '{snapshot} and {other} both name {parent} as their parent: two branches generated migrations from the same snapshot, so {snapshot} does not include {other}\'s changes.',
    'stale-parent': '{snapshot} follows {parent}, but main\'s latest snapshot is {latest} (id {latestId}…): this branch generated its migrations before main moved.',
    'unknown-parent':
      '{snapshot} names {parent} as its parent, but no snapshot on main or in this PR has that id (written or edited by hand?). drizzle-kit only refuses snapshots that share a parent, so nothing breaks yet, but the chain no longer shows what {snapshot} follows (main\'s latest is {latest}).',
  },
  fix: {
    'shared-parent': 'Rebase on main, delete this PR\'s own new migration(s) from {snapshot} on (SQL, snapshot and journal entry), then run `{command}` to generate them on top of {other}. Migrations already on main stay as they are.',
    'stale-parent': 'Rebase on main, delete this PR\'s own new migration(s) (SQL, snapshots and journal entries), take main\'s meta/_journal.json, then run `{command}`. Migrations already on main stay as they are.',
    'unknown-parent': 'Set its `prevId` to the id of {latest} if it was generated on top of it; otherwise let `{command}` write this PR\'s snapshot.',
  },
};

const short = (id: string): string => (id === ROOT_SNAPSHOT_ID ? 'the empty root' : id.slice(0, 8));

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const folder of drizzleFolders(input)) reports.push(...sharedParents(folder), ...staleParent(folder, input));
  return reports;
}

function sharedParents(folder: DrizzleFolderAnalysis): Report[] {
  const reports: Report[] = [];
  const baseIds = new Set((folder.base?.snapshots ?? []).map((s) => s.id));
  const byParent = new Map<string, Snapshot[]>();
  for (const s of folder.head.snapshots) for (const p of s.prevIds) (byParent.get(p) ?? byParent.set(p, []).get(p)!).push(s);
  for (const [parent, children] of byParent) {
    // Main's child stays first: the snapshot(s) to regenerate are the others, the PR's when there are any (none
    // when the parent has one child).
    const ordered = [...children].sort((a, b) => Number(!baseIds.has(a.id)) - Number(!baseIds.has(b.id)) || a.path.localeCompare(b.path));
    const [other, ...rest] = ordered;
    const parentSnapshot = folder.head.snapshots.find((s) => s.id === parent);
    for (const snapshot of rest) {
      reports.push({
        messageId: 'shared-parent',
        data: { snapshot: snapshot.path, other: other.path, parent: parentSnapshot ? parentSnapshot.path : short(parent), command: generateCommand(folder) },
        database: folder.database,
        file: snapshot.path,
        line: 1,
        preexisting: baseIds.has(snapshot.id) && baseIds.has(other.id),
      });
    }
  }
  return reports;
}

function staleParent(folder: DrizzleFolderAnalysis, input: RuleInput): Report[] {
  const base = folder.base;
  // Main's newest snapshot: the chain's tip, or — when main's own chain is broken — the last one in folder order.
  const mainLatest = base?.latest ?? base?.snapshots.at(-1);
  if (!base || !mainLatest) return [];
  const baseIds = new Set(base.snapshots.map((s) => s.id));
  const added = folder.head.snapshots.filter((s) => !baseIds.has(s.id));
  const addedIds = new Set(added.map((s) => s.id));
  const firsts = added.filter((s) => !s.prevIds.some((p) => addedIds.has(p)));
  const reports: Report[] = [];
  const headIds = new Map(folder.head.snapshots.map((s) => [s.id, s]));
  // The PR replaced main's newest snapshot (regenerated main's latest migration: new id, same parent). The PR's own
  // changes modify or delete that file, so it was there when the branch started: main has not moved since. That is no
  // collision; edited-migration judges the regenerated migration as an edit of an applied one. (A merge conflict
  // resolved to the PR's side looks the same in head, but there the PR *added* the file.)
  const replacedLatest =
    !headIds.has(mainLatest.id) &&
    input.changes.some((c) => (c.path === mainLatest.path && (c.status === 'modified' || c.status === 'deleted')) || c.oldPath === mainLatest.path);
  // The same holds when the PR regenerated from further back (squashed main's migrations into a new 0000 from the empty
  // root): it follows an ancestor of the snapshot it removed. That rewrites main's history, which deleted-migration and
  // edited-migration report; "generated before main moved" would be untrue, and its fix would undo the squash.
  const ancestors = new Set([ROOT_SNAPSHOT_ID]);
  const baseById = new Map(base.snapshots.map((s) => [s.id, s]));
  for (let todo = [...mainLatest.prevIds]; todo.length > 0; ) {
    const id = todo.pop()!;
    if (ancestors.has(id)) continue;
    ancestors.add(id);
    todo.push(...(baseById.get(id)?.prevIds ?? []));
  }
  const followsAncestor = (s: Snapshot) => s.prevIds.length > 0 && s.prevIds.every((p) => ancestors.has(p));
  for (const first of firsts) {
    if (first.prevIds.includes(mainLatest.id)) continue;
    if (replacedLatest && followsAncestor(first)) continue;
    // A parent that's still in the head with another child is shared-parent's finding.
    const siblings = folder.head.snapshots.filter((s) => s !== first && s.prevIds.some((p) => first.prevIds.includes(p)));
    if (siblings.length > 0) continue;
    const parent = first.prevIds.map((p) => headIds.get(p)?.path ?? base.snapshots.find((s) => s.id === p)?.path ?? short(p)).join(', ');
    // A parent no snapshot has, and no snapshot of main follows: a hand-made snapshot, not a branch that generated
    // before main moved.
    const known = (p: string) => p === ROOT_SNAPSHOT_ID || headIds.has(p) || baseById.has(p) || base.snapshots.some((s) => s.prevIds.includes(p));
    if (!first.prevIds.some(known)) {
      reports.push({
        messageId: 'unknown-parent',
        severity: 'warning',
        data: { snapshot: first.path, parent, latest: mainLatest.path, command: generateCommand(folder) },
        database: folder.database,
        file: first.path,
        line: 1,
      });
      continue;
    }
    reports.push({
      messageId: 'stale-parent',
      data: { snapshot: first.path, parent, latest: mainLatest.path, latestId: short(mainLatest.id), command: generateCommand(folder) },
      database: folder.database,
      file: first.path,
      line: 1,
    });
  }
  return reports;
}

export default { meta, check } satisfies Rule;
