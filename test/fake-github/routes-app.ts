// App authentication: the App itself (JWT), its installations and their access tokens.
import { requireApp } from './auth.js';
import type { FakeGitHub } from './fake-github.js';
import { notFound, ok } from './http.js';
import { installationJson } from './shapes.js';

export function registerAppRoutes(fake: FakeGitHub): void {
  fake.route(
    'GET /app',
    (ctx) => {
      requireApp(ctx.identity);
      return ok(fake.appJson(ctx.apiBase));
    },
    'auth',
  );

  fake.route(
    'GET /app/installations',
    (ctx) => {
      requireApp(ctx.identity);
      const urls = fake.urls(ctx.apiBase);
      return ok([...fake.store.installations.values()].map((i) => installationJson(fake.store, i, fake.app, urls)));
    },
    'auth',
  );

  fake.route(
    'GET /app/installations/:installation_id',
    (ctx) => {
      requireApp(ctx.identity);
      const installation = fake.store.installations.get(Number(ctx.params.installation_id));
      if (!installation) throw notFound();
      return ok(installationJson(fake.store, installation, fake.app, fake.urls(ctx.apiBase)));
    },
    'auth',
  );

  fake.route(
    'POST /app/installations/:installation_id/access_tokens',
    (ctx) => {
      requireApp(ctx.identity);
      const id = Number(ctx.params.installation_id);
      const installation = fake.store.installations.get(id);
      if (!installation) throw notFound('https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app');
      const { token, expires_at } = fake.issueToken(id);
      return ok(
        {
          token,
          expires_at,
          permissions: ctx.body?.permissions ?? fake.app.permissions,
          repository_selection: installation.repositories ? 'selected' : 'all',
        },
        201,
      );
    },
    'auth',
  );

  fake.route(
    'GET /repos/:owner/:repo/installation',
    (ctx) => {
      requireApp(ctx.identity);
      const repo = fake.store.repo(`${ctx.params.owner}/${ctx.params.repo}`);
      if (!repo) throw notFound('https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app');
      const installation = fake.store.installations.get(repo.installationId)!;
      return ok(installationJson(fake.store, installation, fake.app, fake.urls(ctx.apiBase)));
    },
    'auth',
  );
}
