import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClient, staleReason } from './server/build-client.ts';
import { loadWebEnv } from './server/env.ts';
import { createWebServer } from './server/web-server.ts';

/**
 * `tsx apps/web/serve.ts`: builds the client when dist/ is missing or older than its sources,
 * then serves it on WEB_PORT with /api → API_URL and the PowerSync paths → SYNC_URL.
 * `npm start` runs it with the rest of the stack; the end-to-end stack with WEB_TEST_HOOK=1 (a
 * test build, in dist-test/).
 */
const webRoot = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(webRoot, '../..');
const log = (line: string) => process.stdout.write(`${line}\n`);

const env = loadWebEnv();
const paths = {
  webRoot,
  // A test build (with window.__cr) never lands where a normal start serves from.
  distDir: path.join(webRoot, env.testHook ? 'dist-test' : 'dist'),
  sharedSources: ['schema', 'strategies', 'demo-domain', 'connector-kit'].map((name) =>
    path.join(repoRoot, 'packages', name, 'src'),
  ),
};

const reason = env.build === 'auto' ? await staleReason(paths) : null;
if (reason !== null) {
  log(`client build needed: ${reason}`);
  await buildClient(paths, log);
}

const server = createWebServer(env, paths.distDir);
server.listen(env.port, env.host, () => {
  log(`web client on http://${env.host}:${env.port} (api → ${env.apiUrl}, sync → ${env.syncUrl})`);
});

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
