// The fake GitHub for the App's tests and benchmark: one import for everything (see README.md here).
export { FakeGitHub, startFakeGitHub, type FakeGitHubOptions, type RecordedRequest, type AddPullOptions, type AddRepoOptions } from './fake-github.js';
export { serverError, secondaryRateLimit, primaryRateLimit, tooManyRequests, graphqlSomethingWentWrong, type FaultSpec, type Fault, type Delay } from './faults.js';
export { appCredentials, testKeys, fakeOctokit, quietProbotOctokit, type AppCredentials } from './client.js';
export { sendWebhook, signWebhook, deliveryId, type WebhookEvent, type WebhookResponse, type FakeEventName } from './webhooks.js';
export { pullRequestEvent, issueCommentEvent, checkRunEvent, checkSuiteEvent, pushEvent, webhookFixture, missingKeys, overlay, type WebhookFixture } from './payloads.js';
export { seedGrove, seedRepo, privateClone, removeClones, type SeededGrove } from './seed.js';
export { validateAgainstGitHubSchema, FAKE_GRAPHQL_SDL } from './routes-graphql.js';
export { MAX_ANNOTATIONS_PER_REQUEST, MAX_OUTPUT_CHARS } from './routes-checks.js';
export { MAX_COMMENT_CHARS } from './routes-issues.js';
export type { CheckRunRecord, CommentRecord, PullRecord, RepoRecord, Role, MergeMode } from './store.js';
export { spawnApp, appEnvironment, freePort, type SpawnAppOptions, type SpawnedApp } from './spawn-app.js';
