import { JSONBig } from '@powersync/service-jsonbig';
import {
  type DatabaseInputRow,
  type HydratedSyncConfig,
  isEvaluatedParameters,
  isEvaluatedRow,
  toSyncRulesRow,
} from '@powersync/service-sync-rules';
import type { Logger } from '../log.ts';
import { decodePgValue } from '../pg/pg-types.ts';
import type { SourceTable } from '../pg/source-tables.ts';
import { SubkeyMaker } from './replica-id.ts';

/** A source row's values as Postgres wrote them (text), by column name. */
export type RowText = Record<string, string | null>;

/** One (bucket, output table, row id) a source row lands in, with the row as a JSON string. */
export interface BucketRow {
  bucket: string;
  table: string;
  id: string;
  data: string;
}

export interface RowEvaluation {
  rows: BucketRow[];
  /** The subkey of the row's ops (replica-id.ts). */
  subkey: string;
  /** Parameter lookups the row provides: serialized lookup → JSONBig of its bucket parameters. */
  lookups: Record<string, string>;
}

/** Runs a source row through the sync rules: data queries into buckets, parameter queries into lookups. */
export class RowEvaluator {
  private readonly reported = new Set<string>();
  private readonly subkeys: SubkeyMaker;

  constructor(
    private readonly rules: HydratedSyncConfig,
    private readonly logger: Logger,
    /** Names the deploy (its replication slot); subkeys carry a table uuid derived from it. */
    deploy: string,
  ) {
    this.subkeys = new SubkeyMaker(rules, deploy);
  }

  /** The subkey of every op of a source row (`key` as `sourceKey` builds it), as the official service has it. */
  subkey(table: SourceTable, key: string): string {
    return this.subkeys.subkey(table, key);
  }

  evaluate(table: SourceTable, text: RowText): RowEvaluation {
    const input: DatabaseInputRow = {};
    for (const column of table.columns) input[column.name] = decodePgValue(text[column.name] ?? null, column.typeOid);
    const record = this.rules.applyRowContext<never>(toSyncRulesRow(input));

    const rows = new Map<string, BucketRow>();
    if (table.syncsData) {
      const { results, errors } = this.rules.evaluateRowWithErrors({ sourceTable: table.ref, record });
      for (const error of errors) this.report(table, error.error);
      for (const result of results) {
        if (!isEvaluatedRow(result)) continue;
        const row = { bucket: result.bucket, table: result.table, id: result.id, data: JSONBig.stringify(result.data) };
        rows.set(`${row.bucket}\u0000${row.table}\u0000${row.id}`, row);
      }
    }

    const lookups: Record<string, string> = {};
    if (table.syncsParameters) {
      const gathered = new Map<string, unknown[]>();
      const { results, errors } = this.rules.evaluateParameterRowWithErrors(table.ref, record);
      for (const error of errors) this.report(table, error.error);
      for (const result of results) {
        if (!isEvaluatedParameters(result)) continue;
        const key = result.lookup.serializedRepresentation;
        gathered.set(key, [...(gathered.get(key) ?? []), ...result.bucketParameters]);
      }
      for (const [key, parameters] of gathered) lookups[key] = JSONBig.stringify(parameters);
    }
    return { rows: [...rows.values()], lookups, subkey: this.subkeys.fromRecord(table, record) };
  }

  private report(table: SourceTable, message: string): void {
    const key = `${table.id}: ${message}`;
    if (this.reported.has(key)) return;
    if (this.reported.size < 1000) this.reported.add(key);
    this.logger.warn(`sync rules could not evaluate a row of ${key}`);
  }
}
