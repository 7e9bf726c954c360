// `npm run demo`: builds the bundled grove monorepo (seed-like: 9 D1 databases, ~117 migrations) and reviews its
// `pr` branch against `main` exactly as `safari review` would, printing the Markdown the PR comment would carry.
// `npm run demo map` prints the map of main instead: the database journal (`safari map --format markdown`).
import { buildFixture } from '../fixtures/generate/index.mjs';
import { main } from '../dist/cli.js';

const branch = process.argv[2] ?? 'pr';
const repo = await buildFixture('grove');
if (branch === 'map') {
  process.stderr.write(`safari demo: the map of ${repo} at main\n\n`);
  const code = await main(['map', '--repo', repo, '--rev', 'main', '--format', 'markdown']);
  process.stderr.write(
    `\nsafari demo: exit code ${code}.\n` +
      `Try: node bin/safari.js map --repo ${repo} --rev main --format json\n` +
      `     node bin/safari.js table users --repo ${repo} --rev main\n`,
  );
  process.exitCode = code;
} else {
  process.stderr.write(`safari demo: reviewing ${repo} (main...${branch})\n\n`);
  const code = await main(['review', '--repo', repo, '--base', 'main', '--head', branch, '--format', 'markdown']);
  process.stderr.write(
    `\nsafari demo: exit code ${code} (${code === 1 ? 'the PR fails review, as a CI job would' : code === 0 ? 'the PR passes' : 'error'}).\n` +
      `Try: node bin/safari.js review --repo ${repo} --base main --head ${branch} --format json\n`,
  );
  process.exitCode = code === 2 || code === 3 ? code : 0;
}
