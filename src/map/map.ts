/**
 * `safari map`: the first thing a newcomer runs. Every database at one revision, the folders (and configs) that feed
 * it, how many migrations, and the tables its replayed schema holds. Same discovery and replay as a review.
 */
import { loadConfig } from '../config/load-config.js';
import { discover } from '../discover/discover.js';
import { loadMigrations } from '../discover/load-migrations.js';
import type { ReplaySandbox } from '../replay/sandbox.js';
import type { SourceKind } from '../discover/types.js';
import type { Tree } from '../source/types.js';

export interface MapDatabase {
  name: string;
  dialect: 'd1' | 'sqlite';
  sources: { path: string; kind: SourceKind; migrations: number; reasons: string[] }[];
  migrations: number;
  /** Table names, sorted. */
  tables: string[];
  views: string[];
  /** false when some migration failed to replay (the table list is then partial). */
  ok: boolean;
  failures: { file: string; line: number; message: string }[];
  notReplayed?: string;
}

export interface RepositoryMap {
  revision: string;
  databases: MapDatabase[];
  totalTables: number;
  unattributed: string[];
  notices: string[];
}

export async function mapRepository(tree: Tree, sandbox: ReplaySandbox): Promise<RepositoryMap> {
  const { config, errors } = await loadConfig(tree);
  const discovery = await discover(tree, errors.length ? undefined : config);
  const databases = await Promise.all(
    discovery.databases.map(async (spec): Promise<MapDatabase> => {
      // Loading's notices (a file that isn't text, a malformed journal) say why the map counts fewer migrations.
      const files = await loadMigrations(tree, spec, { ignore: errors.length ? [] : config.ignore, notices: discovery.notices });
      // Files replayed other than as written (issue 9): say so, as the review's replay-error does.
      for (const f of files) {
        if (!f.unread && f.nulLine === undefined) continue;
        const message = f.unread?.reason === 'too-large' ? 'it is too large to read; it was not replayed' : f.unread ? 'it could not be read; it was not replayed' : `SQLite stops reading it at the NUL byte on line ${f.nulLine}`;
        discovery.notices.push({ messageId: 'config-unreadable', file: f.path, database: spec.name, data: { file: f.path, message } });
      }
      const replay =
        spec.notReplayed || files.length === 0
          ? undefined
          : await sandbox.replay({ database: spec.name, dialect: spec.dialect, files });
      return {
        name: spec.name,
        dialect: spec.dialect,
        sources: spec.sources.map((s) => ({
          path: s.path,
          kind: s.kind,
          migrations: files.filter((f) => f.source === s.path).length,
          reasons: s.attributions.map((a) => a.reason),
        })),
        migrations: files.length,
        tables: Object.keys(replay?.schema.tables ?? {}).sort(),
        views: Object.keys(replay?.schema.views ?? {}).sort(),
        ok: replay?.ok ?? true,
        failures: (replay?.failures ?? []).map((f) => ({ file: f.file, line: f.line, message: f.message })),
        ...(spec.notReplayed ? { notReplayed: spec.notReplayed } : {}),
      };
    }),
  );
  databases.sort((a, b) => b.tables.length - a.tables.length || a.name.localeCompare(b.name));
  return {
    revision: tree.id,
    databases,
    totalTables: databases.reduce((n, d) => n + d.tables.length, 0),
    unattributed: discovery.unattributed,
    notices: [
      ...errors.map((e) => `${e.file}${e.line ? `:${e.line}` : ''}: ${e.path} ${e.message}`),
      ...discovery.notices.map((n) => `${n.messageId}: ${Object.values(n.data).join(' · ')}`),
    ],
  };
}
