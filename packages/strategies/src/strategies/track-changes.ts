import { quote, validateRowId, validateValue } from '@cr/schema';
import { RejectionCode } from '../codes.ts';
import { reject } from '../decisions.ts';
import { OUTCOME_TABLES } from '../outcome-tables.ts';
import type { Policy, PolicyTable } from '../policy/policy-types.ts';
import type { StrategyFactory } from '../strategy.ts';
import type { Context, Decision, Operation, Row, Write } from '../types.ts';

const CHANGEABLE = ['new_value', 'status'];

function parseJson(text: unknown): { value: unknown } | null {
  if (typeof text !== 'string') return null;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

/** The table a change targets, if the policy tracks that field there. */
function trackedTarget(policy: Policy, table: unknown, field: unknown): PolicyTable | null {
  if (!policy.schema.has(table)) return null;
  const target = policy.table(table);
  return typeof field === 'string' && target.tracked.includes(field) ? target : null;
}

/**
 * Strategy 6, the upload half — for the `field_changes` table. The client inserts one row per
 * edited field (and shows it as pending); the engine only checks that the change is well-formed
 * (a field the policy tracks, `tracked` on its table) and stores it as `pending`. A retry is an
 * update of a failed change back to `pending`, possibly with a corrected value. The value itself
 * is judged later by the worker ({@link processFieldChange}).
 */
export function trackChanges(): StrategyFactory {
  return (table) => ({
    name: 'change-tracking',
    detects: 'nothing (the worker validates)',
    onConflict: 'fail the change',
    decide(op: Operation, rows, ctx: Context): Decision {
      const row = rows.get(table.name, op.id);
      if (op.op === 'PUT') {
        if (row !== null) return reject(RejectionCode.RowExists, 'This field change was already recorded.');
        return acceptNew(table.policy, table.name, op, ctx);
      }
      if (row === null) {
        return op.op === 'DELETE'
          ? { outcome: 'applied', writes: [] }
          : reject(RejectionCode.RowNotFound, `Field change ${op.id} does not exist.`);
      }
      if (row.user_id !== ctx.user.id) {
        return reject(RejectionCode.NotOwner, 'Only the author of a field change can change it.');
      }
      if (row.status === 'applied') {
        return reject(
          RejectionCode.AlreadyApplied,
          'This field change was already applied; make a new change instead.',
        );
      }
      if (op.op === 'DELETE') {
        return { outcome: 'applied', writes: [{ table: table.name, id: op.id, effect: { kind: 'delete' } }] };
      }
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
      return { outcome: 'applied', writes: [{ table: table.name, id: op.id, effect: { kind: 'update', set } }] };
    },
  });
}

function acceptNew(policy: Policy, changesTable: string, op: Operation, ctx: Context): Decision {
  const { table_name: tableName, field_name: field, row_id: rowId, new_value: newValue, status } = op.data;
  const tracksAny = policy.schema.has(tableName) && policy.table(tableName).tracked.length > 0;
  if (!tracksAny) return reject(RejectionCode.UnknownTable, `Changes to ${quote(tableName)} are not tracked.`);
  const target = trackedTarget(policy, tableName, field);
  if (target === null) {
    return reject(RejectionCode.FieldNotTracked, `${quote(field)} is not a tracked field of ${String(tableName)}.`);
  }
  const id = validateRowId(target.definition, rowId);
  if (!id.ok) return reject(id.code, id.message);
  if (!policy.canWrite(ctx.user.role, target.name)) {
    return reject(RejectionCode.TableNotPermitted, `A ${ctx.user.role} cannot change ${target.label.many}.`);
  }
  if (parseJson(newValue) === null) {
    return reject(RejectionCode.InvalidValue, `new_value must be JSON-encoded; got ${quote(newValue)}.`);
  }
  if (status !== 'pending') return reject(RejectionCode.InvalidValue, 'A new field change must be pending.');
  const row = policy.table(changesTable).newRow(op.id, { ...op.data, row_id: id.value }, ctx, {
    user_id: ctx.user.id,
    status: 'pending',
    attempts: 0,
    created_at: ctx.now,
    updated_at: ctx.now,
  });
  return { outcome: 'applied', writes: [{ table: changesTable, id: op.id, effect: { kind: 'insert', row } }] };
}

export type FieldChangeResult =
  | { status: 'applied'; writes: Write[] }
  | { status: 'failed'; code: string; message: string; writes: Write[] };

/**
 * Strategy 6, the worker half — validates one pending change (a row of `field_changes`) against
 * the current target row and applies it (bumping the target's version, so stale direct edits are
 * detected), or fails it with a code and a sentence the client shows. `ctx.user` is the change's
 * author.
 */
export function processFieldChange(policy: Policy, change: Row, target: Row | null, ctx: Context): FieldChangeResult {
  const changes = OUTCOME_TABLES.fieldChanges;
  const field = String(change.field_name);
  const attempts = (typeof change.attempts === 'number' ? change.attempts : 0) + 1;
  const done = { processed_at: ctx.now, updated_at: ctx.now, attempts };
  const fail = (code: string, message: string): FieldChangeResult => ({
    status: 'failed',
    code,
    message,
    writes: [
      {
        table: changes,
        id: change.id,
        effect: { kind: 'update', set: { status: 'failed', error_code: code, error_message: message, ...done } },
      },
    ],
  });
  const table = trackedTarget(policy, change.table_name, field);
  if (table === null) {
    return fail(
      RejectionCode.FieldNotTracked,
      `${quote(field)} is not a tracked field of ${quote(change.table_name)}.`,
    );
  }
  if (target === null) return fail(RejectionCode.RowNotFound, `The ${table.label.one} no longer exists.`);
  if (!policy.canWrite(ctx.user.role, table.name)) {
    return fail(RejectionCode.TableNotPermitted, `A ${ctx.user.role} cannot change ${table.label.many}.`);
  }
  const parsed = parseJson(change.new_value);
  if (parsed === null) return fail(RejectionCode.InvalidValue, 'The new value is not valid JSON.');
  const valid = validateValue(table.definition, field, parsed.value);
  if (!valid.ok) return fail(valid.code, valid.message);
  const rule = table.checkValues({ [field]: valid.value });
  if (rule) return fail(rule.code, rule.message);
  const token = table.versionToken;
  const set = {
    [field]: valid.value,
    ...table.stamps('update', ctx),
    ...(token ? { [token.column]: token.next(target, ctx) } : {}),
  };
  return {
    status: 'applied',
    writes: [
      { table: table.name, id: target.id, effect: { kind: 'update', set } },
      {
        table: changes,
        id: change.id,
        effect: { kind: 'update', set: { status: 'applied', error_code: null, error_message: null, ...done } },
      },
    ],
  };
}
