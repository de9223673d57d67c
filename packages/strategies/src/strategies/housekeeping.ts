import { RejectionCode } from '../codes.ts';
import { reject, type Strategy } from '../compose.ts';

/** users: maintained by the server (demo seed); clients only read them. */
export const readOnly: Strategy = {
  name: 'read-only',
  decide: (op) => reject(RejectionCode.ReadOnlyTable, `${op.table} is read-only for clients.`),
};

/**
 * rejections: written by the server; the owner may only dismiss one (set dismissed_at), so the
 * notice leaves their list on every device.
 */
export const acknowledge: Strategy = {
  name: 'acknowledge',
  decide(op, rows, ctx) {
    if (op.op !== 'PATCH') {
      return reject(RejectionCode.ServerOwnedTable, 'Rejections are recorded by the server; you can only dismiss one.');
    }
    const row = rows.get('rejections', op.id);
    if (row === null) return reject(RejectionCode.RowNotFound, `Rejection ${op.id} does not exist.`);
    if (row.user_id !== ctx.user.id)
      return reject(RejectionCode.NotOwner, 'Only the person it concerns can dismiss it.');
    const others = Object.keys(op.data).filter((column) => column !== 'dismissed_at');
    if (others.length > 0) return reject(RejectionCode.InvalidValue, 'Only dismissed_at of a rejection can change.');
    if (!('dismissed_at' in op.data)) return { outcome: 'applied', writes: [] };
    return {
      outcome: 'applied',
      writes: [
        { table: 'rejections', id: op.id, effect: { kind: 'update', set: { dismissed_at: op.data.dismissed_at } } },
      ],
    };
  },
};
