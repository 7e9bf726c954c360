// Stryker's sandbox directory is made by mkdtemp (mode 0700); the replay child runs as another user (or in a user
// namespace) and must read the sandbox's dist/, or the sandbox falls back to a weaker plan and tests see its notice.
import { chmodSync } from 'node:fs';
import { basename, dirname } from 'node:path';

export default function setup(): void {
  const dir = process.cwd();
  if (basename(dirname(dir)) === '.stryker-tmp') chmodSync(dir, 0o755);
}
