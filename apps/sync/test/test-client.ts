import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppSchema } from '@cr/demo-domain/client';
import {
  type AbstractPowerSyncDatabase,
  type PowerSyncBackendConnector,
  type Schema,
  SyncStreamConnectionMethod,
} from '@powersync/common';
import { PowerSyncDatabase } from '@powersync/node';
import { deserialize } from 'bson';

/** A sync line as the client received it (parsed), with the index of the request it came on. */
export interface RecordedLine {
  request: number;
  line: Record<string, unknown>;
}

export interface TestClient {
  db: PowerSyncDatabase;
  /** Bodies of every `POST /sync/stream` the client made. */
  requests: Record<string, unknown>[];
  lines: RecordedLine[];
  /** `Content-Type` and `Content-Encoding` of each sync response (as fetch saw them). */
  responses: { contentType: string | null; contentEncoding: string | null }[];
  /** The SDK's log messages (kept, not printed: reconnects after a restart are expected noise). */
  logs: string[];
  /** Lines of one kind (`checkpoint`, `checkpoint_diff`, `data`, ...). */
  linesOf(kind: string): Record<string, unknown>[];
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Goes offline, keeping its local data (an app that was closed). */
  disconnect(): Promise<void>;
  /** Connects again with what it has. */
  reconnect(): Promise<void>;
  close(): Promise<void>;
}

export interface ClientOptions {
  endpoint: string;
  token: () => Promise<string>;
  upload?: (db: AbstractPowerSyncDatabase) => Promise<void>;
  schema?: Schema;
  crudUploadThrottleMs?: number;
  retryDelayMs?: number;
  params?: Record<string, unknown>;
  /** Record the sync lines for assertions (default true; benchmarks turn it off). */
  record?: boolean;
  /**
   * Awaited before each sync line is passed on to the client: a test holds a line back (the
   * client has then processed every line before it, and nothing after).
   */
  beforeLine?: (line: Record<string, unknown>) => Promise<void> | undefined;
  /** Request headers of `/sync/stream` to replace (e.g. `accept`, `accept-encoding`). */
  streamHeaders?: Record<string, string>;
}

/** Splits a sync response into lines: ndjson text, or concatenated BSON documents (length-prefixed). */
class LineSplitter {
  private text = '';
  private bytes = Buffer.alloc(0);
  private readonly decoder = new TextDecoder();
  constructor(readonly bson: boolean) {}

  /** Each complete line, parsed, with the bytes that carried it. */
  *push(chunk: Uint8Array): Generator<{ line: Record<string, unknown>; raw: Uint8Array }> {
    if (this.bson) {
      this.bytes = Buffer.concat([this.bytes, chunk]);
      while (this.bytes.length >= 4) {
        const length = this.bytes.readInt32LE(0);
        if (this.bytes.length < length) break;
        const raw = this.bytes.subarray(0, length);
        this.bytes = this.bytes.subarray(length);
        yield { line: deserialize(raw, { promoteLongs: true }) as Record<string, unknown>, raw };
      }
      return;
    }
    this.text += this.decoder.decode(chunk, { stream: true });
    let newline = this.text.indexOf('\n');
    while (newline >= 0) {
      const text = this.text.slice(0, newline);
      this.text = this.text.slice(newline + 1);
      if (text.trim()) yield { line: JSON.parse(text), raw: new TextEncoder().encode(`${text}\n`) };
      newline = this.text.indexOf('\n');
    }
  }
}

/**
 * Records the lines of sync responses for the test while passing them on. A TransformStream
 * (not tee) so that the client's cancel reaches the server as a closed connection. The client
 * asks for BSON (its `Accept` header prefers it), so lines are recorded from either encoding.
 */
function recordingFetch(
  requests: Record<string, unknown>[],
  lines: RecordedLine[],
  responses: { contentType: string | null; contentEncoding: string | null }[],
  beforeLine?: ClientOptions['beforeLine'],
  streamHeaders?: Record<string, string>,
): typeof fetch {
  return async (resource, init) => {
    const url = typeof resource === 'string' ? resource : resource instanceof URL ? resource.href : resource.url;
    const headers = new Headers(init?.headers);
    if (url.endsWith('/sync/stream'))
      for (const [name, value] of Object.entries(streamHeaders ?? {})) headers.set(name, value);
    const response = await fetch(resource, { ...init, headers });
    if (!url.endsWith('/sync/stream') || !response.body) return response;
    const request = requests.length;
    requests.push(JSON.parse(String(init?.body ?? '{}')));
    const contentType = response.headers.get('content-type');
    responses.push({ contentType, contentEncoding: response.headers.get('content-encoding') });
    const splitter = new LineSplitter(contentType === 'application/vnd.powersync.bson-stream');
    const recorder = new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, controller) {
        if (!beforeLine) controller.enqueue(chunk);
        for (const { line, raw } of splitter.push(chunk)) {
          lines.push({ request, line });
          if (beforeLine) {
            await beforeLine(line);
            controller.enqueue(raw);
          }
        }
      },
    });
    return new Response(response.body.pipeThrough(recorder), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** A real @powersync/node client (the Rust sync core) in a temporary directory. */
export async function openClient(options: ClientOptions): Promise<TestClient> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cr-sync-client-'));
  const requests: Record<string, unknown>[] = [];
  const lines: RecordedLine[] = [];
  const responses: TestClient['responses'] = [];
  const logs: string[] = [];
  const db = new PowerSyncDatabase({
    logger: { log: ({ message, error }) => logs.push(error ? `${message}: ${String(error)}` : message) },
    schema: options.schema ?? AppSchema,
    // The file name must be unique per process: the SDK shares state between databases of one name.
    database: { dbFilename: `${path.basename(dir)}.db`, dbLocation: dir },
    ...(options.record === false
      ? {}
      : {
          remoteOptions: {
            customFetch: recordingFetch(requests, lines, responses, options.beforeLine, options.streamHeaders),
          },
        }),
  });
  await db.init();
  const connector: PowerSyncBackendConnector = {
    fetchCredentials: async () => ({ endpoint: options.endpoint, token: await options.token() }),
    uploadData: async (database) => {
      if (options.upload) await options.upload(database);
    },
  };
  const connect = () =>
    db.connect(connector, {
      connectionMethod: SyncStreamConnectionMethod.HTTP,
      crudUploadThrottleMs: options.crudUploadThrottleMs ?? 0,
      retryDelayMs: options.retryDelayMs ?? 200,
      ...(options.params ? { params: options.params as Record<string, string> } : {}),
    });
  await connect();
  return {
    db,
    requests,
    lines,
    responses,
    logs,
    linesOf: (kind) => lines.filter((l) => kind in l.line).map((l) => l.line[kind] as Record<string, unknown>),
    rows: <T>(sql: string, params: unknown[] = []) => db.getAll<T>(sql, params),
    disconnect: () => db.disconnect(),
    reconnect: connect,
    async close() {
      await db.disconnectAndClear().catch(() => {});
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
