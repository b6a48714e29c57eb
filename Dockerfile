# One image for the server, the worker and the one-shot tasks (keys, migrations).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# ffmpeg strips audio and video metadata in the worker; perl runs the vendored exiftool, and
# Archive::Zip lets it look inside office documents when it re-reads a cleaned one. All of them
# run inside bubblewrap jails (worker/jail/), with prlimit (util-linux) setting their rlimits.
# tesseract (Korean, Russian, English) OCRs photos of paper and documents' safe renditions.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg perl libarchive-zip-perl \
  bubblewrap util-linux tesseract-ocr tesseract-ocr-kor tesseract-ocr-rus tesseract-ocr-eng \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The submission page's browser bundle (crypto/ compiled for the browser by esbuild).
COPY --from=build /app/public ./public
COPY package.json ./
USER node
CMD ["node", "dist/server/main.js"]
