import { quote, type Schema, storableText, validateRowId, validateWriteData } from '@cr/schema';
import { RejectionCode } from './codes.ts';
import type { Operation, OpType } from './types.ts';

/** A `CrudEntry.toJSON()` as it arrives: only `op_id` is known to be there (the route checks it). */
export interface RawCrudEntry {
  op_id: number;
  op?: unknown;
  type?: unknown;
  id?: unknown;
  tx_id?: unknown;
  data?: unknown;
  old?: unknown;
  metadata?: unknown;
}

export type ParsedEntry =
  | { ok: true; operation: Operation }
  | {
      ok: false;
      code: string;
      message: string;
      /** What the entry claimed, as text, for the record (never used as an identifier). */
      table: string;
      id: string;
      op: string;
    };

const OP_TYPES: readonly OpType[] = ['PUT', 'PATCH', 'DELETE'];

/** What an entry claimed, as storable text for the record (a NUL or half an emoji becomes U+FFFD). */
function asText(value: unknown): string {
  return typeof value === 'string' ? storableText(value, 200) : value === undefined ? '' : quote(value, 200);
}

/**
 * Turns an uploaded entry into an {@link Operation}: the operation type, table and id are checked
 * against `schema` and every data column is validated. Whatever fails is a recorded rejection,
 * not an error: one malformed entry never blocks the upload queue.
 */
export function parseCrudEntry(schema: Schema, raw: RawCrudEntry): ParsedEntry {
  const claimed = { table: asText(raw.type), id: asText(raw.id), op: asText(raw.op) };
  const fail = (code: string, message: string): ParsedEntry => ({ ok: false, code, message, ...claimed });

  if (typeof raw.op !== 'string' || !OP_TYPES.includes(raw.op as OpType)) {
    return fail(RejectionCode.UnknownOperation, `Unknown operation ${quote(raw.op)}; expected PUT, PATCH or DELETE.`);
  }
  const op = raw.op as OpType;
  if (!schema.has(raw.type)) {
    return fail(RejectionCode.UnknownTable, `There is no table named ${quote(raw.type)}.`);
  }
  const table = schema.table(raw.type);
  const id = validateRowId(table, raw.id);
  if (!id.ok) return fail(id.code, id.message);

  let data: Record<string, unknown> = {};
  let ignored: string[] = [];
  if (op !== 'DELETE') {
    const result = validateWriteData(table, raw.data, op === 'PUT' ? 'insert' : 'update');
    if (!result.ok) return fail(result.code, result.message);
    data = result.values;
    ignored = result.ignored;
  }

  let previous: Record<string, unknown> | null = null;
  if (raw.old !== undefined && raw.old !== null) {
    if (typeof raw.old !== 'object' || Array.isArray(raw.old)) {
      return fail(RejectionCode.InvalidPrevious, 'The previous values (old) of an operation must be an object.');
    }
    previous = raw.old as Record<string, unknown>;
  }

  let metadata: Record<string, unknown> | null = null;
  if (raw.metadata !== undefined && raw.metadata !== null) {
    let parsed: unknown = raw.metadata;
    if (typeof raw.metadata === 'string') {
      try {
        parsed = JSON.parse(raw.metadata);
      } catch {
        return fail(RejectionCode.InvalidMetadata, 'The metadata of an operation must be a JSON object.');
      }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return fail(RejectionCode.InvalidMetadata, 'The metadata of an operation must be a JSON object.');
    }
    metadata = parsed as Record<string, unknown>;
  }

  return {
    ok: true,
    operation: { opId: raw.op_id, op, table: raw.type, id: id.value as string, data, previous, metadata, ignored },
  };
}
