import { type Context, type Decision, type Operation, type RawCrudEntry, type Row, WorkingSet } from '@cr/strategies';
import { policy } from '../policy.ts';
import type { Role } from '../roles.ts';
import type { TableName } from '../tables.ts';

export const NOW = '2026-11-22T12:00:00.000Z';

export const USERS: Record<string, Role> = {
  alice: 'clerk',
  bob: 'clerk',
  carol: 'manager',
  dan: 'doctor',
  nina: 'nurse',
  rita: 'reviewer',
};

export function ctxFor(user: keyof typeof USERS | string, overrides: Partial<Context> = {}): Context {
  const role = USERS[user];
  if (!role) throw new Error(`unknown test user ${user}`);
  return { user: { id: user, role }, now: NOW, clientId: `client-${user}`, ...overrides };
}

let nextOpId = 1;

/** An operation as the SDK would upload it (CrudEntry.toJSON()), parsed like the API does. */
export function operation(entry: Omit<RawCrudEntry, 'op_id'> & { op_id?: number }): Operation {
  const parsed = policy.parse({ op_id: entry.op_id ?? nextOpId++, ...entry });
  if (!parsed.ok) throw new Error(`test operation did not parse: ${parsed.code} ${parsed.message}`);
  return parsed.operation;
}

/** A working set holding the given rows (and knowing the given ids to be absent). */
export function rowsOf(rows: Array<[TableName, Row]>, absent: Array<[TableName, string]> = []): WorkingSet {
  const set = new WorkingSet();
  for (const [table, row] of rows) set.load(table, row.id, structuredClone(row));
  for (const [table, id] of absent) set.load(table, id, null);
  return set;
}

/** Decides an operation and applies its writes to the set, as the upload engine does. */
export function run(op: Operation, set: WorkingSet, ctx: Context): Decision {
  if (!set.has(op.table, op.id)) set.load(op.table, op.id, null);
  for (const key of policy.related(op, set)) if (!set.has(key.table, key.id)) set.load(key.table, key.id, null);
  const decision = policy.decide(op, set, ctx);
  if (decision.outcome !== 'conflict') set.apply(decision.writes);
  return decision;
}

export const TASK_ID = '10000000-0000-4000-8000-000000000001';
export const DOC_ID = '20000000-0000-4000-8000-000000000001';
export const PATIENT_ID = '30000000-0000-4000-8000-000000000001';
export const PRODUCT_ID = '40000000-0000-4000-8000-000000000001';
export const ORDER_ID = '50000000-0000-4000-8000-000000000001';

export const task = (overrides: Partial<Row> = {}): Row => ({
  id: TASK_ID,
  title: 'Count the stock room',
  description: '',
  status: 'todo',
  priority: 2,
  due_date: null,
  assignee_id: 'alice',
  created_by: 'carol',
  created_at: '2026-11-01T09:00:00.000Z',
  modified_at: '2026-11-01T09:00:00.000Z',
  modified_by: 'carol',
  ...overrides,
});

export const doc = (overrides: Partial<Row> = {}): Row => ({
  id: DOC_ID,
  title: 'Opening checklist',
  body: 'Unlock the doors',
  version: 3,
  created_by: 'carol',
  created_at: '2026-10-01T08:00:00.000Z',
  updated_by: 'alice',
  updated_at: '2026-11-10T08:00:00.000Z',
  ...overrides,
});

export const patient = (overrides: Partial<Row> = {}): Row => ({
  id: PATIENT_ID,
  name: 'Maria Lopez',
  date_of_birth: '1961-04-12',
  diagnosis: 'Type 2 diabetes',
  treatment: 'Metformin',
  heart_rate: 78,
  blood_pressure: '132/85',
  temperature: 36.8,
  notes: '',
  field_versions: {},
  updated_by: 'dan',
  updated_at: '2026-11-01T09:00:00.000Z',
  ...overrides,
});

export const product = (overrides: Partial<Row> = {}): Row => ({
  id: PRODUCT_ID,
  sku: 'MUG-BLUE',
  name: 'Blue mug',
  quantity: 10,
  updated_by: 'carol',
  updated_at: '2026-11-01T08:00:00.000Z',
  ...overrides,
});

export const order = (overrides: Partial<Row> = {}): Row => ({
  id: ORDER_ID,
  customer: 'Northwind Cafe',
  product_id: PRODUCT_ID,
  quantity: 12,
  price_cents: 4800,
  status: 'pending',
  created_by: 'alice',
  created_at: '2026-11-10T10:00:00.000Z',
  updated_by: 'alice',
  updated_at: '2026-11-10T10:00:00.000Z',
  ...overrides,
});
