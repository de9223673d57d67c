import { createServer } from 'node:http';
import type { Actor } from '@cr/strategies';
import { createUploadHandler, readBody } from '@cr/upload-engine';
import type pg from 'pg';
import { policy } from './policy.ts';

export interface NotesServerOptions {
  pool: pg.Pool;
  /** Your auth: who sent the request (`Authorization` header), or null. */
  authenticate(authorization: string | undefined): Promise<Actor | null>;
  bodyLimit?: number;
}

/** `POST /upload`: the PowerSync connector's uploads, applied by the engine with this app's policy. */
export function createNotesServer({ pool, authenticate, bodyLimit = 1024 * 1024 }: NotesServerOptions) {
  const uploads = createUploadHandler({ pool, policy, onError: (error) => console.error(error) });
  const error = (code: string, message: string) => ({ error: { code, message } });
  return createServer(async (request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    try {
      if (request.method !== 'POST' || request.url !== '/upload') return send(404, error('NOT_FOUND', 'POST /upload'));
      // Read to the end first, even when too large: the client then sees the 413, not a reset.
      const body = await readBody(request, bodyLimit);
      if ('tooLarge' in body) return send(413, error('BODY_TOO_LARGE', 'The upload is larger than allowed.'));
      const actor = await authenticate(request.headers.authorization);
      if (!actor) return send(401, error('INVALID_TOKEN', 'Sign in first.'));
      const answer = await uploads.handleText({ actor, text: body.text });
      send(answer.status, answer.body);
    } catch (failure) {
      console.error(failure);
      send(500, error('INTERNAL_ERROR', 'Something went wrong; the upload can be retried.'));
    }
  });
}
