import type { Actor } from '@cr/strategies';
import { jwtVerify } from 'jose';

/**
 * The notes app's auth, as a stand-in for yours: HS256 tokens with `sub` (the user) and `role`,
 * audience `notes`. The engine only needs `{ id, role }` of a verified user; never take them from
 * the request body.
 */
export function bearerAuth(secret: string) {
  const key = new TextEncoder().encode(secret);
  return async (authorization: string | undefined): Promise<Actor | null> => {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, key, { audience: 'notes', requiredClaims: ['sub', 'exp'] });
      return typeof payload.sub === 'string' && typeof payload.role === 'string'
        ? { id: payload.sub, role: payload.role }
        : null;
    } catch {
      return null;
    }
  };
}
