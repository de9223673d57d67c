import { describe, expect, it } from 'vitest';
import type { StoredOp } from '../protocol/lines.ts';
import { RecentOps } from './recent-ops.ts';

const put = (opId: number): StoredOp => ({
  opId,
  op: 'PUT',
  objectType: 't',
  objectId: String(opId),
  subkey: 's',
  data: '{}',
  checksum: opId,
});

describe('RecentOps', () => {
  it('serves ops above its floor from memory, bounded by the checkpoint', () => {
    const recent = new RecentOps(10);
    recent.add([
      { bucket: 'a', op: put(11) },
      { bucket: 'b', op: put(12) },
      { bucket: 'a', op: put(13) },
    ]);
    expect(recent.read('a', 10, 13)?.map((o) => o.opId)).toEqual([11, 13]);
    expect(recent.read('a', 11, 12)?.map((o) => o.opId)).toEqual([]);
    expect(recent.read('c', 10, 13)).toEqual([]);
    expect(recent.read('a', 9, 13)).toBeNull(); // below the floor: storage has to answer
    expect(JSON.parse(recent.read('b', 10, 13)?.[0]?.json ?? '')).toMatchObject({ op_id: '12', op: 'PUT' });
  });

  it('finds the range of a long list by op id wherever it starts (gaps and other buckets between)', () => {
    const recent = new RecentOps(0, 100_000);
    const ids: number[] = [];
    for (let id = 1; id <= 40_000; id += 1 + (id % 3)) {
      recent.add([
        { bucket: 'team', op: put(id) },
        { bucket: 'other', op: put(id + 0.5) },
      ]);
      ids.push(id);
    }
    for (const after of [0, 1, 2, 777, 20_000, 39_990, 39_999, 40_000, 50_000]) {
      for (const upTo of [after, after + 5, 40_000]) {
        const expected = ids.filter((id) => id > after && id <= upTo);
        expect(recent.read('team', after, upTo)?.map((o) => o.opId)).toEqual(expected);
      }
    }
  });

  it('raises its floor when it evicts old ops', () => {
    const recent = new RecentOps(0, 10);
    for (let id = 1; id <= 12; id++) recent.add([{ bucket: 'a', op: put(id) }]);
    expect(recent.read('a', 0, 12)).toBeNull();
    const tail = recent.read('a', 8, 12);
    expect(tail?.map((o) => o.opId)).toEqual([9, 10, 11, 12]);
  });

  it('restarts above a transaction too big to keep', () => {
    const recent = new RecentOps(0, 10);
    recent.add(Array.from({ length: 8 }, (_, i) => ({ bucket: 'a', op: put(i + 1) })));
    expect(recent.read('a', 0, 8)).toBeNull();
    expect(recent.read('a', 8, 8)).toEqual([]);
  });
});

describe('RecentOps after compaction', () => {
  it('sends clients behind the compacted range to storage', () => {
    const recent = new RecentOps(0);
    recent.add([1, 2, 3, 4].map((id) => ({ bucket: 'a', op: put(id) })));
    recent.add([{ bucket: 'b', op: put(5) }]);
    recent.compacted('a', 3);
    expect(recent.read('a', 0, 5)).toBeNull();
    expect(recent.read('a', 3, 5)?.map((o) => o.opId)).toEqual([4]);
    expect(recent.read('b', 0, 5)?.map((o) => o.opId)).toEqual([5]);
  });
});
