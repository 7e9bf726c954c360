// A Safari process that was killed leaves its sandbox folders (with a PR's bundled code) behind; the next one removes
// them at start-up, and never a folder whose Safari is still running.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleTempFolders } from '../../src/sandbox/temp-folders.js';

const dir = mkdtempSync(join(tmpdir(), 'safari-temp-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that certainly is not running: a process that has already exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('removeStaleTempFolders', () => {
  it("removes the folders of Safari processes that are gone, and keeps running ones' and unrelated folders", () => {
    const gone = deadPid();
    const stale = [`safari-schema-${gone}-abc123`, `safari-replay-${gone}-def456`];
    const live = [`safari-schema-${process.pid}-ghi789`, `safari-replay-1-jkl012`]; // pid 1 always runs
    const unrelated = ['safari-replay-nopid', 'something-else'];
    for (const name of [...stale, ...live, ...unrelated]) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'schema.mjs'), 'export default [];');
    }
    expect(removeStaleTempFolders(dir, true).sort()).toEqual([...stale].sort());
    for (const name of stale) expect(existsSync(join(dir, name))).toBe(false);
    for (const name of [...live, ...unrelated]) expect(existsSync(join(dir, name))).toBe(true);
  });
});
