# Migration Safari: the CLI (and, with the App issue, the Probot server) in one image.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ git \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
COPY tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
# git reads revisions for the CLI; util-linux brings prlimit/unshare for the replay sandbox
RUN apt-get update && apt-get install -y --no-install-recommends git util-linux \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
COPY docs ./docs
COPY app.yml ./
ENV NODE_ENV=production
ENTRYPOINT ["node", "/app/bin/safari.js"]
CMD ["--help"]
