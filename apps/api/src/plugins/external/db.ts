import fp from 'fastify-plugin';
import pg from 'pg';

declare module 'fastify' {
  interface FastifyInstance {
    db: pg.Pool;
  }
}

const { builtins, getTypeParser } = pg.types;

/**
 * Values come back as the strategies expect them: timestamps and dates as text (normalised later,
 * never through a local-time Date), bigint as a number (op ids stay well within 2^53).
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === builtins.TIMESTAMPTZ || oid === builtins.TIMESTAMP || oid === builtins.DATE) return (v: string) => v;
    if (oid === builtins.INT8) return (v: string) => Number(v);
    return getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    types,
    options: '-c TimeZone=UTC',
    connectionTimeoutMillis: 5000,
    // Statements are sent without waiting for the previous answer: the upload engine sends BEGIN
    // with its first read and COMMIT with its write, two round trips for a small upload instead
    // of four. Code that awaits each statement behaves as without it.
    pipeline: true,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

/** The Postgres pool, shared by every service of the app; closed with the app. */
export default fp(
  async (fastify, options: { databaseUrl: string; pool?: pg.Pool }) => {
    const pool = options.pool ?? createPool(options.databaseUrl);
    fastify.decorate('db', pool);
    fastify.addHook('onClose', async () => {
      if (!options.pool) await pool.end();
    });
  },
  { name: 'db' },
);
