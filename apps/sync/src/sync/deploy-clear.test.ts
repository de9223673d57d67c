import { describe, expect, it } from 'vitest';
import { addChecksums, deployChecksum, putChecksum } from '../protocol/checksum.ts';
import { type BucketChecksum, dataLine, type StoredOp } from '../protocol/lines.ts';
import type { BucketRange, OpReader } from '../storage/op-reader.ts';
import { CachedOp } from '../storage/recent-ops.ts';
import { sendCheckpointData } from './data-sender.ts';
import { DeployClear } from './deploy-clear.ts';
import type { LineSink } from './line-sink.ts';

type WireOp = { op_id: string; op: string; checksum: number };
type DataLine = { data: { bucket: string; after: string; next_after: string; data: WireOp[] } };

const put = (opId: number, id: string): StoredOp => {
  const data = JSON.stringify({ id });
  return {
    opId,
    op: 'PUT',
    objectType: 'todos',
    objectId: id,
    subkey: null,
    data,
    checksum: putChecksum('todos', id, data),
  };
};
const clear = (opId: number, checksum: number): StoredOp => ({
  opId,
  op: 'CLEAR',
  objectType: null,
  objectId: null,
  subkey: null,
  data: null,
  checksum,
});

function reader(oplogs: Record<string, StoredOp[]>): OpReader {
  return {
    read: async (ranges: readonly BucketRange[], upTo: number) =>
      ranges.map((range) => ({
        bucket: range.bucket,
        ops: (oplogs[range.bucket] ?? [])
          .filter((op) => op.opId > range.after && op.opId <= upTo)
          .map((op) => new CachedOp(op)),
        hasMore: false,
      })),
  } as unknown as OpReader;
}

function sink(): LineSink & { lines: DataLine[] } {
  const lines: DataLine[] = [];
  return {
    lines,
    encoding: 'ndjson',
    stats: { lines: 0, bytes: 0, ops: 0 },
    async write() {},
    async data(bucket, ops, after, nextAfter, hasMore) {
      lines.push(
        JSON.parse(
          dataLine(
            bucket,
            ops.map((op) => op.json),
            after,
            nextAfter,
            hasMore,
          ),
        ),
      );
    },
  };
}

/** The bucket checksum as powersync-sqlite-core keeps it: a CLEAR replaces everything before it. */
function clientChecksum(ops: WireOp[]): number {
  return ops.reduce((sum, op) => (op.op === 'CLEAR' ? op.checksum : addChecksums(sum, op.checksum)), 0);
}

async function send(deploy: DeployClear, oplogs: Record<string, StoredOp[]>, after: Map<string, number>) {
  const out = sink();
  const buckets: BucketChecksum[] = Object.keys(oplogs).map((bucket) => ({
    bucket,
    checksum: 0,
    count: 0,
    priority: 3,
  }));
  await sendCheckpointData({
    buckets,
    after,
    state: (bucket) => ({ checksum: 0, count: 0, lastOpId: oplogs[bucket]?.at(-1)?.opId ?? 0, lastRemovalOpId: 0 }),
    upTo: 100,
    rawData: true,
    reader: reader(oplogs),
    sink: out,
    signal: new AbortController().signal,
    deploy,
  });
  return out.lines.map((line) => line.data);
}

describe('DeployClear', () => {
  it('gives every (deploy, bucket) its own non-zero term, in the checkpoint checksum and count', () => {
    const a = new DeployClear('powersync_app_1');
    expect(a.term('team["t1"]')).not.toBe(0);
    expect(a.term('team["t1"]')).toBe(deployChecksum('powersync_app_1', 'team["t1"]'));
    expect(a.term('team["t1"]')).not.toBe(new DeployClear('powersync_app_2').term('team["t1"]'));
    expect(a.term('team["t1"]')).not.toBe(a.term('team["t2"]'));
    const state = { checksum: 0xffff_fff0, count: 3, lastOpId: 9, lastRemovalOpId: 0 };
    expect(a.checkpointState('b', state)).toEqual({ checksum: addChecksums(0xffff_fff0, a.term('b')), count: 4 });
  });

  it('starts a bucket the client lacks with the CLEAR, also when it has no ops, and not on resumption', async () => {
    const deploy = new DeployClear('d');
    const lines = await send(
      deploy,
      { empty: [], full: [put(1, 'x'), put(2, 'y')], held: [put(3, 'z')] },
      new Map([['held', 1]]),
    );
    const byBucket = Object.fromEntries(lines.map((l) => [l.bucket, l]));
    expect(byBucket.empty?.data).toEqual([{ op_id: '0', op: 'CLEAR', checksum: deploy.term('empty') }]);
    expect([byBucket.empty?.after, byBucket.empty?.next_after]).toEqual(['0', '0']);
    expect(byBucket.full?.data.map((op) => op.op_id)).toEqual(['0', '1', '2']);
    expect(byBucket.held?.data.map((op) => op.op)).toEqual(['PUT']);
    const ops = [put(1, 'x'), put(2, 'y')];
    const stored = ops.reduce((sum, op) => addChecksums(sum, op.checksum), 0);
    expect(clientChecksum(byBucket.full?.data ?? [])).toBe(addChecksums(stored, deploy.term('full')));
  });

  it('adds the term to a stored CLEAR, which resets the client past the leading one', async () => {
    const deploy = new DeployClear('d');
    const replaced = [put(1, 'x'), put(2, 'x')].reduce((sum, op) => addChecksums(sum, op.checksum), 0);
    const oplog = [clear(2, replaced), put(3, 'y')];
    const total = addChecksums(addChecksums(replaced, put(3, 'y').checksum), deploy.term('b'));
    for (const after of [0, 1]) {
      const [line] = await send(deploy, { b: oplog }, new Map([['b', after]]));
      const clears = line?.data.filter((op) => op.op === 'CLEAR') ?? [];
      expect(clears.at(-1)).toMatchObject({ op_id: '2', checksum: addChecksums(replaced, deploy.term('b')) });
      expect(clientChecksum(line?.data ?? [])).toBe(total);
    }
  });
});
