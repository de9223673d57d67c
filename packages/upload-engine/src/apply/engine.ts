import { OUTCOME_TABLES, type Policy } from '@cr/strategies';
import { createRowStore, type RowStore } from '../db/row-store.ts';

/** What every part of the apply layer needs: the app's policy and the rows of its tables. */
export interface Engine {
  readonly policy: Policy;
  readonly store: RowStore;
}

export function createEngine(policy: Policy): Engine {
  // Refusals and conflicts are recorded there: the schema lists them, the engine's SQL creates them.
  for (const table of [OUTCOME_TABLES.rejections, OUTCOME_TABLES.conflicts]) {
    if (!policy.schema.has(table)) {
      throw new Error(`upload engine: the schema needs the ${table} table (see outcome-tables.ts in @cr/strategies)`);
    }
  }
  return { policy, store: createRowStore(policy) };
}
