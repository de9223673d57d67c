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
}

/**
 * Records the lines of sync responses for the test while passing them on. A TransformStream
 * (not tee) so that the client's cancel reaches the server as a closed connection.
 */
function recordingFetch(
  requests: Record<string, unknown>[],
  lines: RecordedLine[],
  beforeLine?: ClientOptions['beforeLine'],
): typeof fetch {
  return async (resource, init) => {
    const response = await fetch(resource, init);
    const url = typeof resource === 'string' ? resource : resource instanceof URL ? resource.href : resource.url;
    if (!url.endsWith('/sync/stream') || !response.body) return response;
    const request = requests.length;
    requests.push(JSON.parse(String(init?.body ?? '{}')));
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    let buffer = '';
    const recorder = new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, controller) {
        buffer += decoder.decode(chunk, { stream: true });
        if (!beforeLine) controller.enqueue(chunk);
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const text = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (text.trim()) {
            const line = JSON.parse(text);
            lines.push({ request, line });
            if (beforeLine) {
              await beforeLine(line);
              controller.enqueue(encoder.encode(`${text}\n`));
            }
          }
          newline = buffer.indexOf('\n');
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
  const logs: string[] = [];
  const db = new PowerSyncDatabase({
    logger: { log: ({ message, error }) => logs.push(error ? `${message}: ${String(error)}` : message) },
    schema: options.schema ?? AppSchema,
    // The file name must be unique per process: the SDK shares state between databases of one name.
    database: { dbFilename: `${path.basename(dir)}.db`, dbLocation: dir },
    ...(options.record === false
      ? {}
      : { remoteOptions: { customFetch: recordingFetch(requests, lines, options.beforeLine) } }),
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
