# The tutor bot as one image. `npm start` runs src/main.ts through tsx: TypeScript runs as is, there is no
# build step. tsx and prisma are runtime dependencies, so `npm ci --omit=dev` is enough (typescript, vitest
# and the type packages stay out). Migrations run when the bot starts.
#
#   docker build -t tutor-bot .
#   docker run --env-file .env -p 8081:8081 tutor-bot        (see docker-compose.yml for PostgreSQL + Redis)

FROM node:20-slim AS deps
WORKDIR /app
# better-sqlite3 and @napi-rs/canvas come prebuilt for linux-x64/arm64; the toolchain is the fallback
# for a platform without a prebuilt binary. It stays in this stage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# postinstall generates both Prisma clients (into src/generated) from the schema, offline.
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production \
    HEALTH_PORT=8081
WORKDIR /app
COPY --from=deps --chown=node:node /app /app
COPY --chown=node:node tsconfig.json ./
COPY --chown=node:node src ./src
# The default SQLite file and received files live in /app/data (mount a volume there, or use PostgreSQL).
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8081
# /healthz answers 200 when the database, Redis (if set) and the platform connections are up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.HEALTH_PORT || 8081) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# SIGTERM stops the bot gracefully (adapters, activity log, Redis, database); run with an init (compose:
# init: true) so that signals reach it through npm.
CMD ["npm", "start"]
