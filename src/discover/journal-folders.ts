/**
 * drizzle-kit folders that no config names: every folder holding `meta/_journal.json` is a Drizzle folder (its
 * migrations apply in journal order), and the journal's `dialect` says whether Safari can replay it.
 */
import { drizzleReplay, type DrizzleReplay } from './drizzle-config.js';
import { folderOf } from './paths.js';

export const JOURNAL_FILE = /(?:^|\/)meta\/_journal\.json$/;

export interface JournalFolder {
  /** The migrations folder (the journal's `meta/` parent), repo-relative. */
  folder: string;
  journalFile: string;
  dialect?: string;
  replay: DrizzleReplay;
}

/** Reads the journal's `dialect` (drizzle-kit writes sqlite, turso, postgresql, mysql, singlestore; old kits: pg). */
export function readJournalFolder(journalFile: string, text: string | undefined): JournalFolder {
  const folder = folderOf(folderOf(journalFile));
  let dialect: string | undefined;
  try {
    const value = (JSON.parse(text ?? '') as { dialect?: unknown } | null)?.dialect;
    if (typeof value === 'string') dialect = value;
  } catch {
    // An unreadable journal is drizzle-journal-mismatch's to report; here it only lacks a dialect.
  }
  const replay: DrizzleReplay =
    dialect === undefined
      ? { notReplayed: `its drizzle journal ${journalFile} states no dialect, and no drizzle config names the folder` }
      : drizzleReplay(dialect, undefined);
  return { folder, journalFile, ...(dialect !== undefined ? { dialect } : {}), replay };
}
