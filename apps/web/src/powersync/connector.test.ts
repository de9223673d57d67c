import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiConnector, UploadNotDone } from './connector.ts';
import { notableOutcomes, stuckUpload, uploadLog } from './upload-events.ts';

type Handler = (url: string, init: RequestInit) => { status: number; body: unknown };

function fakeDatabase(opIds: number[], transactionId = 7) {
  const complete = vi.fn(async () => {});
  const database = {
    getNextCrudTransaction: async () => ({
      transactionId,
      crud: opIds.map((id) => ({ clientId: id, toJSON: () => ({ op_id: id, op: 'PATCH', type: 'tasks', id: 't' }) })),
      complete,
    }),
    getClientId: async () => 'client-1',
  } as unknown as AbstractPowerSyncDatabase;
  return { database, complete };
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
    expect(complete).toHaveBeenCalledOnce();
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
    expect(complete).not.toHaveBeenCalled();
    expect(uploadLog.get().lastError).toMatchObject({ kind: 'retry', message: 'Try later. (DATABASE_UNAVAILABLE)' });
  });

  it('keeps the transaction when the network fails', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const { database, complete } = fakeDatabase([1]);
    await expect(new ApiConnector('alice').uploadData(database)).rejects.toThrow(/could not be reached/);
    expect(complete).not.toHaveBeenCalled();
    expect(uploadLog.get().lastError?.kind).toBe('network');
  });

  it('drops the token on 401 and signs in again on the next attempt', async () => {
    let status = 401;
    const calls = stubFetch(() => ({
      status,
      body: status === 401 ? { error: { message: 'Expired.' } } : { outcomes: [] },
    }));
    const connector = new ApiConnector('alice');
    const { database, complete } = fakeDatabase([]);
    await expect(connector.uploadData(database)).rejects.toThrow('Expired.');
    status = 200;
    await connector.uploadData(database);
    expect(complete).toHaveBeenCalledOnce();
    expect(calls.filter((call) => call.url.endsWith('/auth/token'))).toHaveLength(2);
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
    expect(complete).not.toHaveBeenCalled();
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
    expect(complete).toHaveBeenCalledOnce();
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
