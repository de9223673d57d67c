import {
  AnyUploadBody,
  type CrudEntryBody,
  type ErrorResponse,
  UploadErrorCode,
  type UploadManyResponse,
  type UploadResponse,
} from '@cr/connector-kit/contract';
import { textProblem } from '@cr/schema';
import type { Actor, Policy } from '@cr/strategies';
import type pg from 'pg';
import { Compile } from 'typebox/compile';
import { applyMany, type ManyResult } from '../apply/apply-many.ts';
import type { TransactionResult } from '../apply/apply-transaction.ts';
import { applyUpload } from '../apply/apply-upload.ts';
import { ClientBindings } from '../apply/client-binding.ts';
import { createEngine, type Engine } from '../apply/engine.ts';
import { classifyPgError } from '../db/pg-errors.ts';
import { UploadError } from '../upload-error.ts';

export interface UploadHandlerOptions {
  /** The app's database (any pg.Pool). */
  pool: pg.Pool;
  /** The app's policy (`definePolicy(schema, …)`): its schema includes the outcome tables. */
  policy: Policy;
  /** The server clock (tests pin it). */
  clock?: () => Date;
  /** Most operations in one upload (413 TOO_MANY_OPERATIONS above); default 10,000. */
  maxOperations?: number;
  /** Called after a commit that left field changes pending: wake the field-change worker. */
  onFieldChangesQueued?: () => void;
  /** Called with an error `handle` answered 500 (a fault on the server), for the app's log. */
  onError?: (error: unknown) => void;
}

export interface UploadCounters {
  requests: number;
  operations: number;
  replayed: number;
  failedRequests: number;
}

/** One upload, read: the client's id and its transaction. */
export interface UploadRequest {
  actor: Actor;
  clientId: string;
  entries: readonly CrudEntryBody[];
}

/** Several client transactions of one client, in queue order (the multi form). */
export interface UploadManyRequest {
  actor: Actor;
  clientId: string;
  transactions: readonly (readonly CrudEntryBody[])[];
}

/** An answer as the contract declares it, for any HTTP framework to send. */
export type UploadAnswer =
  | { status: 200; body: UploadResponse | UploadManyResponse }
  | { status: number; body: ErrorResponse };

export interface UploadHandler {
  readonly engine: Engine;
  readonly counters: Readonly<UploadCounters>;
  readonly maxOperations: number;
  /** 413 TOO_MANY_OPERATIONS when a batch is over the limit (checked before anything else). */
  checkSize(body: unknown): void;
  /** Applies one read, authenticated upload: its outcomes, or an `UploadError` (403, 400, 503). */
  apply(request: UploadRequest): Promise<TransactionResult>;
  /**
   * Applies several client transactions in order (see the contract): the outcomes of those done,
   * and why it stopped before the others, or an `UploadError` when none could be done.
   */
  applyMany(request: UploadManyRequest): Promise<UploadManyResponse>;
  /** The whole request, framework-free: a parsed JSON body for `actor` → status and body. */
  handle(request: { actor: Actor; body: unknown }): Promise<UploadAnswer>;
  /** As `handle`, from the body's text (400 INVALID_JSON when it is not JSON). */
  handleText(request: { actor: Actor; text: string }): Promise<UploadAnswer>;
}

const checkBody = Compile(AnyUploadBody);

/**
 * The upload endpoint's core, framework-free: `POST <url>` with `{ client_id, batch }` from an
 * authenticated actor. Mount it with the Fastify adapter (`@cr/upload-engine/fastify`) or any
 * HTTP server: authenticate, read the body (`readBody` keeps the over-limit policy), call
 * `handle`, send what it answers.
 */
