// Every GraphQL query the App sends, checked against GitHub's real schema (@octokit/graphql-schema): the fakes
// answer whatever they are asked, GitHub would refuse a field it doesn't have.
import { validate } from '@octokit/graphql-schema';
import { describe, expect, it } from 'vitest';
import { blobsQuery } from '../../src/github/blob-store.js';
import { PR_HEAD_QUERY, PR_STATE_QUERY } from '../../src/github/github-source.js';

describe("the App's GraphQL queries", () => {
  it('the pull request state query is valid against GitHub’s schema', () => {
    expect(validate(PR_STATE_QUERY)).toEqual([]);
  });

  it('the pull request head query (checked before the comment is written) is valid against GitHub’s schema', () => {
    expect(validate(PR_HEAD_QUERY)).toEqual([]);
  });

  it('the batched blob query is valid against GitHub’s schema', () => {
    expect(validate(blobsQuery(['a'.repeat(40), 'b'.repeat(40)]))).toEqual([]);
  });

  it('refuses anything but an object id in the blob query', () => {
    expect(() => blobsQuery(['") { x } #'])).toThrow(/not a git object id/);
  });
});
