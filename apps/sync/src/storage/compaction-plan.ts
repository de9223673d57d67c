import { addChecksums } from '../protocol/checksum.ts';
import type { OpType } from '../protocol/lines.ts';

/** An op as compaction sees it: no row data, only identity and checksum. */
export interface CompactableOp {
  opId: number;
  op: OpType;
  /** `type/id/subkey` for PUT and REMOVE; null for MOVE and CLEAR. */
  rowKey: string | null;
  checksum: number;
}

export interface CompactionPlan {
  /** Replace every op up to `opId` with one CLEAR carrying their summed checksum. */
  clear: { opId: number; checksum: number; replaced: number } | null;
  /** Ops to turn into MOVE (same op id and checksum, no data). */
  moves: number[];
}

/**
 * Plans the compaction of one bucket's oplog (ascending op ids), keeping its checksum intact:
 * - a PUT or REMOVE superseded by a later op on the same row becomes a MOVE;
 * - the leading run of ops that no longer carry a live row (MOVE, REMOVE, CLEAR, superseded PUT)
 *   becomes one CLEAR with the sum of their checksums. Every live op stays above it, so a client
 *   that receives the CLEAR receives every live row after it.
 */
export function planCompaction(ops: readonly CompactableOp[]): CompactionPlan {
  const superseded = new Set<number>();
  const seen = new Set<string>();
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i] as CompactableOp;
    if (op.rowKey === null || (op.op !== 'PUT' && op.op !== 'REMOVE')) continue;
    if (seen.has(op.rowKey)) superseded.add(op.opId);
    else seen.add(op.rowKey);
  }

  let prefix = 0;
  let checksum = 0;
  for (const op of ops) {
    const dead = op.op !== 'PUT' || superseded.has(op.opId);
    if (!dead) break;
    prefix += 1;
    checksum = addChecksums(checksum, op.checksum);
  }
  const clearable = prefix >= 2 || (prefix === 1 && ops[0]?.op !== 'CLEAR' && ops[0]?.op !== 'MOVE');
  const last = clearable ? ops[prefix - 1] : undefined;
  const clear = last ? { opId: last.opId, checksum, replaced: prefix } : null;

  const moves: number[] = [];
  for (let i = clear ? prefix : 0; i < ops.length; i++) {
    const op = ops[i] as CompactableOp;
    if (superseded.has(op.opId)) moves.push(op.opId);
  }
  return { clear, moves };
}

/**
 * The highest op id a plan rewrites (0 if none). A loop, not `Math.max(...moves)`: spreading an
 * array into arguments overflows the call stack above about 125,000 moves.
 */
export function compactedUpTo(plan: CompactionPlan): number {
  let highest = plan.clear?.opId ?? 0;
  for (const opId of plan.moves) if (opId > highest) highest = opId;
  return highest;
}
