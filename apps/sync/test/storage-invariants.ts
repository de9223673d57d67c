import type pg from 'pg';

/**
 * What must hold in committed bucket storage at every moment (after a clean stop, a crash, or
 * while the service writes): nothing is stored beyond the checkpoint of the state row, and each
 * bucket's precomputed totals are those of its oplog. Read in one snapshot. Returns one sentence
 * per violation.
 */
export async function storageProblems(pool: pg.Pool, schema = 'powersync_storage'): Promise<string[]> {
  const db = await pool.connect();
  try {
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const problems = await check(db, schema);
    await db.query('COMMIT');
    return problems;
  } finally {
    db.release();
  }
}

async function check(db: pg.PoolClient, schema: string): Promise<string[]> {
  const s = `"${schema}"`;
  const problems: string[] = [];
  const { rows: state } = await db.query<{ last_op_id: string }>(`SELECT last_op_id FROM ${s}.state`);
  const checkpoint = BigInt(state[0]?.last_op_id ?? '0');
  const { rows: beyond } = await db.query<{ ops: string; params: string; max: string | null }>(
    `SELECT (SELECT count(*) FROM ${s}.ops WHERE op_id > $1) AS ops,
            (SELECT count(*) FROM ${s}.parameter_index WHERE op_id > $1) AS params,
            (SELECT max(op_id) FROM ${s}.ops) AS max`,
    [checkpoint.toString()],
  );
  const row = beyond[0];
  if (row && (row.ops !== '0' || row.params !== '0')) {
    problems.push(
      `${row.ops} op(s) and ${row.params} parameter entries beyond the state row's op id ${checkpoint} (max op ${row.max})`,
    );
  }
  const { rows: buckets } = await db.query<{
    bucket: string;
    checksum: string | null;
    op_count: string | null;
    last_op_id: string | null;
    sum: string | null;
    n: string | null;
    max: string | null;
  }>(
    `SELECT bucket, b.checksum, b.op_count, b.last_op_id, o.sum, o.n, o.max
       FROM ${s}.bucket_state b
       FULL JOIN (SELECT bucket, (sum(checksum) % 4294967296)::bigint AS sum, count(*) AS n, max(op_id) AS max
                    FROM ${s}.ops GROUP BY bucket) o USING (bucket)
      WHERE b.checksum IS DISTINCT FROM o.sum OR b.op_count IS DISTINCT FROM o.n
         OR b.last_op_id IS DISTINCT FROM o.max`,
  );
  for (const b of buckets) {
    problems.push(
      `bucket ${b.bucket}: state (checksum ${b.checksum}, count ${b.op_count}, last op ${b.last_op_id}) ` +
        `but oplog (checksum ${b.sum}, count ${b.n}, last op ${b.max})`,
    );
  }
  return problems;
}
