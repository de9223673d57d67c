/** What the API answers for one uploaded operation (and stores in the ledger): the contract's. */
export type { OperationOutcome } from '@cr/connector-kit/contract';
