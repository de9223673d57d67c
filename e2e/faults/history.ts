import type { Role, TableName } from '@cr/demo-domain';
import type { Values } from './rows.ts';

/**
 * What a fault run records, for the checkers: every local transaction the workload made (with
 * the operations PowerSync queued for it), every upload attempt and its answer, every read a
 * client made of its local database, and every fault.
 */

export interface ClientInfo {
  name: string;
  user: string;
  role: Role;
  /** PowerSync's client id (persists across reopening the database). */
  psClientId: string;
}

/** One queued operation (a `ps_crud` entry), as the upload will carry it. */
export interface CrudRecord {
  opId: number;
  op: 'PUT' | 'PATCH' | 'DELETE';
  table: TableName;
  id: string;
  data: Values;
  old: Values | null;
  metadata: Values | null;
}

/** A local write transaction of the workload. */
export interface IssuedTx {
  client: string;
  at: number;
  txId: number;
  /** The workload's name for it ("sell", "order-advance", …). */
  kind: string;
  ops: CrudRecord[];
}

export type OutcomeStatus = 'applied' | 'merged' | 'rejected' | 'conflict';

export interface Outcome {
  op_id: number;
  table: string;
  id: string;
  status: OutcomeStatus;
  code?: string;
  message?: string;
  conflict_id?: string;
}

/** One `POST /api/data` of one client transaction. */
export interface UploadAttempt {
  client: string;
  at: number;
  txId: number;
  opIds: number[];
  /** HTTP status, or null when no answer arrived (network). */
  status: number | null;
  outcomes: Outcome[] | null;
  /** The answer arrived but the fault suite threw it away (a lost acknowledgement). */
  dropped: boolean;
  /** The connector completed the transaction (it leaves the queue). */
  completed: boolean;
}

/**
 * A snapshot of a client's local tables in one read transaction: row key → digest of its
 * values (see rows.ts), per priority group. `excluded`: rows showing this client's own local
 * writes that no checkpoint has confirmed yet (their value is optimistic, not synced).
 */
export interface ClientRead {
  client: string;
  at: number;
  groups: { priority: 1 | 3; rows: Map<string, string> }[];
  excluded: Set<string>;
  /** The client had nothing to upload. */
  queueEmpty: boolean;
}

export interface NemesisEvent {
  at: number;
  fault: string;
  target: string;
  phase: 'start' | 'end';
  detail?: string;
}

export class History {
  readonly clients: ClientInfo[] = [];
  readonly issued: IssuedTx[] = [];
  readonly uploads: UploadAttempt[] = [];
  readonly reads: ClientRead[] = [];
  readonly nemesis: NemesisEvent[] = [];
  /** The observer's position when the workload started (versions before it are the seed). */
  workloadStartSeq = 0;

  fault(fault: string, target: string, phase: 'start' | 'end', detail?: string): void {
    this.nemesis.push({ at: Date.now(), fault, target, phase, ...(detail === undefined ? {} : { detail }) });
  }

  /** Issued operations by their outcome (the first answer about each; "none": never answered). */
  outcomeCounts(): Record<OutcomeStatus | 'none', number> {
    const counts: Record<OutcomeStatus | 'none', number> = { applied: 0, merged: 0, rejected: 0, conflict: 0, none: 0 };
    const first = new Map<string, OutcomeStatus>();
    for (const upload of this.uploads) {
      for (const outcome of upload.outcomes ?? []) {
        const key = `${upload.client}#${outcome.op_id}`;
        if (!first.has(key)) first.set(key, outcome.status);
      }
    }
    for (const tx of this.issued) {
      for (const op of tx.ops) counts[first.get(`${tx.client}#${op.opId}`) ?? 'none'] += 1;
    }
    return counts;
  }

  client(name: string): ClientInfo {
    const info = this.clients.find((c) => c.name === name);
    if (!info) throw new Error(`unknown client ${name}`);
    return info;
  }
}
