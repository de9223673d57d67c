import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDER_TRANSITIONS } from '../rules/order-rules.ts';
import {
  ctxFor,
  DOC_ID,
  doc,
  ORDER_ID,
  operation,
  order,
  PATIENT_ID,
  PRODUCT_ID,
  patient,
  product,
  rowsOf,
  run,
  TASK_ID,
  task,
} from './fixtures.ts';

const CLERKS = ['alice', 'bob', 'carol'] as const;

describe('algebraic properties of the strategies', () => {
  it('inventory: deltas in any order give start + sum of accepted deltas, never below zero', () => {
    const change = fc.record({
      user: fc.constantFrom(...CLERKS),
      seen: fc.integer({ min: 0, max: 40 }),
      delta: fc.integer({ min: -15, max: 10 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.array(change, { maxLength: 12 }), (start, changes) => {
        const rows = rowsOf([['inventory', product({ quantity: start })]]);
        let accepted = 0;
        for (const c of changes) {
          if (c.seen + c.delta < 0) continue; // the client's own database never goes below zero either
          const op = operation({
            op: 'PATCH',
            type: 'inventory',
            id: PRODUCT_ID,
            data: { quantity: c.seen + c.delta },
            old: { quantity: c.seen },
          });
          const before = rows.get('inventory', PRODUCT_ID)?.quantity as number;
          const decision = run(op, rows, ctxFor(c.user));
          const after = rows.get('inventory', PRODUCT_ID)?.quantity as number;
          expect(after).toBeGreaterThanOrEqual(0);
          if (decision.outcome === 'applied') {
            accepted += c.delta;
            expect(after).toBe(before + c.delta);
          } else {
            expect(decision).toMatchObject({ outcome: 'rejected', code: 'INSUFFICIENT_STOCK' });
            expect(before + c.delta).toBeLessThan(0);
          }
        }
        expect(rows.get('inventory', PRODUCT_ID)?.quantity).toBe(start + accepted);
      }),
    );
  });

  it('inventory: a set of sales that fits the stock is fully counted in every order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }), fc.nat(), (sales, seed) => {
        const start = sales.reduce((a, b) => a + b, 0);
        const ops = sales.map((n, i) =>
          operation({
            op: 'PATCH',
            type: 'inventory',
            id: PRODUCT_ID,
            data: { quantity: start - n },
            old: { quantity: start },
            op_id: i + 1,
          }),
        );
        const shuffled = fc.sample(fc.shuffledSubarray(ops, { minLength: ops.length }), { seed, numRuns: 1 })[0] ?? ops;
        const rows = rowsOf([['inventory', product({ quantity: start })]]);
        for (const op of shuffled) expect(run(op, rows, ctxFor('alice')).outcome).toBe('applied');
        expect(rows.get('inventory', PRODUCT_ID)?.quantity).toBe(0);
      }),
    );
  });

  it('field-level LWW: the same row whatever the arrival order', () => {
    const edit = fc.record({
      user: fc.constantFrom('dan', 'nina'),
      minute: fc.integer({ min: 0, max: 30 }),
      field: fc.constantFrom('notes', 'heart_rate', 'temperature'),
      value: fc.integer({ min: 40, max: 44 }),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), fc.nat(), (edits, seed) => {
        const ops = edits.map((e, i) => ({
          user: e.user,
          op: operation({
            op: 'PATCH',
            type: 'patients',
            id: PATIENT_ID,
            op_id: i + 1,
            data: { [e.field]: e.field === 'notes' ? `note ${e.value}` : e.value },
            metadata: JSON.stringify({ edited_at: new Date(Date.UTC(2026, 10, 22, 10, e.minute)).toISOString() }),
          }),
        }));
        const applyAll = (list: typeof ops) => {
          const rows = rowsOf([['patients', patient()]]);
          for (const { user, op } of list) run(op, rows, ctxFor(user));
          return rows.get('patients', PATIENT_ID);
        };
        const shuffled = fc.sample(fc.shuffledSubarray(ops, { minLength: ops.length }), { seed, numRuns: 1 })[0] ?? ops;
        expect(applyAll(shuffled)).toEqual(applyAll(ops));
      }),
    );
  });

  it('versions: of several edits made on the same version, exactly one is accepted', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CLERKS), { minLength: 2, maxLength: 6 }), (users) => {
        const rows = rowsOf([['documents', doc({ version: 3 })]]);
        const outcomes = users.map(
          (user, i) =>
            run(
              operation({
                op: 'PATCH',
                type: 'documents',
                id: DOC_ID,
                data: { body: `by ${user} ${i}`, version: 4 },
                old: { version: 3 },
              }),
              rows,
              ctxFor(user),
            ).outcome,
        );
        expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(users.length - 1);
        expect(rows.get('documents', DOC_ID)?.version).toBe(4);
      }),
    );
  });

  it('timestamps: of several edits made on the same version, exactly one is accepted', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 59 }), { minLength: 2, maxLength: 6 }), (minutes) => {
        const rows = rowsOf([['tasks', task()]]);
        const outcomes = minutes.map(
          (minute, i) =>
            run(
              operation({
                op: 'PATCH',
                type: 'tasks',
                id: TASK_ID,
                data: { title: `edit ${i}`, modified_at: new Date(Date.UTC(2026, 10, 22, 10, minute)).toISOString() },
                old: { modified_at: '2026-11-01T09:00:00.000Z' },
              }),
              rows,
              ctxFor('bob'),
            ).outcome,
        );
        expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
      }),
    );
  });

  it('orders: whatever statuses clients send, the stored history only takes allowed steps', () => {
    const statuses = fc.constantFrom('pending', 'processing', 'shipped', 'completed', 'cancelled');
    fc.assert(
      fc.property(fc.array(statuses, { maxLength: 10 }), (wanted) => {
        const rows = rowsOf([['orders', order()]]);
        for (const status of wanted) {
          const from = rows.get('orders', ORDER_ID)?.status as keyof typeof ORDER_TRANSITIONS;
          const decision = run(
            operation({ op: 'PATCH', type: 'orders', id: ORDER_ID, data: { status } }),
            rows,
            ctxFor('alice'),
          );
          const to = rows.get('orders', ORDER_ID)?.status;
          if (decision.outcome === 'applied' && to !== from) expect(ORDER_TRANSITIONS[from]).toContain(to);
          if (decision.outcome === 'rejected') expect(to).toBe(from);
        }
      }),
    );
  });
});
