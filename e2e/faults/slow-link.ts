/**
 * The sync stream through a link that can turn slow: while `delayMs()` is above 0 the response
 * is handed to the client line by line, each after that delay, so the lines of one checkpoint
 * arrive spread out (as over a poor mobile network) instead of in one chunk. Lines are ndjson
 * lines or BSON documents (length-prefixed), whichever the service answered with.
 */
export function slowLinkFetch(delayMs: () => number): typeof fetch {
  return async (resource, init) => {
    const response = await fetch(resource, init);
    const url = typeof resource === 'string' ? resource : resource instanceof URL ? resource.href : resource.url;
    if (!url.endsWith('/sync/stream') || !response.body) return response;
    const bson = response.headers.get('content-type') === 'application/vnd.powersync.bson-stream';
    /** Length of the first complete line in `bytes`, or 0. */
    const lineLength = (bytes: Uint8Array): number => {
      if (bson) {
        if (bytes.length < 4) return 0;
        const length = new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true);
        return bytes.length >= length ? length : 0;
      }
      return bytes.indexOf(10) + 1; // through the newline; 0 when there is none
    };
    // Always split (also while fast), so a slow spell never starts in the middle of a line.
    let buffer = new Uint8Array(0);
    const slow = new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, controller) {
        const joined = new Uint8Array(buffer.length + chunk.length);
        joined.set(buffer);
        joined.set(chunk, buffer.length);
        buffer = joined;
        let ready = 0; // complete lines at the start of `buffer`, passed on together while fast
        for (let length = lineLength(buffer.subarray(ready)); length > 0; length = lineLength(buffer.subarray(ready))) {
          const delay = delayMs();
          if (delay <= 0) {
            ready += length;
            continue;
          }
          if (ready > 0) controller.enqueue(buffer.slice(0, ready));
          await new Promise((resolve) => setTimeout(resolve, delay));
          controller.enqueue(buffer.slice(ready, ready + length));
          buffer = buffer.slice(ready + length);
          ready = 0;
        }
        if (ready > 0) {
          controller.enqueue(buffer.slice(0, ready));
          buffer = buffer.slice(ready);
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
