/**
 * The body of `POST /sync/stream` as the Rust core builds it (docs/powersync-protocol.md §1.2).
 * Unknown fields are allowed, as the official service allows them.
 */

export interface StreamSubscription {
  stream: string;
  parameters: Record<string, unknown> | null;
  overridePriority: number | null;
}

export interface SyncRequest {
  /** Buckets the client already has → the op id it has up to. */
  buckets: Map<string, number>;
  clientId: string | null;
  /** `connect(..., { params })`: `request.parameters()` in sync rules. */
  parameters: Record<string, unknown>;
  /** Every current client sends true; legacy clients get row data as objects. */
  rawData: boolean;
  includeDefaultStreams: boolean;
  subscriptions: StreamSubscription[];
}

export class SyncRequestError extends Error {}

const OP_ID = /^\d{1,19}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseOpId(value: unknown, where: string): number {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !OP_ID.test(text)) {
    throw new SyncRequestError(`${where} must be an op id (a base-10 string)`);
  }
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new SyncRequestError(`${where} is out of range`);
  return n;
}

function parseBuckets(value: unknown): Map<string, number> {
  const buckets = new Map<string, number>();
  if (value === undefined || value === null) return buckets;
  if (!Array.isArray(value)) throw new SyncRequestError('buckets must be an array');
  value.forEach((entry, index) => {
    if (!isObject(entry) || typeof entry.name !== 'string') {
      throw new SyncRequestError(`buckets[${index}] must be {name, after}`);
    }
    buckets.set(entry.name, parseOpId(entry.after, `buckets[${index}].after`));
  });
  return buckets;
}

function parseSubscriptions(value: unknown): { includeDefaultStreams: boolean; subscriptions: StreamSubscription[] } {
  if (value === undefined || value === null) return { includeDefaultStreams: true, subscriptions: [] };
  if (!isObject(value)) throw new SyncRequestError('streams must be an object');
  const list = value.subscriptions ?? [];
  if (!Array.isArray(list)) throw new SyncRequestError('streams.subscriptions must be an array');
  const subscriptions = list.map((entry, index): StreamSubscription => {
    if (!isObject(entry) || typeof entry.stream !== 'string') {
      throw new SyncRequestError(`streams.subscriptions[${index}] must name a stream`);
    }
    const priority = entry.override_priority;
    return {
      stream: entry.stream,
      parameters: isObject(entry.parameters) ? entry.parameters : null,
      overridePriority: typeof priority === 'number' && Number.isInteger(priority) ? priority : null,
    };
  });
  return { includeDefaultStreams: value.include_defaults !== false, subscriptions };
}

export function parseSyncRequest(body: unknown): SyncRequest {
  if (!isObject(body)) throw new SyncRequestError('the request body must be a JSON object');
  const clientId = body.client_id;
  if (clientId !== undefined && clientId !== null && typeof clientId !== 'string') {
    throw new SyncRequestError('client_id must be a string');
  }
  const parameters = body.parameters ?? {};
  if (!isObject(parameters)) throw new SyncRequestError('parameters must be an object');
  return {
    buckets: parseBuckets(body.buckets),
    clientId: clientId ?? null,
    parameters,
    rawData: body.raw_data === true,
    ...parseSubscriptions(body.streams),
  };
}
