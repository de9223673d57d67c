import { type ColumnSpec, USER_ID_PATTERN } from './columns.ts';
import { jsonProblem, renderValue, textProblem } from './storable.ts';
import { columnSpec, type TableDefinition } from './table.ts';
import { normalizeDate, normalizeTimestamp } from './timestamps.ts';

/** Why a value or a row was refused. Stable codes: clients and tests match on them. */
export const ValidationCode = {
  UnknownColumn: 'UNKNOWN_COLUMN',
  InvalidValue: 'INVALID_VALUE',
  NotNull: 'NOT_NULL',
  MissingColumn: 'MISSING_COLUMN',
  InvalidId: 'INVALID_ID',
  InvalidData: 'INVALID_DATA',
} as const;
export type ValidationCode = (typeof ValidationCode)[keyof typeof ValidationCode];

export type Invalid = { ok: false; code: ValidationCode; message: string; column?: string };
export type ValueResult = { ok: true; value: unknown } | Invalid;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Quotes an untrusted value for a message: JSON-escaped, cut short, bounded work (see renderValue). */
export function quote(value: unknown, max = 60): string {
  return renderValue(value, max);
}

const SURROGATE = /[\ud800-\udfff]/;

/** Characters (code points), not UTF-16 units: an emoji is one. Linear, without an iterator per character. */
function codePointLength(text: string): number {
  if (!SURROGATE.test(text)) return text.length; // the usual text: one unit per character
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

function invalid(table: TableDefinition, column: string, spec: ColumnSpec, value: unknown, why?: string): Invalid {
  const expected = spec.describe ?? describeSpec(spec);
  return {
    ok: false,
    code: ValidationCode.InvalidValue,
    column,
    message: `${table.name}.${column} must be ${expected}${why ? ` (${why})` : ''}; got ${quote(value)}.`,
  };
}

/** What a column's values must be, in words ("a priority from 1 (highest) to 5"), for messages and forms. */
export function expectedValue(table: TableDefinition, column: string): string | null {
  const spec = columnSpec(table, column);
  return spec ? (spec.describe ?? describeSpec(spec)) : null;
}

function describeSpec(spec: ColumnSpec): string {
  switch (spec.kind) {
    case 'text':
      if (spec.min !== undefined && spec.max !== undefined) return `text of ${spec.min} to ${spec.max} characters`;
      if (spec.max !== undefined) return `text of at most ${spec.max} characters`;
      return 'text';
    case 'integer':
      return spec.min !== undefined && spec.min > -2_147_483_648
        ? `a whole number${spec.max !== undefined && spec.max < 2_147_483_647 ? ` from ${spec.min} to ${spec.max}` : ` of at least ${spec.min}`}`
        : 'a whole number';
    case 'real':
      return spec.min !== undefined && spec.max !== undefined ? `a number from ${spec.min} to ${spec.max}` : 'a number';
    case 'timestamp':
      return 'an ISO 8601 timestamp with a time zone, like 2026-11-22T10:00:00.000Z';
    case 'date':
      return 'a date like 2026-11-22';
    case 'uuid':
      return 'a UUID';
    case 'json':
      return 'a JSON object or array';
    case 'enum':
      return `one of ${(spec.values ?? []).join(', ')}`;
  }
}

/** Checks one value against its column and returns it in canonical form. */
export function validateValue(table: TableDefinition, column: string, value: unknown): ValueResult {
  const spec = columnSpec(table, column);
  if (!spec) {
    return {
      ok: false,
      code: ValidationCode.UnknownColumn,
      column,
      message: `${table.name} has no column ${quote(column)}.`,
    };
  }
  if (value === null || value === undefined) {
    return spec.nullable
      ? { ok: true, value: null }
      : { ok: false, code: ValidationCode.NotNull, column, message: `${table.name}.${column} cannot be empty (null).` };
  }
  switch (spec.kind) {
    case 'text':
    case 'enum': {
      if (typeof value !== 'string') return invalid(table, column, spec, value, `a ${typeof value} is not text`);
      const problem = textProblem(value);
      if (problem) return invalid(table, column, spec, value, problem);
      if (spec.notBlank && value.trim() === '') return invalid(table, column, spec, value, 'it is blank');
      if (spec.values && !spec.values.includes(value)) return invalid(table, column, spec, value);
      const length = codePointLength(value);
      if (spec.min !== undefined && length < spec.min)
        return invalid(table, column, spec, value, `${length} characters`);
      if (spec.max !== undefined && length > spec.max)
        return invalid(table, column, spec, value, `${length} characters`);
      if (spec.pattern && !spec.pattern.test(value)) return invalid(table, column, spec, value);
      return { ok: true, value };
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return invalid(table, column, spec, value);
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        return invalid(table, column, spec, value);
      }
      return { ok: true, value };
    }
    case 'real': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return invalid(table, column, spec, value);
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        return invalid(table, column, spec, value);
      }
      return { ok: true, value };
    }
    case 'timestamp': {
      const normalized = typeof value === 'string' ? normalizeTimestamp(value) : null;
      return normalized === null ? invalid(table, column, spec, value) : { ok: true, value: normalized };
    }
    case 'date': {
      const normalized = typeof value === 'string' ? normalizeDate(value) : null;
      return normalized === null ? invalid(table, column, spec, value) : { ok: true, value: normalized };
    }
    case 'uuid':
      return typeof value === 'string' && UUID.test(value)
        ? { ok: true, value: value.toLowerCase() }
        : invalid(table, column, spec, value);
    case 'json': {
      let parsed: unknown = value;
      if (typeof value === 'string') {
        try {
          parsed = JSON.parse(value);
        } catch {
          return invalid(table, column, spec, value, 'not valid JSON');
        }
      }
      if (typeof parsed !== 'object' || parsed === null) return invalid(table, column, spec, value);
      const problem = jsonProblem(parsed);
      return problem ? invalid(table, column, spec, parsed, problem) : { ok: true, value: parsed };
    }
  }
}

