/**
 * Sets of positions ("cuts") in the database's commit order, as sorted, disjoint half-open
 * intervals [from, to). Cut X means: every transaction with seq ≤ X committed, none after.
 */
export type Cuts = readonly (readonly [number, number])[];

export const EVERY_CUT: Cuts = [[0, Number.POSITIVE_INFINITY]];

export function intersect(a: Cuts, b: Cuts): Cuts {
  const result: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [a0, a1] = a[i] as readonly [number, number];
    const [b0, b1] = b[j] as readonly [number, number];
    const from = Math.max(a0, b0);
    const to = Math.min(a1, b1);
    if (from < to) result.push([from, to]);
    if (a1 < b1) i += 1;
    else j += 1;
  }
  return result;
}

/** The cuts of `set` at or after `from`. */
export function atLeast(set: Cuts, from: number): Cuts {
  return intersect(set, [[from, Number.POSITIVE_INFINITY]]);
}

export function first(set: Cuts): number | null {
  return set[0]?.[0] ?? null;
}

export function last(set: Cuts): number | null {
  const end = set[set.length - 1]?.[1];
  return end === undefined ? null : end - 1;
}

export function describeCuts(set: Cuts): string {
  if (set.length === 0) return 'none';
  return set
    .slice(0, 6)
    .map(([from, to]) =>
      to === Number.POSITIVE_INFINITY ? `${from}…` : to - from === 1 ? `${from}` : `${from}–${to - 1}`,
    )
    .join(', ');
}
