// The fake's GraphQL endpoint: aliased blob batches, expressions, truncation, and its schema against GitHub's.
import { buildClientSchema, buildSchema, getNamedType, isInterfaceType, isObjectType, isEnumType, type GraphQLSchema } from 'graphql';
import { schema as githubSchemaJson } from '@octokit/graphql-schema';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanupRepos } from '../helpers/git-repo.js';
import { fakeOctokit } from './client.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { FAKE_GRAPHQL_SDL, validateAgainstGitHubSchema } from './routes-graphql.js';
import { removeClones, seedRepo } from './seed.js';
import { PR_STATE_QUERY } from '../../src/github/github-source.js';

let fake: FakeGitHub;
let octokit: ReturnType<typeof fakeOctokit>;
const files: Record<string, string> = {};
for (let i = 1; i <= 120; i++) files[`migrations/${String(i).padStart(4, '0')}_t${i}.sql`] = `CREATE TABLE t${i} (id INTEGER PRIMARY KEY);\n`;
const BIG = `-- ${'x'.repeat(3000)}\n`;

beforeAll(async () => {
  fake = await startFakeGitHub();
  await seedRepo(fake, [
    { branch: 'main', files: { ...files, 'big.sql': BIG, 'bin.dat': new Uint8Array([1, 0, 2, 0]), 'héllo wörld.sql': 'SELECT 1;\n' } },
    { branch: 'pr', from: 'main', files: { 'migrations/0121_new.sql': 'CREATE TABLE n (id);\n' } },
  ]);
  octokit = fakeOctokit(fake);
});

afterAll(async () => {
  await fake.close();
  await removeClones();
  await cleanupRepos();
});

const BLOB_FIELDS = '... on Blob { text isTruncated isBinary byteSize oid }';

