import { streamLines } from './stream-lines.ts';
import { waitFor } from './wait-for.ts';

export type Line = Record<string, unknown>;

/** A `POST /sync/stream` read line by line, for asserting on the protocol itself. */
export interface RawStream {
  response: Response;
  lines: Line[];
  /** Whether the server ended the response. */
  ended: () => boolean;
  /** Waits for the next line (after `from`) that satisfies `match`; returns it and its index. */
  next(
    match: string | ((line: Line) => boolean),
    from?: number,
    timeoutMs?: number,
  ): Promise<{ line: Line; index: number }>;
  close(): void;
}

export async function openStream(
  baseUrl: string,
  token: string,
  body: Record<string, unknown> = {},
): Promise<RawStream> {
  const lines: Line[] = [];
  let ended = false;
  const stream = await streamLines(baseUrl, token, { client_id: 'raw-client', ...body }, (line) => {
    lines.push(JSON.parse(line));
  });
  void stream.ended.then(() => {
    ended = true;
  });
  return {
    response: stream.response,
    lines,
    ended: () => ended,
    async next(match, from = 0, timeoutMs = 10_000) {
      const test = typeof match === 'string' ? (line: Line) => match in line : match;
      const index = await waitFor(
        () => {
          const found = lines.findIndex((line, i) => i >= from && test(line));
          return found >= 0 ? found + 1 : 0;
        },
        { timeoutMs, message: `a sync line matching ${typeof match === 'string' ? match : 'the predicate'}` },
      );
      return { line: lines[index - 1] as Line, index: index - 1 };
    },
    close: stream.close,
  };
}
