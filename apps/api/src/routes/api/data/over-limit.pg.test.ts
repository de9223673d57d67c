import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, snapshot, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await testApp({ env: { API_BODY_LIMIT: '65536', API_MAX_OPERATIONS: '50' } });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(address).port);
});
afterAll(() => t.close());

/**
 * Sends a POST with a body of `size` bytes over a raw socket, the way a browser on a slow link
 * does: chunk after chunk, each written before the next. Returns the status line of the answer
 * and whether the server cut the connection while the body was still being sent.
 */
async function slowPost(token: string, size: number, chunked = false): Promise<{ status: string; cut: string | null }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let answer = '';
  let cut: string | null = null;
  socket.on('data', (data) => {
    answer += data.toString('latin1');
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    cut ??= error.code ?? error.message;
  });
  const closed = new Promise((resolve) => socket.once('close', resolve));
  const write = (data: string) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve();
      socket.write(data, (error) => {
        if (error) cut ??= (error as NodeJS.ErrnoException).code ?? error.message;
        resolve();
      });
    });
  await write(
    `POST /api/data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\n` +
      (chunked ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${size}\r\n`) +
      'Connection: close\r\n\r\n',
  );
  const piece = 'x'.repeat(64 * 1024);
  for (let sent = 0; sent < size && !socket.destroyed && cut === null; sent += piece.length) {
    const part = piece.slice(0, Math.min(piece.length, size - sent));
    await write(chunked ? `${part.length.toString(16)}\r\n${part}\r\n` : part);
  }
  if (chunked) await write('0\r\n\r\n');
  await closed;
  return { status: answer.split('\r\n')[0] ?? '', cut };
}

describe('over-limit uploads: a clear, stable answer, never a reset', () => {
  it('reads the whole oversized body, then answers 413 BODY_TOO_LARGE (with and without a length)', async () => {
    const token = await t.token('alice');
    for (const chunked of [false, true]) {
      for (let round = 0; round < 3; round++) {
        const result = await slowPost(token, 24 * 1024 * 1024, chunked);
        expect(result).toEqual({ status: 'HTTP/1.1 413 Payload Too Large', cut: null });
      }
    }
  });

  it('answers an upload of more operations than the limit with 413 TOO_MANY_OPERATIONS, changing nothing', async () => {
    const before = await snapshot(t);
    const c = crud();
    c.tx();
    const batch = Array.from({ length: 51 }, () => c.patch('inventory', IDS.mug, { name: 'Too many' }, {}));
    const result = await t.upload('alice', 'too-many', batch);
    expect(result.status).toBe(413);
    expect(result.body.error?.code).toBe('TOO_MANY_OPERATIONS');
    expect(result.body.error?.message).toMatch(/51 operations.*at most 50/);
    expect(await snapshot(t)).toEqual(before);
    const fits = await t.upload('alice', 'too-many', batch.slice(0, 50));
    expect(fits.status).toBe(200);
  });

  it('answers 413 BODY_TOO_LARGE through inject too', async () => {
    const result = await t.upload('alice', 'big', [
      crud()
        .tx()
        .patch('tasks', IDS.task, { description: 'x'.repeat(70_000) }),
    ]);
    expect(result.status).toBe(413);
    expect(result.body.error?.code).toBe('BODY_TOO_LARGE');
  });
});
