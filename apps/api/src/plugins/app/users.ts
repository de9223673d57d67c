import type { Role } from '@cr/demo-domain';
import { USER_ID_PATTERN } from '@cr/schema';
import fp from 'fastify-plugin';

export interface DemoUser {
  id: string;
  name: string;
  role: Role;
}

export interface UserRepository {
  list(): Promise<DemoUser[]>;
  get(id: string): Promise<DemoUser | null>;
}

declare module 'fastify' {
  interface FastifyInstance {
    users: UserRepository;
  }
}

/** The demo users (seeded in infra/postgres/seed.sql). */
export default fp(
  async (fastify) => {
    fastify.decorate('users', {
      async list() {
        const { rows } = await fastify.db.query<DemoUser>('SELECT id, name, role FROM users ORDER BY role, name');
        return rows;
      },
      async get(id: string) {
        // Not a user id at all (a NUL, half an emoji): no such user, without asking Postgres.
        if (!USER_ID_PATTERN.test(id)) return null;
        const { rows } = await fastify.db.query<DemoUser>('SELECT id, name, role FROM users WHERE id = $1', [id]);
        return rows[0] ?? null;
      },
    });
  },
  { name: 'users', dependencies: ['db'] },
);
