import { Type } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code, e.g. INVALID_TOKEN' }),
      message: Type.String({ description: 'A sentence for people' }),
    }),
  },
  { $id: 'ErrorResponse' },
);

export const AuthHeader = Type.Object({
  authorization: Type.Optional(Type.String({ description: 'Bearer <token> from POST /api/auth/token' })),
});
