import { describe, expect, it } from 'vitest';
import { addChecksums } from '../protocol/checksum.ts';
import { type CompactableOp, compactedUpTo, planCompaction } from './compaction-plan.ts';

/** What the client core does with a bucket's ops (docs/powersync-protocol.md §3, §4), for checking plans. */
class ClientBucket {
  rows = new Map<string, { opId: number; checksum: number }>();
  add = 0;
  apply(op: CompactableOp): void {
    const supersede = () => {
      const old = op.rowKey === null ? undefined : this.rows.get(op.rowKey);
      if (old && op.rowKey !== null) {
        this.rows.delete(op.rowKey);
        this.add = addChecksums(this.add, old.checksum);
      }
    };
    if (op.op === 'PUT') {
      supersede();
      this.rows.set(op.rowKey as string, { opId: op.opId, checksum: op.checksum });
    } else if (op.op === 'REMOVE') {
      supersede();
      this.add = addChecksums(this.add, op.checksum);
    } else if (op.op === 'MOVE') {
      this.add = addChecksums(this.add, op.checksum);
    } else {
      this.rows.clear();
      this.add = op.checksum;
    }
  }
  get checksum(): number {
    let sum = this.add;
    for (const row of this.rows.values()) sum = addChecksums(sum, row.checksum);
    return sum;
  }
  get live(): string[] {
    return [...this.rows.keys()].sort();
  }
}

function compacted(ops: CompactableOp[]): CompactableOp[] {
  const plan = planCompaction(ops);
  const moves = new Set(plan.moves);
  const result: CompactableOp[] = [];
  if (plan.clear) result.push({ opId: plan.clear.opId, op: 'CLEAR', rowKey: null, checksum: plan.clear.checksum });
  for (const op of ops) {
    if (plan.clear && op.opId <= plan.clear.opId) continue;
    result.push(moves.has(op.opId) ? { ...op, op: 'MOVE', rowKey: null } : op);
  }
  return result;
}

let seed = 7;
function random(n: number): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed % n;
}

function randomOplog(length: number): CompactableOp[] {
  return Array.from({ length }, (_, i) => ({
    opId: i + 1,
    op: random(4) === 0 ? ('REMOVE' as const) : ('PUT' as const),
    rowKey: `t/${random(5)}/s`,
    checksum: random(2 ** 31) * 2 + random(2),
  }));
}

const op = (opId: number, kind: CompactableOp['op'], row: string | null, checksum = opId): CompactableOp => ({
  opId,
  op: kind,
  rowKey: row,
  checksum,
});

describe('planCompaction', () => {
  it('moves superseded ops and clears the leading dead run', () => {
    const ops = [op(1, 'PUT', 'a'), op(2, 'PUT', 'b'), op(3, 'PUT', 'a'), op(4, 'REMOVE', 'b'), op(5, 'PUT', 'c')];
    expect(planCompaction(ops)).toEqual({ clear: { opId: 2, checksum: 3, replaced: 2 }, moves: [] });
    const plan = planCompaction([op(1, 'PUT', 'x'), ...ops.map((o) => ({ ...o, opId: o.opId + 1 }))]);
    expect(plan.clear).toBeNull();
    expect(plan.moves).toEqual([2, 3]);
  });

  it('is a no-op on a compacted log', () => {
    const once = compacted(randomOplog(40));
    const again = planCompaction(once);
    expect(again.moves).toEqual([]);
    expect(again.clear === null || again.clear.replaced === 1).toBe(true);
  });

  it('keeps every client, whatever it already had, on the same rows and checksum', () => {
    for (let round = 0; round < 200; round++) {
      const original = randomOplog(1 + random(30));
      const shrunk = compacted(original);
      const last = original[original.length - 1]?.opId ?? 0;
      for (let after = 0; after <= last; after++) {
        const expected = new ClientBucket();
        for (const o of original) expected.apply(o);
        const client = new ClientBucket();
        for (const o of original) if (o.opId <= after) client.apply(o);
        for (const o of shrunk) if (o.opId > after) client.apply(o);
        expect(client.checksum).toBe(expected.checksum);
        expect(client.live).toEqual(expected.live);
      }
      expect(shrunk.length).toBeLessThanOrEqual(original.length);
    }
  });

  it('plans and reports a bucket with 300,000 superseded ops (no spread into Math.max)', () => {
    // A live PUT first keeps everything behind it a MOVE, not a CLEAR.
    const ops: CompactableOp[] = [{ opId: 1, op: 'PUT', rowKey: 'live', checksum: 1 }];
    for (let i = 2; i <= 300_001; i++) ops.push({ opId: i, op: 'PUT', rowKey: 'row', checksum: i });
    ops.push({ opId: 300_002, op: 'PUT', rowKey: 'row', checksum: 7 });
    const plan = planCompaction(ops);
    expect(plan.clear).toBeNull();
    expect(plan.moves.length).toBe(300_000);
    expect(compactedUpTo(plan)).toBe(300_001);
    expect(() => Math.max(...plan.moves)).toThrow(RangeError);
  });
});
