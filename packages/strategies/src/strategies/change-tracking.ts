import { getTable, isTableName, quote, type TableName, validateRowId, validateValue } from '@cr/schema';
import { RejectionCode } from '../codes.ts';
import { reject, type Strategy } from '../compose.ts';
import { canWriteTable } from '../permissions.ts';
import { auditStamps, newRow } from '../rows.ts';
import { checkTaskValues } from '../rules/task-rules.ts';
import type { Context, Decision, Operation, Row, RowSource, Write } from '../types.ts';
import { VERSION_TOKENS } from '../versioning.ts';

/** Which fields of which tables can be edited through tracked field changes. */
export const TRACKED_FIELDS: Partial<Record<TableName, readonly string[]>> = {
  tasks: ['title', 'description', 'status', 'priority', 'due_date', 'assignee_id'],
};

const CHANGEABLE = ['new_value', 'status'];

function parseJson(text: unknown): { value: unknown } | null {
  if (typeof text !== 'string') return null;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

/**
 * Strategy 6, the upload half — the client inserts one field_changes row per edited field (and
 * shows it as pending); the API only checks that the change is well-formed and stores it as
 * `pending`. A retry is an update of a failed change back to `pending`, possibly with a corrected
 * value. The value itself is judged later by the worker ({@link processFieldChange}).
 */
export const changeTracking: Strategy = {
  name: 'change-tracking',
  decide(op: Operation, rows: RowSource, ctx: Context): Decision {
    const row = rows.get('field_changes', op.id);
    if (op.op === 'PUT') {
      if (row !== null) return reject(RejectionCode.RowExists, 'This field change was already recorded.');
      return acceptNew(op, ctx);
    }
    if (row === null) {
      return op.op === 'DELETE'
        ? { outcome: 'applied', writes: [] }
        : reject(RejectionCode.RowNotFound, `Field change ${op.id} does not exist.`);
    }
    if (row.user_id !== ctx.user.id)
      return reject(RejectionCode.NotOwner, 'Only the author of a field change can change it.');
    if (row.status === 'applied') {
      return reject(RejectionCode.AlreadyApplied, 'This field change was already applied; make a new change instead.');
    }
    if (op.op === 'DELETE')
      return { outcome: 'applied', writes: [{ table: 'field_changes', id: op.id, effect: { kind: 'delete' } }] };
    const fixed = Object.keys(op.data).filter(
      (column) => !CHANGEABLE.includes(column) && op.data[column] !== row[column],
    );
    if (fixed.length > 0) {
      return reject(
        RejectionCode.InvalidValue,
        `Only new_value and status of a field change can change, not ${fixed.join(', ')}.`,
      );
    }
    if (op.data.status !== undefined && op.data.status !== 'pending') {
      return reject(RejectionCode.InvalidValue, 'A field change can only be set back to pending (retry).');
    }
    if ('new_value' in op.data && parseJson(op.data.new_value) === null) {
      return reject(RejectionCode.InvalidValue, `new_value must be JSON-encoded; got ${quote(op.data.new_value)}.`);
    }
    const set = { ...op.data, status: 'pending', error_code: null, error_message: null, updated_at: ctx.now };
    return { outcome: 'applied', writes: [{ table: 'field_changes', id: op.id, effect: { kind: 'update', set } }] };
  },
};

function acceptNew(op: Operation, ctx: Context): Decision {
  const { table_name: table, field_name: field, row_id: rowId, new_value: newValue, status } = op.data;
  if (!isTableName(table) || TRACKED_FIELDS[table] === undefined) {
    return reject(RejectionCode.UnknownTable, `Changes to ${quote(table)} are not tracked.`);
  }
  if (typeof field !== 'string' || !TRACKED_FIELDS[table]?.includes(field)) {
    return reject(RejectionCode.FieldNotTracked, `${quote(field)} is not a tracked field of ${table}.`);
  }
  const id = validateRowId(getTable(table), rowId);
  if (!id.ok) return reject(id.code, id.message);
  if (!canWriteTable(ctx.user.role, table)) {
    return reject(RejectionCode.TableNotPermitted, `A ${ctx.user.role} cannot change ${table}.`);
  }
  if (parseJson(newValue) === null) {
    return reject(RejectionCode.InvalidValue, `new_value must be JSON-encoded; got ${quote(newValue)}.`);
  }
  if (status !== 'pending') return reject(RejectionCode.InvalidValue, 'A new field change must be pending.');
  const row = newRow('field_changes', op.id, { ...op.data, row_id: id.value }, ctx, {
    user_id: ctx.user.id,
    status: 'pending',
    attempts: 0,
    created_at: ctx.now,
    updated_at: ctx.now,
  });
  return { outcome: 'applied', writes: [{ table: 'field_changes', id: op.id, effect: { kind: 'insert', row } }] };
}

export type FieldChangeResult =
  | { status: 'applied'; writes: Write[] }
  | { status: 'failed'; code: RejectionCode; message: string; writes: Write[] };

/**
 * Strategy 6, the worker half — validates one pending change against the current target row and
 * applies it (bumping the target's version, so stale direct edits are detected), or fails it with
 * a code and a sentence the field-change panel shows. `ctx.user` is the change's author.
 */
export function processFieldChange(change: Row, target: Row | null, ctx: Context): FieldChangeResult {
  const table = change.table_name;
  const field = String(change.field_name);
  const attempts = (typeof change.attempts === 'number' ? change.attempts : 0) + 1;
  const done = { processed_at: ctx.now, updated_at: ctx.now, attempts };
  const fail = (code: RejectionCode, message: string): FieldChangeResult => ({
    status: 'failed',
    code,
    message,
    writes: [
      {
        table: 'field_changes',
        id: change.id,
        effect: { kind: 'update', set: { status: 'failed', error_code: code, error_message: message, ...done } },
      },
    ],
  });
  if (!isTableName(table) || !TRACKED_FIELDS[table]?.includes(field)) {
    return fail(RejectionCode.FieldNotTracked, `${quote(field)} is not a tracked field of ${quote(table)}.`);
  }
  if (target === null) return fail(RejectionCode.RowNotFound, `The ${table.replace(/s$/, '')} no longer exists.`);
  if (!canWriteTable(ctx.user.role, table)) {
    return fail(RejectionCode.TableNotPermitted, `A ${ctx.user.role} cannot change ${table}.`);
  }
  const parsed = parseJson(change.new_value);
  if (parsed === null) return fail(RejectionCode.InvalidValue, 'The new value is not valid JSON.');
  const valid = validateValue(getTable(table), field, parsed.value);
  if (!valid.ok) return fail(valid.code, valid.message);
  const rule = table === 'tasks' ? checkTaskValues({ [field]: valid.value }) : null;
  if (rule) return fail(rule.code, rule.message);
  const token = VERSION_TOKENS[table];
  const set = {
    [field]: valid.value,
    ...auditStamps(table, 'update', ctx),
    ...(token ? { [token.column]: token.next(target, ctx) } : {}),
  };
  return {
    status: 'applied',
    writes: [
      { table, id: target.id, effect: { kind: 'update', set } },
      {
        table: 'field_changes',
        id: change.id,
        effect: { kind: 'update', set: { status: 'applied', error_code: null, error_message: null, ...done } },
      },
    ],
  };
}
