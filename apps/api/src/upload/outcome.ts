import type { Outcome } from '@cr/strategies';

/** What the API answers for one uploaded operation (and stores in the ledger). */
export interface OperationOutcome {
  op_id: number;
  table: string;
  id: string;
  status: Outcome;
  code?: string;
  message?: string;
  conflict_id?: string;
}
