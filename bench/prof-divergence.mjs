// Where base and head file lists of each database diverge (for the re-review cache design).
import { buildFixture } from '../fixtures/generate/index.mjs';
import { openGitSource } from '../dist/source/git.js';
import { discover } from '../dist/discover/discover.js';
import { loadMigrations } from '../dist/discover/load-migrations.js';
const repo = await buildFixture(process.argv[2] ?? 'grove');
const src = await openGitSource(repo, 'main', 'pr');
for (const db of (await discover(src.head)).databases) {
  const base = await loadMigrations(src.base, db);
  const head = await loadMigrations(src.head, db);
  let d = 0;
  while (d < base.length && d < head.length && base[d].path === head[d].path && base[d].content === head[d].content) d++;
  console.log(db.name, 'base', base.length, 'head', head.length, 'common', d, head.slice(d).map((f) => f.path + ':' + f.applier).join(' '), '| base rest', base.slice(d).map((f) => f.path).join(' '));
}
await src.close();
