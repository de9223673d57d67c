import {
  AnyUploadBody,
  ErrorResponse,
  UploadErrorCode,
  UploadManyResponse,
  UploadResponse,
} from '@cr/connector-kit/contract';
import type { Actor } from '@cr/strategies';
import { type FastifyPluginAsyncTypebox, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { classifyPgError } from '../db/pg-errors.ts';
import { answerError, type UploadHandler } from '../handler/upload-handler.ts';
import { BodyTooLarge, drainLimitFor } from '../http/read-body.ts';
import { UploadError } from '../upload-error.ts';
import bodyLimit from './body-limit.ts';

export interface FastifyUploadOptions {
  handler: UploadHandler;
  /**
   * Who is uploading, from the request's credentials (the app's auth). Throw an error with a 4xx
   * `statusCode` and a stable `code` (say 401 INVALID_TOKEN) to refuse the request.
   */
  authenticate(request: FastifyRequest): Promise<Actor>;
  /** Largest accepted body, bytes (default 8 MiB); above it 413 BODY_TOO_LARGE, after reading it. */
  bodyLimit?: number;
}

const STABLE_CODE = /^[A-Z][A-Z0-9_]*$/;

/**
 * The upload endpoint as a Fastify plugin: register it at the upload path, e.g.
 * `app.register(uploadRoute, { prefix: '/api/data', handler, authenticate })`. The route declares
 * the contract's schemas (body, and each status's answer), keeps the over-limit policy (an
 * oversized body is read to its end, then 413), and answers the contract's errors itself; errors
 * it does not know (a bug) go to the app's error handler.
 */
export const uploadRoute: FastifyPluginAsyncTypebox<FastifyUploadOptions> = async (fastify, options) => {
  const { handler } = options;
  const limit = options.bodyLimit ?? 8 * 1024 * 1024;
  const actors = new WeakMap<FastifyRequest, Actor>();
  fastify.setValidatorCompiler(TypeBoxValidatorCompiler);
  await fastify.register(bodyLimit, { limit, drainLimit: drainLimitFor(limit) });
  fastify.setErrorHandler((error: FastifyError, _request, reply) => {
    const send = (status: number, code: string, message: string) =>
      reply.code(status).send({ error: { code, message } });
    if (error instanceof BodyTooLarge || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(413, UploadErrorCode.BodyTooLarge, 'The request body is larger than this server accepts.');
    }
    if (
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      error instanceof SyntaxError
    ) {
      return send(400, UploadErrorCode.InvalidJson, 'The request body is not valid JSON.');
    }
    if (error.validation) return send(400, UploadErrorCode.InvalidRequest, `Invalid request: ${error.message}.`);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500 && STABLE_CODE.test(String(error.code))) {
      return send(error.statusCode, String(error.code), error.message);
    }
    if (error instanceof UploadError || classifyPgError(error) === 'unavailable') {
      const answer = answerError(error);
      return reply.code(answer.status).send(answer.body);
    }
    throw error; // not the upload path's to answer: the app's error handler logs it and answers 500
  });

  fastify.post(
    '/',
    {
      bodyLimit: drainLimitFor(limit),
      onRequest: async (request) => {
        actors.set(request, await options.authenticate(request));
      },
      // Before the schema: an upload over the limit can never be accepted as sent, and says so
      // with its own code, so the client can show it and let the user export or discard it.
      preValidation: async (request) => handler.checkSize(request.body),
      schema: {
        body: AnyUploadBody,
        response: {
          200: Type.Union([UploadResponse, UploadManyResponse]),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          413: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request) => {
      const actor = actors.get(request);
      if (!actor) throw new Error('upload route: authenticate returned no actor');
      const body = request.body;
      if ('transactions' in body) {
        const transactions = body.transactions.map((transaction) => transaction.batch);
        return handler.applyMany({ actor, clientId: body.client_id, transactions });
      }
      const result = await handler.apply({ actor, clientId: body.client_id, entries: body.batch });
      return { outcomes: result.outcomes };
    },
  );
};
