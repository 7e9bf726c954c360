// Probot's config convention on the base branch's safari.yml: the organization's .github repository as a fallback,
// `_extends` for defaults, the repository's own keys winning, and its own line numbers kept in errors.
import { afterEach, describe, expect, it } from 'vitest';
import { mergeConfigText, parseExtends, withOrgDefaults } from '../../src/github/org-config.js';
import { memoryTree } from '../helpers/memory-tree.js';
import { pullRequestPayload, startHarness, type Harness } from './helpers/app-harness.js';
import { GitHubModel, type Files } from './helpers/github-model.js';

const WRANGLER = `name = "shop"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "shop-db"\ndatabase_id = "00000000-0000-0000-0000-000000000000"\n`;
const core: Files = { 'wrangler.toml': WRANGLER, 'migrations/0001_init.sql': 'CREATE TABLE orders (id INTEGER PRIMARY KEY);\n' };
const dropping = (main: Files) => ({ ...main, 'migrations/0002_drop.sql': 'DROP TABLE orders;\n' });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('mergeConfigText', () => {
  it("keeps the repository's lines where they were, comments out _extends, appends inherited keys it lacks", () => {
    const own = '_extends: .github\nfailOn: error\n';
    const merged = mergeConfigText(own, 'failOn: never\nignore:\n  - "legacy/**"\n', 'acme/.github:.github/safari.yml');
    expect(merged.split('\n').slice(0, 2)).toEqual(['# _extends: .github', 'failOn: error']);
    expect(merged).toContain('# inherited from acme/.github:.github/safari.yml\nignore:\n  - legacy/**');
    expect(merged).not.toMatch(/failOn: never/);
  });

  it('reads repository references as Probot does', () => {
    expect(parseExtends('.github', 'acme')).toEqual({ owner: 'acme', repo: '.github', path: '.github/safari.yml' });
    expect(parseExtends('other-org/configs:safari/base.yml', 'acme')).toEqual({ owner: 'other-org', repo: 'configs', path: 'safari/base.yml' });
    expect(parseExtends('not a repo', 'acme')).toBeUndefined();
  });
});

describe('withOrgDefaults', () => {
  it('names no blob SHA for the config (its text is the merged one, not its blob) and passes the others through', async () => {
    const files = { '.github/safari.yml': '_extends: .github\n', 'migrations/0001_init.sql': 'SELECT 1;\n' };
    const tree = { ...memoryTree(files), shas: (paths: string[]) => new Map(paths.map((p) => [p, `sha-of-${p}`])) };
    const withDefaults = withOrgDefaults(tree, 'octo-org', 'shop', async () => 'failOn: warning\n');
    expect(withDefaults.shas!(['.github/safari.yml', 'migrations/0001_init.sql'])).toEqual(
      new Map([['.github/safari.yml', undefined], ['migrations/0001_init.sql', 'sha-of-migrations/0001_init.sql']]),
    );
    expect((await withDefaults.read(['.github/safari.yml'])).get('.github/safari.yml')).toContain('failOn: warning');
  });
});

describe('organization defaults in the App', () => {
  it("a repository without safari.yml uses its organization's .github one", async () => {
    const model = new GitHubModel();
    model.otherFiles.set('octo-org/.github:.github/safari.yml', 'failOn: warning\n');
    model.addPull({ number: 1, mergeBase: core, base: core, head: dropping(core) });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 1));
    // destructive-change is a warning: failing needs the org's failOn.
    expect(model.checks[0].conclusion).toBe('failure');
    expect(model.requests.map((r) => `${r.method} ${decodeURIComponent(r.path)}`)).toContain('GET /repos/octo-org/.github/contents/.github/safari.yml');
  });

  it('`_extends` brings defaults; errors in the own file still name its own lines', async () => {
    const model = new GitHubModel();
    model.otherFiles.set('octo-org/.github:.github/safari.yml', 'failOn: warning\n');
    const main = { ...core, '.github/safari.yml': '_extends: .github\nrules:\n  destructive-change: loud\n' };
    model.addPull({ number: 2, mergeBase: main, base: main, head: dropping(main) });
    harness = await startHarness(model);
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 2));
    expect(model.checks[0].output!.title).toBe('Configuration error in .github/safari.yml');
    expect(model.checks[0].output!.summary).toMatch(/\.github\/safari\.yml:3/);

    const good = { ...core, '.github/safari.yml': '_extends: .github\nrules:\n  destructive-change: warning\n' };
    model.addPull({ number: 3, mergeBase: good, base: good, head: dropping(good) });
    await harness.deliver('pull_request', pullRequestPayload(model, 'opened', 3));
    expect(model.checks[1].conclusion).toBe('failure');
  });
});