export function createUploadHandler(options: UploadHandlerOptions): UploadHandler {
  const engine = createEngine(options.policy);
  const clock = options.clock ?? (() => new Date());
  const maxOperations = options.maxOperations ?? 10_000;
  const bindings = new ClientBindings(options.pool);
  const counters: UploadCounters = { requests: 0, operations: 0, replayed: 0, failedRequests: 0 };

  const checkSize = (body: unknown) => {
    const { batch, transactions } = (body ?? {}) as { batch?: unknown; transactions?: unknown };
    if (Array.isArray(batch) && batch.length > maxOperations) {
      throw new UploadError(
        413,
        UploadErrorCode.TooManyOperations,
        `This upload has ${batch.length} operations; this server accepts at most ${maxOperations} in one transaction.`,
      );
    }
    if (!Array.isArray(transactions)) return;
    let count = transactions.length;
    for (const transaction of transactions) {
      const entries = (transaction as { batch?: unknown } | null)?.batch;
      if (Array.isArray(entries)) count += entries.length;
    }
    // Transactions count too: each costs work even without operations.
    if (count - transactions.length > maxOperations || transactions.length > maxOperations) {
      throw new UploadError(
        413,
        UploadErrorCode.TooManyOperations,
        `This upload has ${count - transactions.length} operations in ${transactions.length} transactions; this server accepts at most ${maxOperations} in one upload.`,
      );
    }
  };

  // The client id keys the ledger: it is stored as it is sent, never altered, so one that
  // Postgres cannot store is refused (PowerSync's client ids are UUIDs); and it is one user's.
  const checkClient = async (clientId: string, actor: Actor) => {
    const problem = textProblem(clientId);
    if (problem)
      throw new UploadError(400, UploadErrorCode.InvalidClientId, `The client_id cannot be used: ${problem}.`);
    await bindings.check(clientId, actor.id);
  };

  const applyManyTransactions = async (request: UploadManyRequest): Promise<UploadManyResponse> => {
    counters.requests += 1;
    let result: ManyResult;
    try {
      await checkClient(request.clientId, request.actor);
      result = await applyMany(options.pool, engine, { ...request, now: clock().toISOString() });
    } catch (error) {
      counters.failedRequests += 1;
      throw error;
    }
    for (const [index, done] of result.done.entries()) {
      counters.operations += request.transactions[index]?.length ?? 0;
      counters.replayed += done.replayed;
    }
    if (result.done.some((done) => done.queuedFieldChanges)) options.onFieldChangesQueued?.();
    const transactions = result.done.map((done) => ({ outcomes: done.outcomes }));
    if (!result.stopped) return { transactions };
    const { error, ...stopped } = result.stopped;
    counters.failedRequests += 1;
    if (stopped.code === UploadErrorCode.Internal) options.onError?.(error);
    // Nothing done: the same answer as the single form's (5xx: send it all again later).
    if (transactions.length === 0) {
      throw new UploadError(stopped.code === UploadErrorCode.Internal ? 500 : 503, stopped.code, stopped.message);
    }
    return { transactions, stopped };
  };

  const apply = async (request: UploadRequest): Promise<TransactionResult> => {
    counters.requests += 1;
    try {
      await checkClient(request.clientId, request.actor);
      const result = await applyUpload(options.pool, engine, { ...request, now: clock().toISOString() });
      counters.operations += request.entries.length;
      counters.replayed += result.replayed;
      if (result.queuedFieldChanges) options.onFieldChangesQueued?.();
      return result;
    } catch (error) {
      counters.failedRequests += 1;
      throw error;
    }
  };

  const handle = async ({ actor, body }: { actor: Actor; body: unknown }): Promise<UploadAnswer> => {
    try {
      checkSize(body);
      if (!checkBody.Check(body)) {
        const first = checkBody.Errors(body)[0];
        const where = first ? ` (${first.instancePath || 'body'} ${first.message})` : '';
        throw new UploadError(400, UploadErrorCode.InvalidRequest, `This is not an upload${where}.`);
      }
      if ('transactions' in body) {
        const transactions = body.transactions.map((transaction) => transaction.batch);
        return { status: 200, body: await applyManyTransactions({ actor, clientId: body.client_id, transactions }) };
      }
      const result = await apply({ actor, clientId: body.client_id, entries: body.batch });
      return { status: 200, body: { outcomes: result.outcomes } };
    } catch (error) {
      return answerError(error, options.onError);
    }
  };

  return {
    engine,
    counters,
    maxOperations,
    checkSize,
    apply,
    applyMany: applyManyTransactions,
    handle,
    async handleText({ actor, text }) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return errorAnswer(400, UploadErrorCode.InvalidJson, 'The request body is not valid JSON.');
      }
      return handle({ actor, body });
    },
  };
}

export function errorAnswer(status: number, code: string, message: string): UploadAnswer {
  return { status, body: { error: { code, message } } };
}

/** The contract's answer for an error of the upload path (never throws). */
export function answerError(error: unknown, onError?: (error: unknown) => void): UploadAnswer {
  if (error instanceof UploadError) return errorAnswer(error.statusCode, error.code, error.message);
  if (classifyPgError(error) === 'unavailable') {
    return errorAnswer(503, UploadErrorCode.DatabaseUnavailable, 'The database is unavailable; try again shortly.');
  }
  onError?.(error);
  return errorAnswer(500, UploadErrorCode.Internal, 'Something went wrong on the server; the upload can be retried.');
}
