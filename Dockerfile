# Migration Safari: the GitHub App server (`npm start`'s `probot run`), with the CLI alongside
# (`docker run --entrypoint node IMAGE bin/safari.js review ...`).

# 1. build: native better-sqlite3 needs a compiler; `npm ci` runs `prepare` (esbuild → dist/); then drop dev deps.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

# 2. run: production dependencies and dist/ only, as an unprivileged user.
FROM node:20-bookworm-slim
# git: the CLI reads revisions; util-linux: prlimit/unshare for the replay sandbox; tini: PID 1 that passes SIGTERM
# on (graceful stop: running reviews finish, other checks complete as interrupted) and reaps sandbox children.
RUN apt-get update && apt-get install -y --no-install-recommends git util-linux tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json app.yml ./
COPY bin ./bin
COPY docs ./docs
COPY scripts/healthcheck.mjs ./scripts/healthcheck.mjs
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# `npm start`'s command itself, not npm: on SIGTERM npm exits at once while its child is still stopping, and when
# tini's child exits the container dies with the reviews that were being finished (test/e2e/docker-image.test.ts).
CMD ["node", "node_modules/probot/bin/probot.js", "run", "./dist/index.js"]
