import type { StoredOp } from './lines.ts';

/**
 * Data lines written straight as BSON, the hot path of a BSON stream (other lines go through
 * npm `bson`, see sync/line-sink.ts). The bytes are what js-bson 6 `serialize` writes for the same
 * object (tested against it): strings 0x02, numbers int32 0x10 when they fit and double 0x01
 * otherwise, booleans 0x08, documents 0x03, arrays 0x04 keyed "0", "1", ….
 */

class BsonWriter {
  private readonly parts: Buffer[] = [];
  private length = 0;

  private push(part: Buffer): void {
    this.parts.push(part);
    this.length += part.length;
  }

  private key(type: number, name: string): void {
    const head = Buffer.allocUnsafe(Buffer.byteLength(name) + 2);
    head[0] = type;
    head.write(name, 1);
    head[head.length - 1] = 0;
    this.push(head);
  }

  string(name: string, value: string): void {
    this.key(0x02, name);
    const size = Buffer.byteLength(value);
    const body = Buffer.allocUnsafe(size + 5);
    body.writeInt32LE(size + 1, 0);
    body.write(value, 4);
    body[size + 4] = 0;
    this.push(body);
  }

  number(name: string, value: number): void {
    const int32 = Number.isInteger(value) && value >= -0x8000_0000 && value <= 0x7fff_ffff && !Object.is(value, -0);
    this.key(int32 ? 0x10 : 0x01, name);
    const body = Buffer.allocUnsafe(int32 ? 4 : 8);
    if (int32) body.writeInt32LE(value, 0);
    else body.writeDoubleLE(value, 0);
    this.push(body);
  }

  boolean(name: string, value: boolean): void {
    this.key(0x08, name);
    this.push(Buffer.from([value ? 1 : 0]));
  }

  /** An embedded document (0x03) or array (0x04) already encoded. */
  embedded(name: string, document: Buffer, array = false): void {
    this.key(array ? 0x04 : 0x03, name);
    this.push(document);
  }

  /** The document: int32 total length, the elements, a terminating 0. */
  finish(): Buffer {
    const size = Buffer.allocUnsafe(4);
    size.writeInt32LE(this.length + 5, 0);
    return Buffer.concat([size, ...this.parts, Buffer.from([0])], this.length + 5);
  }
}

/** One op as a BSON document; op data is always the row's JSON text (the client's core requires it). */
export function encodeOpBson(op: StoredOp): Buffer {
  const fields: [string, string][] = [
    ['op_id', String(op.opId)],
    ['op', op.op],
  ];
  if (op.objectType !== null) fields.push(['object_type', op.objectType]);
  if (op.objectId !== null) fields.push(['object_id', op.objectId]);
  if (op.subkey !== null) fields.push(['subkey', op.subkey]);
  if (op.data !== null) fields.push(['data', op.data]);
  const checksum = op.checksum >>> 0;
  const int32 = checksum <= 0x7fff_ffff;
  // One exact allocation (not from the shared pool: cached ops would pin its 8 KiB slabs).
  let size = 4 + 1 + 1 + 9 + (int32 ? 4 : 8);
  const lengths = fields.map(([name, value]) => {
    const length = Buffer.byteLength(value);
    size += 1 + name.length + 1 + 4 + length + 1;
    return length;
  });
  const out = Buffer.alloc(size);
  let at = out.writeInt32LE(size, 0);
  fields.forEach(([name, value], index) => {
    out[at++] = 0x02;
    at += out.write(name, at, 'latin1');
    out[at++] = 0;
    at = out.writeInt32LE((lengths[index] as number) + 1, at);
    at += out.write(value, at, 'utf8');
    out[at++] = 0;
  });
  out[at++] = int32 ? 0x10 : 0x01;
  at += out.write('checksum', at, 'latin1');
  out[at++] = 0;
  at = int32 ? out.writeInt32LE(checksum, at) : out.writeDoubleLE(checksum, at);
  out[at] = 0;
  return out;
}

/** `{data: {bucket, data: [ops], has_more, after, next_after}}` from ops encoded with {@link encodeOpBson}. */
export function bsonDataLine(
  bucket: string,
  ops: readonly Buffer[],
  after: number,
  nextAfter: number,
  hasMore: boolean,
) {
  const array = new BsonWriter();
  ops.forEach((op, index) => {
    array.embedded(String(index), op);
  });
  const data = new BsonWriter();
  data.string('bucket', bucket);
  data.embedded('data', array.finish(), true);
  data.boolean('has_more', hasMore);
  data.string('after', String(after));
  data.string('next_after', String(nextAfter));
  const line = new BsonWriter();
  line.embedded('data', data.finish());
  return line.finish();
}
