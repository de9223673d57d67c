import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type StuckUpload, stuckUpload, uploadLog } from '../powersync/upload-events.ts';
import { discardStuck, exportStuck } from './stuck-upload.ts';

const STUCK: StuckUpload = {
  transactionId: 3,
  firstOpId: 10,
  operations: 2,
  code: 'BODY_TOO_LARGE',
  message: 'The request body is larger than this server accepts. (BODY_TOO_LARGE)',
  at: '2026-11-22T10:00:00.000Z',
};

/** A database whose upload queue is headed by transaction `transactionId` with ops 10 and 11. */
function queue(transactionId: number | null) {
  const complete = vi.fn(async () => {});
  const db = {
    getNextCrudTransaction: async () =>
      transactionId === null
        ? null
        : {
            transactionId,
            crud: [10, 11].map((id) => ({
              clientId: id,
              toJSON: () => ({ op_id: id, op: 'PUT', type: 'documents', id: `d${id}`, data: { body: 'long' } }),
            })),
            complete,
          },
    getClientId: async () => 'client-9',
  } as unknown as AbstractPowerSyncDatabase;
  return { db, complete };
}

beforeEach(() => {
  stuckUpload.set(STUCK);
  uploadLog.set({
    lastError: { kind: 'stuck', message: STUCK.message, at: STUCK.at },
    lastSuccessAt: null,
    completed: 0,
  });
});

describe('a stuck transaction', () => {
  it('exports the operations exactly as they would be uploaded, with why they were refused', async () => {
    const { db, complete } = queue(3);
    const file = await exportStuck(db, STUCK, new Date('2026-11-22T11:00:00.000Z'));
    expect(file?.filename).toBe('refused-changes-2026-11-22T11-00-00-000Z.json');
    expect(JSON.parse(file?.text ?? '')).toEqual({
      exported_at: '2026-11-22T11:00:00.000Z',
      client_id: 'client-9',
      refused: { code: 'BODY_TOO_LARGE', message: STUCK.message, at: STUCK.at },
      operations: [
        { op_id: 10, op: 'PUT', type: 'documents', id: 'd10', data: { body: 'long' } },
        { op_id: 11, op: 'PUT', type: 'documents', id: 'd11', data: { body: 'long' } },
      ],
    });
    expect(complete).not.toHaveBeenCalled();
    expect(stuckUpload.get()).toEqual(STUCK);
  });

  it('is discarded only if it still heads the queue, and then the queue flows again', async () => {
    const other = queue(4); // another tab discarded it already; the next transaction is not ours to drop
    expect(await discardStuck(other.db, STUCK)).toBe(false);
    expect(other.complete).not.toHaveBeenCalled();
    expect(stuckUpload.get()).toBeNull();

    stuckUpload.set(STUCK);
    const same = queue(3);
    expect(await discardStuck(same.db, STUCK)).toBe(true);
    expect(same.complete).toHaveBeenCalledOnce();
    expect(stuckUpload.get()).toBeNull();
    expect(uploadLog.get().lastError).toBeNull();
  });
});
