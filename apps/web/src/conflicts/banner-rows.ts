/**
 * The order of the cards in an open conflict banner. The list is fixed when the banner opens:
 * cards keep their place while it is open (a resolved one stays, saying how it ended), and
 * conflicts that arrive meanwhile are announced and added at the end only when asked for — never
 * inserted above a card, which would move its buttons under a still pointer.
 */
export interface BannerRow<C> {
  id: string;
  conflict: C;
  /** Still an open conflict (else resolved, here or elsewhere). */
  open: boolean;
}

export function bannerRows<C extends { id: string }>(
  order: readonly string[],
  live: readonly C[],
  cache: ReadonlyMap<string, C>,
): { rows: BannerRow<C>[]; arrived: C[] } {
  const byId = new Map(live.map((conflict) => [conflict.id, conflict]));
  const rows: BannerRow<C>[] = [];
  for (const id of order) {
    const conflict = byId.get(id) ?? cache.get(id);
    if (conflict) rows.push({ id, conflict, open: byId.has(id) });
  }
  const shown = new Set(order);
  return { rows, arrived: live.filter((conflict) => !shown.has(conflict.id)) };
}

/** Where the focus goes after a card is resolved: the next open card, else the one before, else none. */
export function nextOpen<C>(rows: readonly BannerRow<C>[], resolvedId: string): string | null {
  const index = rows.findIndex((row) => row.id === resolvedId);
  const after = rows.slice(index + 1).find((row) => row.open && row.id !== resolvedId);
  const before = [...rows.slice(0, Math.max(index, 0))].reverse().find((row) => row.open);
  return after?.id ?? before?.id ?? null;
}

/**
 * How a card ends. A choice made here ends it at once (`endedHere`), but the server may refuse
 * it (the record changed again, or the merged text breaks a rule): the conflict then comes back
 * open. `closedSeen` says the conflict was seen closed after the choice, so open again means
 * refused: the card is live again and says so, rather than claiming a save that did not happen.
 */
export function cardEnding<R>(
  row: { open: boolean },
  endedHere: R | undefined,
  closedSeen: boolean,
): { ended: R | 'elsewhere' | null; reopened: boolean } {
  if (endedHere !== undefined) {
    return row.open && closedSeen ? { ended: null, reopened: true } : { ended: endedHere, reopened: false };
  }
  return { ended: row.open ? null : 'elsewhere', reopened: false };
}
