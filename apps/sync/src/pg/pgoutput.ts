/**
 * A decoder for the `pgoutput` logical replication format, protocol version 1
 * (https://www.postgresql.org/docs/current/protocol-logicalrep-message-formats.html).
 *
 * Values are kept as Postgres wrote them (text), positionally, so that the replicator decodes
 * replicated rows exactly like snapshot rows. An unchanged TOASTed value is {@link UNCHANGED_TOAST}.
 */

export const UNCHANGED_TOAST: unique symbol = Symbol('unchanged-toast');
export type TupleValue = string | null | typeof UNCHANGED_TOAST;
export type Tuple = TupleValue[];

export interface RelationColumn {
  name: string;
  typeOid: number;
  /** Part of the replica identity (primary key, replica index, or every column for FULL). */
  isKey: boolean;
}

export interface Relation {
  id: number;
  schema: string;
  name: string;
  replicaIdentity: 'default' | 'nothing' | 'full' | 'index';
  columns: RelationColumn[];
}

export type PgoutputMessage =
  | { tag: 'begin'; finalLsn: bigint; xid: number }
  | {
      tag: 'commit';
      commitLsn: bigint;
      endLsn: bigint /** Commit time on the server, ms since the epoch. */;
      commitTime: number;
    }
  | { tag: 'relation'; relation: Relation }
  | { tag: 'insert'; relationId: number; tuple: Tuple }
  /** `old` is the old key (`K`, when the key changed) or the whole old row (`O`, REPLICA IDENTITY FULL). */
  | { tag: 'update'; relationId: number; old: Tuple | null; tuple: Tuple }
  | { tag: 'delete'; relationId: number; old: Tuple }
  | { tag: 'truncate'; relationIds: number[] }
  | { tag: 'message'; lsn: bigint; transactional: boolean; prefix: string; content: Buffer }
  | { tag: 'other'; kind: string };

const IDENTITY: Record<string, Relation['replicaIdentity']> = { d: 'default', n: 'nothing', f: 'full', i: 'index' };

class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  byte(): number {
    const value = this.buffer.readUInt8(this.offset);
    this.offset += 1;
    return value;
  }
  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  uint32(): number {
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  uint64(): bigint {
    const value = this.buffer.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }
  string(): string {
    const end = this.buffer.indexOf(0, this.offset);
    if (end < 0) throw new Error('pgoutput: unterminated string');
    const value = this.buffer.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }
  bytes(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw new Error('pgoutput: message too short');
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  char(): string {
    return String.fromCharCode(this.byte());
  }

  tuple(): Tuple {
    const count = this.int16();
    const values: Tuple = new Array(count);
    for (let i = 0; i < count; i++) {
      const kind = this.char();
      if (kind === 'n') values[i] = null;
      else if (kind === 'u') values[i] = UNCHANGED_TOAST;
      else if (kind === 't') values[i] = this.bytes(this.uint32()).toString('utf8');
      else if (kind === 'b') throw new Error('pgoutput: binary tuple values are not requested and not supported');
      else throw new Error(`pgoutput: unknown tuple value kind "${kind}"`);
    }
    return values;
  }
}

const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

export function decodePgoutput(buffer: Buffer): PgoutputMessage {
  const reader = new Reader(buffer);
  const tag = reader.char();
  switch (tag) {
    case 'B': {
      const finalLsn = reader.uint64();
      reader.uint64(); // commit timestamp
      return { tag: 'begin', finalLsn, xid: reader.int32() };
    }
    case 'C': {
      reader.byte(); // flags, unused
      const commitLsn = reader.uint64();
      const endLsn = reader.uint64();
      // Microseconds since 2000-01-01 (the Postgres epoch).
      return { tag: 'commit', commitLsn, endLsn, commitTime: Number(reader.uint64() / 1000n) + POSTGRES_EPOCH_MS };
    }
    case 'R': {
      const id = reader.uint32();
      const schema = reader.string() || 'pg_catalog';
      const name = reader.string();
      const replicaIdentity = IDENTITY[reader.char()] ?? 'default';
      const count = reader.int16();
      const columns: RelationColumn[] = [];
      for (let i = 0; i < count; i++) {
        const flags = reader.byte();
        const columnName = reader.string();
        const typeOid = reader.uint32();
        reader.int32(); // type modifier
        columns.push({ name: columnName, typeOid, isKey: (flags & 1) === 1 });
      }
      return { tag: 'relation', relation: { id, schema, name, replicaIdentity, columns } };
    }
    case 'I': {
      const relationId = reader.uint32();
      reader.char(); // 'N'
      return { tag: 'insert', relationId, tuple: reader.tuple() };
    }
    case 'U': {
      const relationId = reader.uint32();
      let kind = reader.char();
      let old: Tuple | null = null;
      if (kind === 'K' || kind === 'O') {
        old = reader.tuple();
        kind = reader.char();
      }
      if (kind !== 'N') throw new Error(`pgoutput: unexpected update part "${kind}"`);
      return { tag: 'update', relationId, old, tuple: reader.tuple() };
    }
    case 'D': {
      const relationId = reader.uint32();
      reader.char(); // 'K' or 'O'
      return { tag: 'delete', relationId, old: reader.tuple() };
    }
    case 'T': {
      const count = reader.int32();
      reader.byte(); // options: cascade, restart identity
      const relationIds: number[] = [];
      for (let i = 0; i < count; i++) relationIds.push(reader.uint32());
      return { tag: 'truncate', relationIds };
    }
    case 'M': {
      const flags = reader.byte();
      const lsn = reader.uint64();
      const prefix = reader.string();
      const content = reader.bytes(reader.uint32());
      return { tag: 'message', lsn, transactional: (flags & 1) === 1, prefix, content };
    }
    default:
      return { tag: 'other', kind: tag }; // Origin ('O'), Type ('Y')
  }
}
