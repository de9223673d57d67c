import { RejectionCode } from '../codes.ts';
import { reject } from '../decisions.ts';
import type { StrategyFactory } from '../strategy.ts';

/**
 * For the `rejections` table: written by the server; the person a row concerns may only dismiss
 * it (set `dismissed_at`), so the notice leaves their list on every device.
 */
export function acknowledge(): StrategyFactory {
  return (table) => ({
    name: 'acknowledge',
    detects: 'nothing',
    onConflict: 'owner may dismiss',
    decide(op, rows, ctx) {
      if (op.op !== 'PATCH') {
        return reject(
          RejectionCode.ServerOwnedTable,
          'Rejections are recorded by the server; you can only dismiss one.',
        );
      }
      const row = rows.get(table.name, op.id);
      if (row === null) return reject(RejectionCode.RowNotFound, `Rejection ${op.id} does not exist.`);
      if (row.user_id !== ctx.user.id)
        return reject(RejectionCode.NotOwner, 'Only the person it concerns can dismiss it.');
      const others = Object.keys(op.data).filter((column) => column !== 'dismissed_at');
      if (others.length > 0) return reject(RejectionCode.InvalidValue, 'Only dismissed_at of a rejection can change.');
      if (!('dismissed_at' in op.data)) return { outcome: 'applied', writes: [] };
      return {
        outcome: 'applied',
        writes: [
          { table: table.name, id: op.id, effect: { kind: 'update', set: { dismissed_at: op.data.dismissed_at } } },
        ],
      };
    },
  });
}
