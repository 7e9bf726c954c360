/**
 * A migration drops or rebuilds a table (Drizzle's `__new_x` idiom, or `RENAME TO x_old` … `DROP TABLE x_old`) while
 * other tables reference it with ON DELETE CASCADE / SET NULL / SET DEFAULT. DROP TABLE deletes every row first, and
 * D1 ignores `PRAGMA foreign_keys=OFF` (drizzle-orm #4938), so the children's rows are deleted or nulled in
 * production although the replay (which has no rows) succeeds.
 */
import type { Report } from '../findings.js';
import { prOperations } from './shared/pr-operations.js';
import { findTable } from './shared/tables.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'cascade-on-rebuild',
  identity: ['database', 'table'],
  defaultSeverity: 'error',
  description: 'A table with ON DELETE CASCADE/SET NULL children is dropped or rebuilt; on D1 the children lose their rows.',
  messages: {
    rebuild:
      'Rebuilding `{table}` drops it, and {children} reference it with ON DELETE {action}: {effect} in production ({why}).',
    drop: 'Dropping `{table}` deletes its rows, and {children} reference it with ON DELETE {action}: {effect}.',
  },
  fix: {
    rebuild:
      'Change `{table}` with ALTER TABLE (ADD/RENAME/DROP COLUMN) instead of a rebuild, or copy {children} aside and restore them in the same migration.',
    drop: 'Drop or detach the children first, or make sure losing their rows is intended.',
  },
  wording: ['effect', 'why'],
};

const ACTIONS = new Set(['CASCADE', 'SET NULL', 'SET DEFAULT']);

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    const base = db.base.replay.schema;
    const head = db.head.replay.schema;
    /** Current name (lower-case) → the base table it is, following the PR's renames. */
    const alias = new Map<string, string>();
    for (const name of Object.keys(base.tables)) alias.set(name.toLowerCase(), name);
    const reported = new Set<string>();
    // A migration already on main has run: editing it deletes nothing (edited-migration reports the edit itself).
    const onMain = new Set(db.base.files.map((f) => f.path));
    for (const { op, file, line } of prOperations(input, db).filter((o) => !onMain.has(o.file))) {
      if (op.kind === 'rename-table') {
        const original = alias.get(op.table);
        alias.delete(op.table);
        if (original) alias.set(op.to, original);
        continue;
      }
      if (op.kind !== 'drop-table') continue;
      const parent = alias.get(op.table);
      alias.delete(op.table);
      if (!parent || reported.has(parent)) continue;
      const children: string[] = [];
      const actions = new Set<string>();
      for (const child of Object.values(base.tables)) {
        if (child.name === parent || !findTable(head, child.name)) continue;
        for (const fk of child.foreignKeys) {
          const action = fk.onDelete.toUpperCase();
          if (fk.table.toLowerCase() !== parent.toLowerCase() || !ACTIONS.has(action)) continue;
          children.push(`${child.name}(${fk.from.join(', ')})`);
          actions.add(action);
        }
      }
      if (!children.length) continue;
      reported.add(parent);
      const d1 = db.spec.dialect === 'd1';
      const action = [...actions].sort().join('/');
      reports.push({
        messageId: findTable(head, parent) ? 'rebuild' : 'drop',
        data: {
          table: parent,
          children,
          action,
          effect: actions.has('CASCADE')
            ? 'their rows are deleted'
            : actions.has('SET NULL')
              ? 'their references are set to NULL'
              : 'their references are reset to defaults',
          why: d1
            ? 'D1 ignores PRAGMA foreign_keys=OFF'
            : "PRAGMA foreign_keys=OFF does nothing inside the migration's transaction",
          database: db.spec.name,
        },
        database: db.spec.name,
        table: parent,
        file,
        line,
        severity: d1 ? 'error' : 'warning',
      });
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
