import { streamLines } from '../test/stream-lines.ts';

/**
 * A minimal protocol client for load: one `POST /sync/stream`, lines handed to a callback as
 * text. Hundreds of these fit in one process, where hundreds of SQLite-backed clients would not.
 */
export interface LineClient {
  completed: number;
  close(): void;
}

export async function openLineClient(
  baseUrl: string,
  token: string,
  onLine: (line: string) => void,
): Promise<LineClient> {
  const client: LineClient = { completed: 0, close: () => {} };
  const stream = await streamLines(baseUrl, token, { buckets: [] }, (line) => {
    if (line.startsWith('{"checkpoint_complete"')) client.completed += 1;
    onLine(line);
  });
  if (!stream.response.ok) throw new Error(`sync stream answered ${stream.response.status}`);
  client.close = stream.close;
  return client;
}
