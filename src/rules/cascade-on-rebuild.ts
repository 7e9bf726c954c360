/**
 * A migration drops or rebuilds a table (Drizzle's `__new_x` idiom, or `RENAME TO x_old` … `DROP TABLE x_old`) while
 * other tables reference it with ON DELETE CASCADE / SET NULL / SET DEFAULT. DROP TABLE deletes every row first, and
 * D1 ignores `PRAGMA foreign_keys=OFF` (drizzle-orm #4938), so the children's rows are deleted or nulled in
 * production although the replay (which has no rows) succeeds.
 */
import type { MigrationFile } from '../discover/types.js';
import type { Report } from '../findings.js';
import { fileOperations, prFiles } from './shared/pr-operations.js';
import { splitStatements, type SqlStatement } from './shared/sql-operations.js';
import { findTable } from './shared/tables.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'cascade-on-rebuild',
  identity: ['database', 'table'],
  defaultSeverity: 'error',
  description: 'A table with ON DELETE CASCADE/SET NULL children is dropped or rebuilt; on D1 the children lose their rows.',
  messages: {
    rebuild: 'Rebuilding `{table}` drops it, and its children lose data in production ({why}): {children}.',
    drop: 'Dropping `{table}` deletes its rows, and its children lose data: {children}.',
  },
  fix: {
    rebuild:
      'Change `{table}` with ALTER TABLE (ADD/RENAME/DROP COLUMN) instead of a rebuild, or in the same migration copy each child aside before the DROP and restore it after (`CREATE TABLE x_backup AS SELECT * FROM x; … INSERT INTO x SELECT * FROM x_backup;`).',
    drop: 'Drop or detach the children first, or make sure losing their rows is intended.',
  },
  wording: ['why'],
};

const EFFECT: Record<string, string> = { CASCADE: 'rows deleted', 'SET NULL': 'references set to NULL', 'SET DEFAULT': 'references reset to defaults' };

const quotedName = (name: string) => `[\`"[]?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\`"\\]]?(?![\\w$])`;

/**
 * The backup-and-restore idiom this rule recommends: in the same file, a statement before the DROP reads the child
 * (`CREATE TABLE posts_backup AS SELECT * FROM posts`) and one after it writes the child back (`INSERT INTO posts …`,
 * `UPDATE posts …`). Such a child loses nothing.
 */
function restored(statements: StatementText[], dropLine: number, child: string): boolean {
  const name = quotedName(child);
  const reads = new RegExp(`\\b(?:FROM|JOIN)\\s+${name}`, 'i');
  const writes = new RegExp(`^\\s*(?:INSERT(?:\\s+OR\\s+\\w+)?\\s+INTO|REPLACE\\s+INTO|UPDATE(?:\\s+OR\\s+\\w+)?)\\s+${name}`, 'i');
  return statements.some((s) => s.line < dropLine && reads.test(s.text)) && statements.some((s) => s.line > dropLine && writes.test(s.text));
}

interface StatementText {
  line: number;
  text: string;
}

/** A migration's statements as token text, made once per file (a rebuild-heavy file drops many tables). */
const textCache = new WeakMap<MigrationFile, StatementText[]>();
function statementTexts(file: MigrationFile): StatementText[] {
  let texts = textCache.get(file);
  if (!texts) {
    const text = (s: SqlStatement) => s.tokens.map((t) => (t.kind === 'quoted' ? `"${t.value}"` : t.value)).join(' ');
    texts = splitStatements(file.content).map((s) => ({ line: s.line, text: text(s) }));
    textCache.set(file, texts);
  }
  return texts;
}

const ACTIONS = new Set(['CASCADE', 'SET NULL', 'SET DEFAULT']);

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    const base = db.base.replay.schema;
    const head = db.head.replay.schema;
    /** Current name (lower-case) → the base table it is, following the PR's renames (undefined: not a base table). */
    const alias = new Map<string, string | undefined>();
    for (const name of Object.keys(base.tables)) alias.set(name.toLowerCase(), name);
    const reported = new Set<string>();
    // A migration already on main has run: editing it deletes nothing (edited-migration reports the edit itself).
    const onMain = new Set(db.base.files.map((f) => f.path));
    const ops = prFiles(input, db)
      .filter((f) => !onMain.has(f.path))
      .flatMap((migration) => fileOperations(migration).map((o) => ({ ...o, migration })));
    for (const { op, file, line, migration } of ops) {
      if (op.kind === 'rename-table') {
        const original = alias.get(op.table);
        alias.delete(op.table);
        alias.set(op.to, original);
        continue;
      }
      if (op.kind !== 'drop-table') continue;
      const parent = alias.get(op.table);
      alias.delete(op.table);
      if (!parent || reported.has(parent)) continue;
      // Turso / libSQL: Drizzle's libsql migrator (the @libsql/client `migrate()`) runs `PRAGMA foreign_keys=off`
      // before its transaction and `on` after it, so the DROP cascades nowhere.
      if (db.spec.engine === 'libsql' && migration.applier === 'drizzle') continue;
      const children: string[] = [];
      const effects: string[] = [];
      const actions = new Set<string>();
      for (const child of Object.values(base.tables)) {
        if (child.name === parent) continue;
        const cascading = child.foreignKeys.filter((fk) => fk.table.toLowerCase() === parent.toLowerCase() && ACTIONS.has(fk.onDelete.toUpperCase()));
        // The restore check reads the file's statements: only for a child that would lose rows.
        if (!cascading.length || !findTable(head, child.name)) continue;
        if (restored(statementTexts(migration), line, child.name)) continue;
        for (const fk of cascading) {
          const action = fk.onDelete.toUpperCase();
          children.push(`${child.name}(${fk.from.join(', ')}) ON DELETE ${action}`);
          effects.push(`${child.name}(${fk.from.join(', ')}) ON DELETE ${action}: ${EFFECT[action]}`);
          actions.add(action);
        }
      }
      if (!children.length) continue;
      reported.add(parent);
      const d1 = db.spec.dialect === 'd1';
      reports.push({
        messageId: findTable(head, parent) ? 'rebuild' : 'drop',
        data: {
          table: parent,
          children,
          why: d1 ? 'D1 ignores PRAGMA foreign_keys=OFF' : "PRAGMA foreign_keys=OFF does nothing inside the migration's transaction",
          database: db.spec.name,
        },
        database: db.spec.name,
        table: parent,
        file,
        line,
        severity: d1 ? 'error' : 'warning',
        details: effects,
      });
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
