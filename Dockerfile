# The tutor bot as one image, built in one stage: `npm ci` installs everything and compiles src/ into dist/
# (postinstall: Prisma clients, then the esbuild bundle), `npm prune --omit=dev` drops the build tools
# (esbuild, TypeScript, tsx, vitest), and the container runs `node dist/main.js` directly under tini: no npm, no TypeScript loader.
# Migrations run when the bot starts.
#
#   docker build -t tutor-bot .
#   docker run --env-file .env -p 8081:8081 tutor-bot        (see docker-compose.yml for PostgreSQL + Redis)

FROM node:20-slim
WORKDIR /app
# tini is PID 1: it passes `docker stop`'s SIGTERM to the bot and reaps children. better-sqlite3 and
# @napi-rs/canvas come prebuilt for linux-x64/arm64; the toolchain is the fallback for other platforms.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc tsconfig.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY src ./src
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && apt-get purge -y python3 make g++ && apt-get autoremove -y \
 && mkdir -p /app/data && chown -R node:node /app/data

ENV NODE_ENV=production \
    HEALTH_PORT=8081 \
    MALLOC_ARENA_MAX=2
USER node
EXPOSE 8081
# /healthz answers 200 when the database, Redis (if set) and the platform connections are up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.HEALTH_PORT || 8081) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# SIGTERM (docker stop) starts a graceful stop that writes every accepted activity-log entry within
# SHUTDOWN_TIMEOUT_MS (give `docker stop -t` / stop_grace_period more than that); a second signal exits at once.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
