# syntax=docker/dockerfile:1
# Three stages on Node.js 24 LTS: production dependencies (the SQLite binding compiles here), the
# TypeScript build, and a slim runtime that holds only those two results and runs as the non-root
# `node` user.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The compiler needs the dev dependencies but no native binding: skip its compile here.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY dashboard ./dashboard
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production RELAY_PORT=8080 RELAY_DB=sqlite:/data/relay.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY schemas ./schemas
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.RELAY_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The CLI is the entrypoint (`docker run IMAGE events`); the relay itself by default. The process
# is node itself, not npm, so `docker stop`'s TERM reaches it and in-flight deliveries finish.
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
