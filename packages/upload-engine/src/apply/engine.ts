import type { Policy } from '@cr/strategies';
import { createRowStore, type RowStore } from '../db/row-store.ts';

/** What every part of the apply layer needs: the app's policy and the rows of its tables. */
export interface Engine {
  readonly policy: Policy;
  readonly store: RowStore;
}

export function createEngine(policy: Policy): Engine {
  for (const table of ['rejections'] as const) {
    if (!policy.schema.has(table)) {
      throw new Error(`upload engine: the schema needs the ${table} table (outcomeTables of @cr/strategies)`);
    }
  }
  return { policy, store: createRowStore(policy) };
}
