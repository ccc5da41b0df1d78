# One image recipe for every service; SERVICE picks the app at run time.
# Runs the TypeScript sources through SWC's register hook, as `npm start` does; the
# operations issue replaces this with a compiled, pruned image per app.
FROM node:20-bookworm-slim
WORKDIR /srv/hotline
ENV NODE_ENV=production KAFKAJS_NO_PARTITIONER_WARNING=1 HOST=0.0.0.0
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund && npm cache clean --force
COPY tsconfig.base.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
ARG SERVICE
ENV SERVICE=${SERVICE}
USER node
HEALTHCHECK --interval=10s --timeout=3s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["sh", "-c", "exec node --enable-source-maps -r @swc-node/register apps/$SERVICE/src/main.ts \"$@\"", "--"]
