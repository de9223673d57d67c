import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiConnector, UploadNotDone } from './connector.ts';
import { notableOutcomes, stuckUpload, uploadLog, uploadProgress } from './upload-events.ts';

type Handler = (url: string, init: RequestInit) => { status: number; body: unknown };

/** An upload queue as PowerSync keeps it (ps_crud): completing removes through an operation. */
function fakeQueue(transactions: { id: number; ops: number[] }[]) {
  let queue = transactions.flatMap((tx) => tx.ops.map((op) => ({ tx: tx.id, op })));
  const completed: number[] = [];
  const entry = ({ tx, op }: { tx: number; op: number }) => ({
    clientId: op,
    transactionId: tx,
    toJSON: () => ({ op_id: op, op: 'PATCH', type: 'tasks', id: 't', tx_id: tx }),
  });
  const completeThrough = (item: { tx: number; op: number }) => async () => {
    completed.push(item.tx);
    queue = queue.filter((q) => q.op > item.op);
  };
  const database = {
    getCrudBatch: async (limit: number) => {
      const crud = queue.slice(0, limit);
      const last = crud.at(-1);
      return last ? { crud: crud.map(entry), haveMore: queue.length > limit, complete: completeThrough(last) } : null;
    },
    getNextCrudTransaction: async () => {
      const first = queue[0];
      if (!first) return null;
      const ops = queue.filter((q) => q.tx === first.tx);
      return { transactionId: first.tx, crud: ops.map(entry), complete: completeThrough(ops.at(-1) ?? first) };
    },
    getUploadQueueStats: async () => ({ count: queue.length }),
    getClientId: async () => 'client-1',
  } as unknown as AbstractPowerSyncDatabase;
  return { database, completed, remaining: () => [...new Set(queue.map((q) => q.tx))] };
}

function fakeDatabase(opIds: number[], transactionId = 7) {
  const queue = fakeQueue(opIds.length > 0 ? [{ id: transactionId, ops: opIds }] : []);
  return { ...queue, complete: { calls: queue.completed } };
}

function stubFetch(upload: Handler) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const answer = url.endsWith('/auth/token')
      ? {
          status: 200,
          body: { token: `tok${calls.length}`, expires_at: new Date(Date.now() + 3600_000).toISOString() },
        }
      : upload(url, init);
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  });
  return calls;
}

beforeEach(() => {
  uploadLog.set({ lastError: null, lastSuccessAt: null, completed: 0 });
  notableOutcomes.set([]);
  stuckUpload.set(null);
});
afterEach(() => vi.unstubAllGlobals());

