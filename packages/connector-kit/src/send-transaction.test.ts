import { describe, expect, it } from 'vitest';
import { identify, isSameTransaction, sendTransaction } from './send-transaction.ts';

const transaction = {
  transactionId: 7,
  crud: [5, 6].map((id) => ({ clientId: id, toJSON: () => ({ op_id: id, op: 'PATCH', type: 'notes', id: 'n' }) })),
};

function answering(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('sendTransaction', () => {
  it('posts the transaction as the contract says and judges the answer', async () => {
    const outcomes = [5, 6].map((op_id) => ({ op_id, table: 'notes', id: 'n', status: 'applied' }));
    const { fetch, calls } = answering(200, { outcomes });
    const result = await sendTransaction({ url: '/api/data', token: 'tok', clientId: 'c1', transaction, fetch });
    expect(result).toMatchObject({ kind: 'complete', notable: [] });
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({
      client_id: 'c1',
      batch: [5, 6].map((op_id) => ({ op_id, op: 'PATCH', type: 'notes', id: 'n' })),
    });
    expect(new Headers(calls[0]?.init.headers).get('authorization')).toBe('Bearer tok');
  });

  it('tells a network failure, a refused transaction and a server fault apart', async () => {
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    expect(await sendTransaction({ url: '/', token: 't', clientId: 'c', transaction, fetch: down })).toEqual({
      kind: 'network',
      message: 'The upload API could not be reached (Failed to fetch).',
    });
    const tooBig = answering(413, { error: { code: 'BODY_TOO_LARGE', message: 'Too large.' } });
    expect(await sendTransaction({ url: '/', token: 't', clientId: 'c', transaction, fetch: tooBig.fetch })).toEqual({
      kind: 'stuck',
      code: 'BODY_TOO_LARGE',
      message: 'Too large. (BODY_TOO_LARGE)',
    });
    const html = (async () => new Response('<html>', { status: 502 })) as typeof globalThis.fetch;
    expect(await sendTransaction({ url: '/', token: 't', clientId: 'c', transaction, fetch: html })).toMatchObject({
      kind: 'retry',
    });
  });
});

describe('recognising a refused transaction at the head of the queue', () => {
  it('matches by transaction id and first operation', () => {
    const refused = { ...identify(transaction), message: 'x' };
    expect(isSameTransaction(refused, transaction)).toBe(true);
    expect(isSameTransaction(refused, { ...transaction, transactionId: 8 })).toBe(false);
    expect(isSameTransaction(null, transaction)).toBe(false);
  });
});
