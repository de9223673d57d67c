import { createHash } from 'node:crypto';
import type { HydratedSyncConfig, SqliteValue } from '@powersync/service-sync-rules';
import { toSyncRulesRow } from '@powersync/service-sync-rules';
import { serialize } from 'bson';
import { decodePgValue } from '../pg/pg-types.ts';
import type { SourceTable } from '../pg/source-tables.ts';
import { sourceKeyValues } from '../pg/source-tables.ts';

/**
 * Source row identities as the official PowerSync service computes them (v1.25, Postgres source,
 * Postgres bucket storage), so a client can move between the two services without keeping rows
 * that were deleted (the client supersedes an op only on an identical `type/id/subkey`):
 * - replica id = uuidv5(BSON document {key column: value, …}) in replica identity order, the values
 *   decoded exactly as sync rules see them (integers → int64, text/uuid → string, bool → int64 1/0,
 *   floats → int32 or double by the js-bson rule, bytea → binary, timestamps → edition's text);
 * - subkey = `<table uuid>/<replica id>`, the same on the PUT and the REMOVE of a source row;
 * - REMOVE checksum = sha256("delete." + subkey) (see protocol/checksum.ts).
 * The official table uuid is a random v4 stored per (deploy, table); ours is uuidv5 of the deploy's
 * name and the table, which has the same format and changes with every deploy as theirs does.
 */

/** `ID_NAMESPACE` of the official service. */
const ID_NAMESPACE = Buffer.from('a396dd9109fc4017a28d3df722f651e9', 'hex');

/** RFC 4122 version 5 (SHA-1, name-based) UUID, lowercase with dashes. */
export function uuidV5(name: Uint8Array | string, namespace: Uint8Array = ID_NAMESPACE): string {
  const bytes = createHash('sha1').update(namespace).update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The replica id of a source row from its decoded key values, in replica identity order. */
export function replicaId(keyValues: ReadonlyArray<readonly [column: string, value: SqliteValue]>): string {
  const document: Record<string, SqliteValue> = {};
  for (const [column, value] of keyValues) document[column] = value;
  return uuidV5(serialize(document));
}

/** Computes subkeys for one deploy: table uuids are cached, key values decoded like whole rows. */
export class SubkeyMaker {
  private readonly tableUuids = new Map<string, string>();

  constructor(
    private readonly rules: HydratedSyncConfig,
    /** Names the deploy (e.g. its replication slot): a new deploy gives every table a new uuid. */
    private readonly deploy: string,
  ) {}

  tableUuid(table: SourceTable): string {
    let id = this.tableUuids.get(table.id);
    if (id === undefined) {
      id = uuidV5(`${this.deploy}\u0000${table.id}`);
      this.tableUuids.set(table.id, id);
    }
    return id;
  }

  /** `key` is the row's storage key (see `sourceKey`): the replica identity values as text. */
  subkey(table: SourceTable, key: string): string {
    const texts = sourceKeyValues(key);
    const input: Record<string, ReturnType<typeof decodePgValue>> = {};
    table.keyIndexes.forEach((index, position) => {
      const column = table.columns[index];
      if (column) input[column.name] = decodePgValue(texts[position] ?? null, column.typeOid);
    });
    return this.fromRecord(table, this.rules.applyRowContext<never>(toSyncRulesRow(input)));
  }

  /** The same from a whole row as sync rules evaluate it (saves decoding the key again on a PUT). */
  fromRecord(table: SourceTable, record: Readonly<Record<string, SqliteValue>>): string {
    const values: [string, SqliteValue][] = [];
    for (const index of table.keyIndexes) {
      const column = table.columns[index];
      if (column) values.push([column.name, record[column.name] ?? null]);
    }
    return `${this.tableUuid(table)}/${replicaId(values)}`;
  }
}