describe('ApiConnector.uploadData', () => {
  it('sends the transaction with the client id and completes it when every operation has an outcome', async () => {
    const calls = stubFetch(() => ({
      status: 200,
      body: {
        outcomes: [
          { op_id: 1, table: 'tasks', id: 't', status: 'applied' },
          { op_id: 2, table: 'tasks', id: 't', status: 'conflict', message: 'Changed on the server.' },
        ],
      },
    }));
    const { database, complete } = fakeDatabase([1, 2]);
    await new ApiConnector('alice').uploadData(database);
    expect(complete.calls).toHaveLength(1);
    const upload = calls.find((call) => call.url === '/api/data');
    expect(JSON.parse(String(upload?.init.body))).toMatchObject({
      client_id: 'client-1',
      batch: [{ op_id: 1 }, { op_id: 2 }],
    });
    expect(new Headers(upload?.init.headers).get('authorization')).toBe('Bearer tok1');
    expect(notableOutcomes.get().map((outcome) => outcome.status)).toEqual(['conflict']);
    expect(uploadLog.get().lastError).toBeNull();
  });

  it('keeps the transaction on a server error and records the error', async () => {
    stubFetch(() => ({ status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE', message: 'Try later.' } } }));
    const { database, complete } = fakeDatabase([1]);
    await expect(new ApiConnector('alice').uploadData(database)).rejects.toBeInstanceOf(UploadNotDone);
    expect(complete.calls).toEqual([]);
    expect(uploadLog.get().lastError).toMatchObject({ kind: 'retry', message: 'Try later. (DATABASE_UNAVAILABLE)' });
  });

  it('keeps the transaction when the network fails', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const { database, complete } = fakeDatabase([1]);
    await expect(new ApiConnector('alice').uploadData(database)).rejects.toThrow(/could not be reached/);
    expect(complete.calls).toEqual([]);
    expect(uploadLog.get().lastError?.kind).toBe('network');
  });

  it('drops the token on 401 and signs in again on the next attempt', async () => {
    let status = 401;
    const calls = stubFetch(() => ({
      status,
      body:
        status === 401
          ? { error: { message: 'Expired.' } }
          : { outcomes: [{ op_id: 1, table: 'tasks', id: 't', status: 'applied' }] },
    }));
    const connector = new ApiConnector('alice');
    const { database, complete } = fakeDatabase([1]);
    await expect(connector.uploadData(database)).rejects.toThrow('Expired.');
    status = 200;
    await connector.uploadData(database);
    expect(complete.calls).toHaveLength(1);
    expect(calls.filter((call) => call.url.endsWith('/auth/token'))).toHaveLength(2);
  });
});

describe('ApiConnector.uploadData with a backlog', () => {
  const applied = (ids: number[]) => ids.map((op_id) => ({ op_id, table: 'tasks', id: 't', status: 'applied' }));
  const queued = (count: number) => Array.from({ length: count }, (_, i) => ({ id: i + 1, ops: [10 * (i + 1)] }));
  const multi = (init: RequestInit) =>
    JSON.parse(String(init.body)) as { transactions?: { tx_id: number; batch: { op_id: number }[] }[] };

  it('sends many transactions per request, completes them and tells the progress', async () => {
    const bodies: ReturnType<typeof multi>[] = [];
    stubFetch((_url, init) => {
      const body = multi(init);
      bodies.push(body);
      const transactions = (body.transactions ?? []).map((tx) => ({ outcomes: applied(tx.batch.map((e) => e.op_id)) }));
      return { status: 200, body: { transactions } };
    });
    const queue = fakeQueue(queued(2500));
    const progress: (string | null)[] = [];
    const unsubscribe = uploadProgress.subscribe(() => {
      const p = uploadProgress.get();
      progress.push(p ? `${p.done} of ${p.total}` : null);
    });
    await new ApiConnector('alice').uploadData(queue.database);
    unsubscribe();
    expect(bodies.map((body) => body.transactions?.length)).toEqual([2000, 500]);
    expect(bodies[0]?.transactions?.[0]).toEqual({ tx_id: 1, batch: [expect.objectContaining({ op_id: 10 })] });
    expect(queue.remaining()).toEqual([]);
    expect(queue.completed).toEqual([2000, 2500]);
    expect(progress).toEqual(['0 of 2500', '2000 of 2500', '2500 of 2500', null]);
    expect(uploadLog.get().completed).toBe(2500);
  });

  it('completes exactly the transactions the server reports done and keeps the rest', async () => {
    stubFetch(() => ({
      status: 200,
      body: {
        transactions: [{ outcomes: applied([10]) }, { outcomes: applied([20]) }],
        stopped: { code: 'DATABASE_UNAVAILABLE', message: 'The database became unavailable.' },
      },
    }));
    const queue = fakeQueue(queued(4));
    await expect(new ApiConnector('alice').uploadData(queue.database)).rejects.toBeInstanceOf(UploadNotDone);
    expect(queue.completed).toEqual([2]);
    expect(queue.remaining()).toEqual([3, 4]);
    expect(uploadLog.get().lastError).toMatchObject({ kind: 'retry', message: 'The database became unavailable.' });
  });

  it('finds the transaction a chunk was refused for by sending it alone, and shows it as stuck', async () => {
    const calls = stubFetch((_url, init) =>
      multi(init).transactions
        ? { status: 413, body: { error: { code: 'TOO_MANY_OPERATIONS', message: 'Too many.' } } }
        : { status: 413, body: { error: { code: 'TOO_MANY_OPERATIONS', message: 'This one is too big.' } } },
    );
    const queue = fakeQueue(queued(3));
    await expect(new ApiConnector('alice').uploadData(queue.database)).rejects.toThrow('This one is too big.');
    expect(stuckUpload.get()).toMatchObject({ transactionId: 1, firstOpId: 10, operations: 1 });
    expect(calls.filter((call) => call.url === '/api/data')).toHaveLength(2);
    expect(queue.remaining()).toEqual([1, 2, 3]);
  });
});

describe('ApiConnector.uploadData with a transaction the server will never accept', () => {
  it('keeps it, shows it as stuck, and does not send it again until the user acts', async () => {
    const calls = stubFetch(() => ({
      status: 413,
      body: { error: { code: 'TOO_MANY_OPERATIONS', message: 'This upload has 12000 operations.' } },
    }));
    const { database, complete } = fakeDatabase([5, 6, 7]);
    const connector = new ApiConnector('alice');
    await expect(connector.uploadData(database)).rejects.toBeInstanceOf(UploadNotDone);
    expect(stuckUpload.get()).toMatchObject({
      transactionId: 7,
      firstOpId: 5,
      operations: 3,
      code: 'TOO_MANY_OPERATIONS',
      message: 'This upload has 12000 operations. (TOO_MANY_OPERATIONS)',
    });
    expect(uploadLog.get().lastError?.kind).toBe('stuck');
    await expect(connector.uploadData(database)).rejects.toThrow(/12000 operations/);
    expect(calls.filter((call) => call.url === '/api/data')).toHaveLength(1);
    expect(complete.calls).toEqual([]);
  });

  it('sends it again after "try again", and forgets it once the server accepts it', async () => {
    let status = 403;
    stubFetch(() =>
      status === 403
        ? { status, body: { error: { code: 'CLIENT_ID_IN_USE', message: 'Taken.' } } }
        : { status, body: { outcomes: [{ op_id: 5, table: 'tasks', id: 't', status: 'applied' }] } },
    );
    const { database, complete } = fakeDatabase([5]);
    const connector = new ApiConnector('alice');
    await expect(connector.uploadData(database)).rejects.toThrow('Taken.');
    stuckUpload.set(null); // the user pressed "try again"
    status = 200;
    await connector.uploadData(database);
    expect(complete.calls).toHaveLength(1);
    expect(stuckUpload.get()).toBeNull();
  });
});

describe('ApiConnector.fetchCredentials', () => {
  it('signs in afresh and points PowerSync at the page’s own origin', async () => {
    vi.stubGlobal('window', { location: { origin: 'http://127.0.0.1:6001' } });
    const calls = stubFetch(() => ({ status: 500, body: null }));
    const connector = new ApiConnector('alice');
    const first = await connector.fetchCredentials();
    const second = await connector.fetchCredentials();
    expect(first).toMatchObject({ endpoint: 'http://127.0.0.1:6001', token: 'tok1' });
    expect(second.token).toBe('tok2');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ user: 'alice' });
  });
});
