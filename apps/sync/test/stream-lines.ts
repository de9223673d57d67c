/**
 * `POST /sync/stream` read as newline-delimited JSON: each line's text goes to `onLine` as it
 * arrives. Shared by the protocol tests and the load benchmark's lightweight clients.
 */
export interface LineStream {
  response: Response;
  /** Settles when the server ends the response or the stream is closed. */
  ended: Promise<void>;
  close(): void;
}

export async function streamLines(
  baseUrl: string,
  token: string,
  body: Record<string, unknown>,
  onLine: (line: string) => void,
): Promise<LineStream> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/sync/stream`, {
    method: 'POST',
    headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ raw_data: true, include_checksum: true, binary_data: true, ...body }),
    signal: abort.signal,
  });
  const read = async () => {
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
          onLine(buffer.slice(0, at));
          buffer = buffer.slice(at + 1);
        }
      }
    } catch {
      // closed
    }
  };
  return { response, ended: read(), close: () => abort.abort() };
}
