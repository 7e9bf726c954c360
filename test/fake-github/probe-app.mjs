// A minimal Probot app started exactly as `probot run` starts one (Probot's run(): APP_ID, PRIVATE_KEY,
// WEBHOOK_SECRET, GHE_HOST/GHE_PROTOCOL, PORT, HOST from the environment). It lets spawn-app.test.ts prove the
// end-to-end harness and the fake on their own, before the real App exists: on pull_request.opened it reads the
// base branch's config, creates a check run, completes it and comments.
import { run } from 'probot';

await run((app) => {
  app.on('pull_request.opened', async (context) => {
    const pr = context.payload.pull_request;
    const config = await context.config('safari.yml');
    const check = await context.octokit.rest.checks.create(
      context.repo({ name: 'Probe', head_sha: pr.head.sha, status: 'in_progress' }),
    );
    const { data } = await context.octokit.graphql(
      `query($owner: String!, $name: String!, $expr: String!) {
         repository(owner: $owner, name: $name) { object(expression: $expr) { ... on Blob { text } } } }`,
      { ...context.repo({ name: context.payload.repository.name }), expr: `${pr.head.sha}:README.md` },
    ).then((result) => ({ data: result }));
    await context.octokit.rest.checks.update(
      context.repo({
        check_run_id: check.data.id,
        conclusion: 'success',
        output: { title: `failOn ${config?.failOn ?? 'none'}`, summary: data.repository.object?.text ?? '(no README)' },
      }),
    );
    await context.octokit.rest.issues.createComment(context.issue({ body: 'probe reviewed this' }));
  });
});