describe('blob batches', () => {
  test('120 aliased object(oid:) lookups in one query return each blob\'s own text, in one request', async () => {
    const tree = await octokit.rest.git.getTree({ owner: 'acme', repo: 'app', tree_sha: 'main', recursive: '1' });
    const blobs = tree.data.tree.filter((e) => e.path!.startsWith('migrations/'));
    expect(blobs).toHaveLength(120);
    fake.clearRequests();
    const query = `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${blobs
      .map((b, i) => `a${i}: object(oid: "${b.sha}") { ${BLOB_FIELDS} }`)
      .join(' ')} } }`;
    const result = await octokit.graphql<{ repository: Record<string, { text: string; oid: string; byteSize: number; isBinary: boolean; isTruncated: boolean }> }>(
      query,
      { owner: 'acme', name: 'app' },
    );
    blobs.forEach((b, i) => {
      const got = result.repository[`a${i}`];
      expect(got.oid).toBe(b.sha);
      expect(got.text).toBe(files[b.path!]);
      expect(got).toMatchObject({ isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(files[b.path!]) });
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/graphql', kind: 'read', status: 200 });
  });

  test('object(expression: "rev:path") reads a file at a revision; a missing one is null', async () => {
    const result = await octokit.graphql<{ repository: Record<string, { text: string } | null> }>(
      `{ repository(owner: "acme", name: "app") {
          head: object(expression: "pr:migrations/0121_new.sql") { ${BLOB_FIELDS} }
          base: object(expression: "main:migrations/0121_new.sql") { ${BLOB_FIELDS} }
          unicode: object(expression: "main:héllo wörld.sql") { ${BLOB_FIELDS} }
          none: object(oid: "${'1'.repeat(40)}") { ${BLOB_FIELDS} }
      } }`,
    );
    expect(result.repository.head?.text).toBe('CREATE TABLE n (id);\n');
    expect(result.repository.base).toBeNull();
    expect(result.repository.unicode?.text).toBe('SELECT 1;\n');
    expect(result.repository.none).toBeNull();
  });

  test('binary blobs have no text; texts over the limit are cut and marked truncated', async () => {
    fake.options.blobTextLimit = 1000;
    try {
      const result = await octokit.graphql<{ repository: Record<string, { text: string | null; isBinary: boolean; isTruncated: boolean; byteSize: number }> }>(
        `{ repository(owner: "acme", name: "app") {
            bin: object(expression: "main:bin.dat") { ${BLOB_FIELDS} }
            big: object(expression: "main:big.sql") { ${BLOB_FIELDS} }
        } }`,
      );
      expect(result.repository.bin).toMatchObject({ text: null, isBinary: true, byteSize: 4 });
      expect(result.repository.big).toMatchObject({ isTruncated: true, byteSize: Buffer.byteLength(BIG) });
      expect(result.repository.big.text).toBe(BIG.slice(0, 1000));
    } finally {
      fake.options.blobTextLimit = 512_000;
    }
  });

  test('trees, commits, refs and a PR\'s files', async () => {
    const result = await octokit.graphql<any>(`{
      repository(owner: "acme", name: "app") {
        defaultBranchRef { name target { oid ... on Commit { tree { oid } file(path: "migrations/0001_t1.sql") { oid size mode type } } } }
        ref(qualifiedName: "refs/heads/pr") { target { oid } }
        dir: object(expression: "main:migrations") { ... on Tree { entries { name path type oid } } }
        pullRequest(number: 1) { number }
      } }`).catch((error) => error.data);
    const git = fake.repo('acme/app').git;
    expect(result.repository.defaultBranchRef.name).toBe('main');
    expect(result.repository.defaultBranchRef.target.oid).toBe(await git.resolveCommit('main'));
    expect(result.repository.defaultBranchRef.target.file).toMatchObject({ mode: 0o100644, type: 'blob', oid: await git.resolve('main:migrations/0001_t1.sql') });
    expect(result.repository.ref.target.oid).toBe(await git.resolveCommit('pr'));
    expect(result.repository.dir.entries).toHaveLength(120);
    expect(result.repository.dir.entries[0]).toMatchObject({ name: '0001_t1.sql', path: 'migrations/0001_t1.sql', type: 'blob' });
    // No PR #1 yet: GitHub answers null with a NOT_FOUND error.
    expect(result.repository.pullRequest).toBeNull();

    const pr = await fake.addPullRequest({ repo: 'acme/app', head: 'pr' });
    const withPr = await octokit.graphql<any>(`{ repository(owner: "acme", name: "app") {
      pullRequest(number: ${pr.number}) { headRefOid baseRefOid mergeable changedFiles files(first: 10) { totalCount nodes { path changeType additions } }
        isCrossRepository baseRef { name target { oid } } potentialMergeCommit { oid parents(first: 2) { nodes { oid } } } } } }`);
    expect(withPr.repository.pullRequest).toMatchObject({
      headRefOid: await git.resolveCommit('pr'),
      baseRefOid: await git.resolveCommit('main'),
      mergeable: 'MERGEABLE',
      changedFiles: 1,
      files: { totalCount: 1, nodes: [{ path: 'migrations/0121_new.sql', changeType: 'ADDED', additions: 1 }] },
      isCrossRepository: false,
      baseRef: { name: 'main', target: { oid: await git.resolveCommit('main') } },
    });
    // GitHub's test merge: parents are exactly the base tip and the PR tip.
    expect(withPr.repository.pullRequest.potentialMergeCommit.parents.nodes.map((n: { oid: string }) => n.oid)).toEqual([
      await git.resolveCommit('main'),
      await git.resolveCommit('pr'),
    ]);
  });
});

describe("a PR's commits and their check runs", () => {
  test("the App's state query lists each commit's unfinished check runs, filtered by app and name", async () => {
    const pr = await fake.addPullRequest({ repo: 'acme/app', head: 'pr' });
    const git = fake.repo('acme/app').git;
    const head = await git.resolveCommit('pr');
    const run = await octokit.rest.checks.create({ owner: 'acme', repo: 'app', name: 'Migration Safari', head_sha: head!, status: 'in_progress' });
    await octokit.rest.checks.create({ owner: 'acme', repo: 'app', name: 'Migration Safari', head_sha: head!, status: 'completed', conclusion: 'success' });
    await octokit.rest.checks.create({ owner: 'acme', repo: 'app', name: 'Other check', head_sha: head!, status: 'in_progress' });
    const ask = (appId: number | null) =>
      octokit.graphql<any>(PR_STATE_QUERY, { owner: 'acme', name: 'app', number: pr.number, appId }).then((d) => d.repository.pullRequest.commits.nodes);
    const nodes = await ask(run.data.app!.id);
    expect(nodes.map((n: any) => n.commit.oid)).toEqual([head]);
    expect(nodes[0].commit.checkSuites.nodes.flatMap((s: any) => s.checkRuns.nodes.map((r: any) => r.databaseId))).toEqual([run.data.id]);
    const other = await ask(run.data.app!.id + 1);
    expect(other[0].commit.checkSuites.nodes).toEqual([]);
  });
});

describe('errors', () => {
  test('an unknown repository is null with a NOT_FOUND error, as GitHub answers', async () => {
    const error: any = await octokit.graphql(`{ repository(owner: "acme", name: "nope") { name } }`).catch((e: any) => e);
    expect(error.name).toBe('GraphqlResponseError');
    expect(error.errors[0]).toMatchObject({ type: 'NOT_FOUND', path: ['repository'] });
    expect(error.data).toEqual({ repository: null });
  });

  test('a field the fake lacks is a validation error, not a silent null', async () => {
    const error: any = await octokit.graphql(`{ repository(owner: "acme", name: "app") { stargazerCount } }`).catch((e: any) => e);
    expect(error.errors[0].message).toMatch(/stargazerCount/);
  });

  test('with validateGraphqlAgainstGitHub, a query GitHub would refuse is refused', async () => {
    fake.options.validateGraphqlAgainstGitHub = true;
    try {
      const bad: any = await octokit.graphql(`{ repository(owner: "acme", name: "app") { object(oid: "x") { ... on Blob { contents } } } }`).catch((e: any) => e);
      expect(bad.errors[0].message).toMatch(/Cannot query field "contents" on type "Blob"/);
      const good = await octokit.graphql<any>(`{ repository(owner: "acme", name: "app") { object(expression: "main:big.sql") { ... on Blob { byteSize } } } }`);
      expect(good.repository.object.byteSize).toBe(Buffer.byteLength(BIG));
    } finally {
      fake.options.validateGraphqlAgainstGitHub = false;
    }
  });
});

describe('the schema', () => {
  let github: GraphQLSchema;
  beforeAll(() => {
    github = buildClientSchema(githubSchemaJson.json as never);
  });

  test('every type, field, argument and enum value of the fake exists in GitHub\'s schema with the same type', () => {
    const fakeSchema = buildSchema(FAKE_GRAPHQL_SDL);
    const problems: string[] = [];
    for (const type of Object.values(fakeSchema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Boolean', 'ID', 'Float'].includes(type.name)) continue;
      const real = github.getType(type.name);
      if (!real) {
        problems.push(`type ${type.name} is not GitHub's`);
        continue;
      }
      if (isEnumType(type) && isEnumType(real)) {
        for (const value of type.getValues()) if (!real.getValue(value.name)) problems.push(`${type.name}.${value.name}`);
      }
      if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(real) || isInterfaceType(real))) {
        const realFields = real.getFields();
        for (const field of Object.values(type.getFields())) {
          const realField = realFields[field.name];
          if (!realField) {
            problems.push(`${type.name}.${field.name} does not exist`);
            continue;
          }
          if (String(realField.type) !== String(field.type)) problems.push(`${type.name}.${field.name}: ${field.type} ≠ GitHub's ${realField.type}`);
          for (const arg of field.args) {
            const realArg = realField.args.find((a) => a.name === arg.name);
            if (!realArg) problems.push(`${type.name}.${field.name}(${arg.name}) does not exist`);
            else if (String(realArg.type) !== String(arg.type)) problems.push(`${type.name}.${field.name}(${arg.name}): ${arg.type} ≠ ${realArg.type}`);
          }
        }
        if (isObjectType(type) && isObjectType(real)) {
          const realInterfaces = real.getInterfaces().map((i) => i.name);
          for (const i of type.getInterfaces()) if (!realInterfaces.includes(i.name)) problems.push(`${type.name} implements ${i.name}`);
        }
      }
      expect(getNamedType(real)).toBeDefined();
    }
    expect(problems).toEqual([]);
  });

  test('validateAgainstGitHubSchema accepts GitHub\'s fields and names the wrong ones', async () => {
    expect(await validateAgainstGitHubSchema(`{ repository(owner: "a", name: "b") { object(oid: "x") { ... on Blob { text isTruncated } } } }`)).toEqual([]);
    const errors = await validateAgainstGitHubSchema(`{ repository(owner: "a", name: "b") { blob(oid: "x") { text } } }`);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Cannot query field "blob" on type "Repository"/);
  });
});
