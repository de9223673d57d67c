import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { PartitionProxy } from '../partition/partition-proxy.ts';

/** The proxy on its own, without a browser: a streaming server behind it, cut and restored. */
test('the partition proxy cuts open streams, refuses new connections, and accepts again', async () => {
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    response.write('{"line":1}\n'); // an endless stream, like /sync/stream
    if (request.url === '/once') response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = new PartitionProxy({ target: { host: '127.0.0.1', port: (server.address() as AddressInfo).port } });
  await proxy.start();
  try {
    const stream = await fetch(`${proxy.origin}/stream`);
    const reader = stream.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe('{"line":1}\n');

    proxy.offline();
    await expect(reader?.read()).rejects.toThrow(); // the open stream is cut
    await expect(fetch(`${proxy.origin}/once`)).rejects.toThrow(); // new connections are refused
    expect(proxy.stats()).toMatchObject({ online: false, open: 0, refused: 1 });

    proxy.online();
    expect(await (await fetch(`${proxy.origin}/once`)).text()).toBe('{"line":1}\n');
  } finally {
    await proxy.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
