# One image for the web processes and the background worker (compose.yaml runs it as app1, app2
# and worker). It runs the TypeScript sources through tsx exactly as `npm start` does, so there is
# no build step and no second way of running the app.
#
# Node 22 LTS: the oldest the AWS SDK (uploads in S3) keeps supporting after January 2027.
FROM node:22-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies in their own layer, so a change to the sources does not reinstall them. The
# postinstall script (copies htmx and Leaflet into public/vendor) needs only its own file.
# Optional dependencies stay: sharp's and argon2's native builds come as optional packages.
COPY package.json package-lock.json ./
COPY src/cli/copy-vendor-files.ts src/cli/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .

# DATA_DIR: only small run files (the process lock) when PostgreSQL, Meilisearch and the uploads
# live elsewhere, as in compose.yaml. Owned by the unprivileged user the app runs as.
ENV DATA_DIR=/app/data
RUN mkdir -p /app/data && chown node:node /app/data
USER node

EXPOSE 3000
CMD ["node", "--import", "tsx", "src/server.ts"]
