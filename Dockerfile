# syntax=docker/dockerfile:1
# Shimmy as a headless team gateway: only `shimmy serve` (proxy + dashboard), no Electron.
# Build: docker build -t shimmy .      Run with Postgres and Redis: docker compose up -d (compose.yaml)

# ---- build: compile the core and the dashboard, then keep only production dependencies ----
FROM node:22-bookworm-slim AS build
# Toolchain for the native modules (better-sqlite3; keytar, which the container never uses but
# npm installs as a dependency) when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ libsecret-1-dev \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Electron is a dev dependency of the desktop app: never downloaded here.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json tsconfig.main.json tsconfig.renderer.json tsconfig.shared.json ./
COPY bin ./bin
COPY shared ./shared
COPY main ./main
COPY renderer ./renderer
# The bundler and the plugins it imports (test/unit/build/dockerfile-copies.test.ts checks the list).
COPY scripts/bundle-*.mjs ./scripts/
RUN npm run build:core && npm run build:renderer \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf dist/main/shell

# ---- runtime: production dependencies + dist, non-root ----
# No libsecret here on purpose: keytar cannot load, so the vault uses SHIMMY_KEY_* only (the start
# log says "keytar unavailable", as expected in a container).
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    SHIMMY_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY docker/entrypoint.sh /usr/local/bin/shimmy-entrypoint
RUN ln -s /app/bin/shimmy.js /usr/local/bin/shimmy \
  && mkdir -p /data && chown node:node /data && chmod 0700 /data
# The image's own `node` user (uid 1000); the data dir is the only place it writes.
USER node
VOLUME ["/data"]
EXPOSE 8484
ENTRYPOINT ["shimmy-entrypoint"]
# Inside a container the port must be bound on all interfaces to be published; tool tokens guard it.
CMD ["serve", "--host", "0.0.0.0", "--port", "8484"]
