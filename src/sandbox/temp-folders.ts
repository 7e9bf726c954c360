/**
 * Temp folders of sandbox children (`safari-replay-<pid>-…`, `safari-schema-<pid>-…`, holding a PR's bundled code).
 * A Safari process that is killed (SIGKILL, OOM killer, a crash) can't remove its own, so every Safari process removes
 * at start-up those whose owner is no longer running.
 */
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TempKind = 'replay' | 'schema';
const PATTERN = /^safari-(replay|schema)-(\d+)-/;

/** A fresh folder for one sandbox, named after this process so a later Safari knows whose it was. */
export function makeTempFolder(kind: TempKind): string {
  removeStaleTempFolders();
  return realpathSync(mkdtempSync(join(tmpdir(), `safari-${kind}-${process.pid}-`)));
}

function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let swept = false;
/** Once per process: removes the folders of Safari processes that are gone. Returns what it removed. */
export function removeStaleTempFolders(dir = tmpdir(), force = false): string[] {
  if (swept && !force) return [];
  swept = true;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = PATTERN.exec(name);
    if (!m || running(Number(m[2]))) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // another user's folder, or already gone: not ours to worry about
    }
  }
  return removed;
}
