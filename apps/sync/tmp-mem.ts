import pg from 'pg';
import { startCluster, startSyncChild } from './bench/bench-stack.ts';
import { countInitialSync } from './bench/wire-bytes.ts';
import { JwksServer } from './test/jwks-server.ts';
import { openClient } from './test/test-client.ts';

const cluster = await startCluster();
const url = await cluster.database();
const setup = new pg.Client({ connectionString: url });
await setup.connect();
await setup.query(`INSERT INTO tasks (id, title, description, status, priority, created_by, created_at, modified_at, modified_by)
 SELECT gen_random_uuid(), 'Task number ' || n, 'A description of task ' || n || ' long enough to be realistic.', 'todo', 1 + n % 5, 'carol', now(), now(), 'carol' FROM generate_series(1, 120000) AS n`);
await setup.end();
const jwks = await JwksServer.start();
let syncUrl = '';
let peak: Record<string, number> = {};
const sample = async (label: string) => {
  if (!syncUrl) return;
  try {
    const h = (await (await fetch(`${syncUrl}/health`)).json()) as { memory: Record<string, number> };
    const m = Object.fromEntries(Object.entries(h.memory).map(([k, v]) => [k, Math.round(v / 1048576)]));
    if ((m.rss_bytes ?? 0) > (peak.rss_bytes ?? 0)) peak = { ...m, label } as never;
  } catch {}
};
let phase = 'snapshot';
const timer = setInterval(() => void sample(phase), 100);
const t0 = performance.now();
const sync = await startSyncChild(url, jwks.url, undefined, () => {});
syncUrl = sync.url;
console.log('ready after', Math.round(performance.now() - t0), 'rss', Math.round((await sync.rss()) / 1048576));
await sample('after snapshot');
console.log('peak so far', peak);
phase = 'client';
const t = performance.now();
const client = await openClient({ endpoint: sync.url, token: () => jwks.sign(), record: false });
await client.db.waitForFirstSync();
console.log('node client sync ms', Math.round(performance.now() - t), 'rss', Math.round((await sync.rss()) / 1048576));
await client.close();
console.log('peak so far', peak);
phase = 'raw';
for (const [a, e] of [
  ['application/x-ndjson', 'identity'],
  ['application/vnd.powersync.bson-stream', 'gzip'],
]) {
  const c = await countInitialSync(sync.url, await jwks.sign(), a, e);
  console.log(a, e, Math.round((c.wireBytes / 1048576) * 10) / 10, 'MB', Math.round(c.ms), 'ms');
}
console.log('peak', peak, 'rss now', Math.round((await sync.rss()) / 1048576));
clearInterval(timer);
await sync.stop();
await jwks.close();
await cluster.stop();
process.exit(0);
