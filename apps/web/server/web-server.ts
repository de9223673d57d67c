import http, { type Server } from 'node:http';
import type { WebEnv } from './env.ts';
import { proxyRequest } from './proxy.ts';
import { upstreamFor } from './routes.ts';
import { serveStatic } from './static-files.ts';

/**
 * The web origin: the built client, with /api/* forwarded to the upload API and the PowerSync
 * paths to the sync service. One origin for the browser, so no CORS and one URL to open.
 */
export function createWebServer(env: Pick<WebEnv, 'apiUrl' | 'syncUrl'>, distDir: string): Server {
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://local').pathname;
    const upstream = upstreamFor(pathname);
    if (upstream === 'api') return proxyRequest(env.apiUrl, request, response);
    if (upstream === 'sync') return proxyRequest(env.syncUrl, request, response);
    serveStatic(distDir, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  // The sync stream stays open for as long as the client is connected.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  return server;
}
