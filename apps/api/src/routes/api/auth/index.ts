import { ErrorResponse } from '@cr/connector-kit/contract';
import { quote } from '@cr/schema';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { ApiError, ApiErrorCode } from '../../../errors.ts';
import { DemoUser, Jwks, TokenBody, TokenResponse } from '../../../schemas/auth.ts';

/** /api/auth — demo sign-in: the users, a token for one of them, the public keys. */
const authRoutes: FastifyPluginAsyncTypebox<{ powersyncUrl: string; devTokens: boolean }> = async (
  fastify,
  options,
) => {
  fastify.get('/users', { schema: { response: { 200: Type.Array(DemoUser) } } }, () => fastify.users.list());

  fastify.post(
    '/token',
    { schema: { body: TokenBody, response: { 200: TokenResponse, 403: ErrorResponse, 404: ErrorResponse } } },
    async (request) => {
      if (!options.devTokens) {
        throw new ApiError(403, ApiErrorCode.DevTokensDisabled, 'Demo sign-in is disabled on this server.');
      }
      const user = await fastify.users.get(request.body.user);
      if (!user)
        throw new ApiError(404, ApiErrorCode.UnknownUser, `There is no demo user ${quote(request.body.user, 64)}.`);
      const { token, expiresAt } = await fastify.auth.sign(user);
      return { token, powersync_url: options.powersyncUrl, expires_at: expiresAt, user };
    },
  );

  fastify.get('/keys', { schema: { response: { 200: Jwks } } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return fastify.auth.jwks();
  });
};

export default authRoutes;
