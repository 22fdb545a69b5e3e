# syntax=docker/dockerfile:1
# The API as a production image: compiled JavaScript, production dependencies only, non-root.
# Configuration comes from the environment (see .env.example); compose.yaml shows a full set-up.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Operation names that metrics may use as labels (src/observability/operation-names.ts).
COPY client/operations ./client/operations
# The trusted documents the server runs (TRUSTED_DOCUMENTS=enforce is production's default).
COPY client/generated/trusted-documents.json ./client/generated/trusted-documents.json
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/client/operations ./client/operations
COPY --from=build /app/client/generated/trusted-documents.json ./client/generated/trusted-documents.json
# Migrations are applied by the server at start-up (under an advisory lock).
COPY --from=build /app/prisma ./prisma
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Run with an init process (compose: init: true) so SIGTERM reaches node, which drains in-flight requests.
CMD ["node", "dist/main.js"]
