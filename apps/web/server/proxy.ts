import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are not forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
]);

function forwardableHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/**
 * Forwards one request to `target` (an origin such as http://127.0.0.1:8080) and streams the
 * answer back as it arrives: the sync stream is a long-lived ndjson response, so nothing is
 * buffered, and when the browser goes away the upstream request is aborted too.
 */
export function proxyRequest(target: string, request: IncomingMessage, response: ServerResponse): void {
  const upstream = new URL(request.url ?? '/', target);
  const transport = upstream.protocol === 'https:' ? https : http;
  const headers = forwardableHeaders(request.headers);
  headers.host = upstream.host;
  headers['x-forwarded-host'] = request.headers.host ?? '';
  headers['x-forwarded-proto'] = 'http';
  const remote = request.socket.remoteAddress;
  if (remote) headers['x-forwarded-for'] = remote;

  const outgoing = transport.request(upstream, { method: request.method, headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardableHeaders(answer.headers));
    response.flushHeaders();
    answer.pipe(response);
    answer.on('error', () => response.destroy());
  });
  request.socket.setNoDelay(true);

  outgoing.on('error', (error) => {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        error: { code: 'UPSTREAM_UNAVAILABLE', message: `${upstream.origin} did not answer: ${error.message}` },
      }),
    );
  });
  // The browser closed the connection before the answer was complete (a cancelled sync stream,
  // a lost network): abort the upstream request so the sync service can let the stream go.
  response.on('close', () => {
    if (!response.writableFinished) outgoing.destroy();
  });
  request.pipe(outgoing);
}
