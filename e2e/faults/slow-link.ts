/**
 * The sync stream through a link that can turn slow: while `delayMs()` is above 0 the response
 * is handed to the client line by line, each after that delay, so the lines of one checkpoint
 * arrive spread out (as over a poor mobile network) instead of in one chunk.
 */
export function slowLinkFetch(delayMs: () => number): typeof fetch {
  return async (resource, init) => {
    const response = await fetch(resource, init);
    const url = typeof resource === 'string' ? resource : resource instanceof URL ? resource.href : resource.url;
    if (!url.endsWith('/sync/stream') || !response.body) return response;
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    let buffer = '';
    const slow = new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, controller) {
        if (delayMs() <= 0 && buffer === '') {
          controller.enqueue(chunk);
          return;
        }
        buffer += decoder.decode(chunk, { stream: true });
        for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
          const delay = delayMs();
          if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
          controller.enqueue(encoder.encode(buffer.slice(0, at + 1)));
          buffer = buffer.slice(at + 1);
        }
      },
    });
    return new Response(response.body.pipeThrough(slow), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
