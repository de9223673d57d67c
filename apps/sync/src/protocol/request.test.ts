import { describe, expect, it } from 'vitest';
import { parseSyncRequest, SyncRequestError } from './request.ts';

describe('parseSyncRequest', () => {
  it('reads the body the Rust core sends', () => {
    const request = parseSyncRequest({
      buckets: [
        { name: '1#team[]', after: '42' },
        { name: '1#user_data["alice"]', after: '0' },
      ],
      include_checksum: true,
      raw_data: true,
      binary_data: true,
      client_id: 'c-1',
      parameters: { tenant: 'x' },
      app_metadata: {},
      streams: { include_defaults: true, subscriptions: [] },
    });
    expect([...request.buckets]).toEqual([
      ['1#team[]', 42],
      ['1#user_data["alice"]', 0],
    ]);
    expect(request).toMatchObject({ clientId: 'c-1', rawData: true, includeDefaultStreams: true });
    expect(request.parameters).toEqual({ tenant: 'x' });
  });

  it('accepts an empty body object from a fresh client', () => {
    const request = parseSyncRequest({});
    expect(request.buckets.size).toBe(0);
    expect(request.clientId).toBeNull();
    expect(request.rawData).toBe(false);
  });

  it('reads stream subscriptions', () => {
    const request = parseSyncRequest({
      streams: {
        include_defaults: false,
        subscriptions: [{ stream: 's', parameters: { a: 1 }, override_priority: 0 }],
      },
    });
    expect(request.includeDefaultStreams).toBe(false);
    expect(request.subscriptions).toEqual([{ stream: 's', parameters: { a: 1 }, overridePriority: 0 }]);
  });

  it.each([
    ['not an object', []],
    ['buckets not an array', { buckets: {} }],
    ['after not an op id', { buckets: [{ name: 'b', after: 'abc' }] }],
    ['after negative', { buckets: [{ name: 'b', after: '-1' }] }],
    ['bucket without a name', { buckets: [{ after: '1' }] }],
    ['client_id not a string', { client_id: 5 }],
    ['parameters not an object', { parameters: 'x' }],
  ])('rejects %s', (_label, body) => {
    expect(() => parseSyncRequest(body)).toThrow(SyncRequestError);
  });
});
