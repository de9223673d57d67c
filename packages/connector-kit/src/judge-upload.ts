import { checker } from './checker.ts';
import { NEVER_ACCEPTED, type OperationOutcome, UploadResponse } from './contract.ts';

/**
 * What a connector does with the answer to one uploaded transaction:
 * - `complete`: the server owns the fate of every operation (each has an outcome);
 * - `reauth`: the token was refused; drop it and try again with a new one;
 * - `stuck`: the server can never accept this transaction as it is (400: unreadable, 403: the
 *   client id is another user's, 413: over a size limit). It stays queued and is shown to the
 *   user, who exports or discards it; it is not sent again until they ask;
 * - `retry`: transient (5xx, network, an answer that does not account for every operation).
 * Only `complete` (or the user's discard) lets the transaction go: nothing whose fate is unknown
 * is ever completed behind the user's back.
 */
export type UploadVerdict =
  | { kind: 'complete'; outcomes: OperationOutcome[]; notable: OperationOutcome[] }
  | { kind: 'reauth'; message: string }
  | { kind: 'stuck'; code: string | null; message: string }
  | { kind: 'retry'; message: string };

function errorMessage(body: unknown, fallback: string): string {
  if (typeof body === 'object' && body !== null) {
    const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.message === 'string') {
      return typeof error.code === 'string' ? `${error.message} (${error.code})` : error.message;
    }
  }
  return fallback;
}

const isResponse = checker(UploadResponse);

/** Judges the API's answer (`status`, parsed JSON `body`) to the upload of operations `opIds`. */
export function judgeUpload(status: number, body: unknown, opIds: readonly number[]): UploadVerdict {
  if (status === 200) {
    if (!isResponse(body)) {
      return { kind: 'retry', message: 'The upload API answered without outcomes; the changes will be sent again.' };
    }
    const { outcomes } = body;
    const answered = new Set(outcomes.map((outcome) => outcome.op_id));
    const missing = opIds.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      return {
        kind: 'retry',
        message: `The upload API did not report on ${missing.length} change(s); they will be sent again.`,
      };
    }
    const notable = outcomes.filter(isNotable);
    return { kind: 'complete', outcomes, notable };
  }
  if (status === 401) {
    return { kind: 'reauth', message: errorMessage(body, 'The server did not accept the sign-in token.') };
  }
  if (NEVER_ACCEPTED.includes(status)) {
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    return {
      kind: 'stuck',
      code: typeof code === 'string' ? code : null,
      message: errorMessage(body, `The upload API refused these changes (${status}).`),
    };
  }
  return { kind: 'retry', message: errorMessage(body, `The upload API is unavailable (${status}); retrying.`) };
}

/**
 * The outcomes to tell the author about right away: what was refused, recorded as a conflict, or
 * merged with someone else's work (what came from the other side is in the message).
 */
export function isNotable(outcome: OperationOutcome): boolean {
  return outcome.status === 'rejected' || outcome.status === 'conflict' || outcome.status === 'merged';
}
