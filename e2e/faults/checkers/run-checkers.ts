import type { FaultStack } from '../fault-stack.ts';
import type { ClientRead, History } from '../history.ts';
import type { Observer } from '../observer.ts';
import { checkConvergence } from './convergence.ts';
import { checkInventory } from './inventory.ts';
import { checkOrders } from './orders.ts';
import { checkOutcomes } from './outcomes.ts';
import { checkPatients } from './patients.ts';
import { checkReadConsistency } from './read-consistency.ts';
import type { CheckResult, Violation } from './violation.ts';

export interface CheckerInput {
  history: History;
  observer: Observer;
  stack: FaultStack;
  /** One read per client after everything settled. */
  finalReads: readonly ClientRead[];
}

const ROLES: Record<string, string> = {
  alice: 'clerk',
  bob: 'clerk',
  carol: 'manager',
  dan: 'doctor',
  nina: 'nurse',
  rita: 'reviewer',
};

/** Every checker over a finished run: one result each, with what it checked and what it found. */
export async function runCheckers({ history, observer, stack, finalReads }: CheckerInput): Promise<CheckResult[]> {
  const rows = [...observer.rows.values()];
  const clientIds = new Map(history.clients.map((c) => [c.name, c.psClientId]));
  const conflicts = await stack.query<{ client_id: string; op_id: string; id: string }>(
    'SELECT client_id, op_id::text, id::text FROM write_conflicts',
  );
  const rejections = await stack.query<{ client_id: string; op_id: string; code: string; data: string | null }>(
    'SELECT client_id, op_id::text, code, data::text FROM rejections',
  );
  const effects = {
    conflicts: conflicts.map((r) => ({ clientId: r.client_id, opId: Number(r.op_id), id: r.id })),
    rejections: rejections.map((r) => ({ clientId: r.client_id, opId: Number(r.op_id), code: r.code, data: r.data })),
  };
  const operations = history.issued.reduce((n, tx) => n + tx.ops.length, 0);
  const outcomes = checkOutcomes({ issued: history.issued, uploads: history.uploads, clientIds, effects });
  const inventory = checkInventory({
    issued: history.issued,
    uploads: history.uploads,
    rows,
    startSeq: history.workloadStartSeq,
  });
  const orders = checkOrders({ rows, startSeq: history.workloadStartSeq, roleOf: (user) => ROLES[user] });
  const patients = checkPatients({ issued: history.issued, uploads: history.uploads, rows, clients: history.clients });
  const reads = checkReadConsistency({ clients: history.clients, reads: history.reads, rows });
  const convergence = checkConvergence({ clients: history.clients, reads: finalReads, rows, lastSeq: observer.seq });
  const only = (list: Violation[], checker: string) => list.filter((v) => v.checker === checker);
  return [
    { checker: 'one outcome', checked: `${operations} operations`, violations: only(outcomes, 'one outcome') },
    { checker: 'no effect twice', checked: `${operations} operations`, violations: only(outcomes, 'no effect twice') },
    { checker: 'inventory', checked: `${inventory.items} items`, violations: inventory.violations },
    { checker: 'order rules', checked: `${orders.orders} orders`, violations: orders.violations },
    { checker: 'field LWW', checked: `${patients.fields} patient fields`, violations: patients.violations },
    {
      checker: 'whole transactions',
      checked: `${history.reads.length} reads`,
      violations: only(reads, 'whole transactions'),
    },
    {
      checker: 'monotonic reads',
      checked: `${history.reads.length} reads`,
      violations: only(reads, 'monotonic reads'),
    },
    { checker: 'priority order', checked: `${history.reads.length} reads`, violations: only(reads, 'priority order') },
    { checker: 'convergence', checked: `${history.clients.length} clients`, violations: convergence },
  ];
}