/** Checks a row id: a UUID for domain tables, a user id for users. Returns it canonical. */
export function validateRowId(table: TableDefinition, id: unknown): ValueResult {
  if (typeof id !== 'string' || id.length === 0) {
    return { ok: false, code: ValidationCode.InvalidId, message: `An operation on ${table.name} needs a row id.` };
  }
  const ok = table.id === 'uuid' ? UUID.test(id) : USER_ID_PATTERN.test(id);
  if (!ok) {
    return {
      ok: false,
      code: ValidationCode.InvalidId,
      message: `${quote(id)} is not a valid ${table.id === 'uuid' ? 'UUID' : 'user id'} for ${table.name}.`,
    };
  }
  return { ok: true, value: table.id === 'uuid' ? id.toLowerCase() : id };
}

export type WriteDataResult =
  | {
      ok: true;
      /** Client-owned columns, validated and canonical. */
      values: Record<string, unknown>;
      /** Server-owned columns the client sent; their values are not used. */
      ignored: string[];
    }
  | Invalid;

/**
 * Validates the `data` of a PUT (mode `insert`: every required column must be there) or a PATCH
 * (mode `update`: only the columns sent). Unknown columns are refused, never passed on.
 */
export function validateWriteData(table: TableDefinition, data: unknown, mode: 'insert' | 'update'): WriteDataResult {
  if (data === undefined || data === null) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      code: ValidationCode.InvalidData,
      message: `The data of a ${table.name} write must be an object.`,
    };
  }
  const values: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [column, value] of Object.entries(data as Record<string, unknown>)) {
    if (column === 'id') continue;
    const spec = columnSpec(table, column);
    if (spec?.origin === 'server') {
      ignored.push(column);
      continue;
    }
    if (mode === 'update' && spec?.cumulative) {
      // The local result of a delta, possibly from a stale base: only its form is checked here.
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        return {
          ok: false,
          code: ValidationCode.InvalidValue,
          column,
          message: `${table.name}.${column} must be a whole number (the result of a change); got ${quote(value)}.`,
        };
      }
      values[column] = value;
      continue;
    }
    const result = validateValue(table, column, value);
    if (!result.ok) return result;
    values[column] = result.value;
  }
  if (mode === 'insert') {
    for (const [column, builder] of Object.entries(table.columns)) {
      const spec = builder.spec;
      if (spec.origin === 'server' || column in values) continue;
      if (spec.default !== undefined) values[column] = structuredClone(spec.default);
      else if (spec.nullable) values[column] = null;
      else {
        return {
          ok: false,
          code: ValidationCode.MissingColumn,
          column,
          message: `A new ${table.name} row needs ${column}.`,
        };
      }
    }
  }
  return { ok: true, values, ignored };
}
