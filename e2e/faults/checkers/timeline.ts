import type { TableName } from '@cr/demo-domain';
import type { RowHistory } from '../observer.ts';
import { type Reader, rowDigest, rowKey, visibleTo } from '../rows.ts';
import type { Cuts } from './cuts.ts';

/** What a reader holds of a row at some cut: the digest of its values, or ABSENT. */
export const ABSENT = 'absent';

export interface Segment {
  from: number;
  to: number;
  digest: string;
}

/** The row as `reader` would hold it, cut by cut: absent before it exists, while invisible, after deletion. */
export function timeline(history: RowHistory, reader: Reader): Segment[] {
  const segments: Segment[] = [];
  let from = 0;
  let digest = ABSENT;
  for (const version of history.versions) {
    const next =
      version.values === null || !visibleTo(reader, history.table, version.values)
        ? ABSENT
        : rowDigest(history.table, version.values);
    if (next === digest) continue;
    if (version.seq > from) segments.push({ from, to: version.seq, digest });
    from = version.seq;
    digest = next;
  }
  segments.push({ from, to: Number.POSITIVE_INFINITY, digest });
  return segments;
}

/** The cuts at which the row looks like `digest` to the reader. */
export function cutsShowing(segments: readonly Segment[], digest: string): Cuts {
  const cuts: [number, number][] = [];
  for (const segment of segments) {
    if (segment.digest !== digest) continue;
    const previous = cuts[cuts.length - 1];
    if (previous && previous[1] === segment.from) previous[1] = segment.to;
    else cuts.push([segment.from, segment.to]);
  }
  return cuts;
}

/** Every row a reader holds at cut `seq`, for the tables given. */
export function stateAt(
  histories: Iterable<RowHistory>,
  reader: Reader,
  seq: number,
  tables: readonly TableName[],
): Map<string, string> {
  const state = new Map<string, string>();
  for (const history of histories) {
    if (!tables.includes(history.table)) continue;
    const segment = timeline(history, reader).find((s) => s.from <= seq && seq < s.to);
    if (segment && segment.digest !== ABSENT) state.set(rowKey(history.table, history.id), segment.digest);
  }
  return state;
}
