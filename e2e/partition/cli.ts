import http from 'node:http';
import { PartitionProxy } from './partition-proxy.ts';

/**
 * The partition proxy by hand:
 *
 *   npx tsx e2e/partition/cli.ts --listen 6001 --target 127.0.0.1:5173 [--control 6002]
 *
 * Open http://127.0.0.1:6001 in a browser window: that window reaches the stack through the
 * proxy. Keys (in this terminal): o = offline (cut everything), n = online, s = stats, q = quit.
 * Or over HTTP: curl -X POST 127.0.0.1:6002/offline | /online, curl 127.0.0.1:6002/status.
 */
function option(name: string, fallback?: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : fallback;
  if (value === undefined) {
    process.stderr.write(`missing --${name}\nusage: cli.ts --listen 6001 --target 127.0.0.1:5173 [--control 6002]\n`);
    process.exit(2);
  }
  return value;
}

const listen = Number(option('listen'));
const [host = '127.0.0.1', port = '5173'] = option('target').split(':');
const controlPort = Number(option('control', String(listen + 1)));
const proxy = new PartitionProxy({ listenPort: listen, target: { host, port: Number(port) } });
await proxy.start();

const say = (line: string) => process.stdout.write(`[partition] ${line}\n`);
const status = () => JSON.stringify(proxy.stats());
const act = (what: string): string => {
  if (what === 'offline') proxy.offline();
  else if (what === 'online') proxy.online();
  return status();
};

const control = http.createServer((request, response) => {
  const what = (request.url ?? '/').replace(/^\//, '');
  if (request.method === 'POST' && (what === 'offline' || what === 'online')) {
    say(`${what} (over HTTP)`);
    response.writeHead(200, { 'content-type': 'application/json' }).end(`${act(what)}\n`);
  } else if (request.method === 'GET' && what === 'status') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(`${status()}\n`);
  } else {
    response.writeHead(404).end('POST /offline, POST /online, GET /status\n');
  }
});
control.listen(controlPort, '127.0.0.1');

say(`http://127.0.0.1:${listen} → ${host}:${port}; control on http://127.0.0.1:${controlPort}`);
if (process.stdin.isTTY) {
  say('keys: o = offline, n = online, s = stats, q = quit');
  process.stdin.setRawMode(true);
  process.stdin.on('data', (chunk) => {
    const key = chunk.toString();
    if (key === 'o') say(`offline ${act('offline')}`);
    else if (key === 'n') say(`online ${act('online')}`);
    else if (key === 's') say(status());
    else if (key === 'q' || key === '\u0003') void quit();
  });
}

async function quit(): Promise<void> {
  control.close();
  await proxy.stop();
  process.exit(0);
}
process.on('SIGINT', () => void quit());
process.on('SIGTERM', () => void quit());
