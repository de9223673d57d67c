import { Type } from 'typebox';

export const DemoUser = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
});

export const TokenBody = Type.Object({
  user: Type.String({ minLength: 1, maxLength: 64, description: 'A demo user id from GET /api/auth/users' }),
});

export const TokenResponse = Type.Object({
  token: Type.String(),
  powersync_url: Type.String(),
  expires_at: Type.String({ description: 'ISO 8601' }),
  user: DemoUser,
});

export const Jwks = Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) });
