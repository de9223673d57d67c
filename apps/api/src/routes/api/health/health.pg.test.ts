import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('health and metrics', () => {
  it('reports a healthy database', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', database: 'ok', field_change_worker: { pending: 0 } });
  });

  it('counts outcomes per table, status and reason', async () => {
    const c = crud();
    await t.upload('alice', 'metrics-client', [
      c.tx().patch('inventory', IDS.mug, { quantity: 9 }, { quantity: 10 }),
      c.patch('inventory', IDS.mug, { quantity: 0 }, { quantity: 100 }),
      c.patch('orders', IDS.shippedOrder, { status: 'pending' }),
      c.patch(
        'tasks',
        IDS.task,
        { title: 'x', modified_at: '2026-11-22T10:00:00Z' },
        { modified_at: '2020-01-01T00:00:00Z' },
      ),
      { op_id: 99, op: 'PUT', type: 'nope', id: 'x' },
    ]);
    await t.upload('alice', 'metrics-client', [c.tx().patch('inventory', IDS.mug, { quantity: 8 }, { quantity: 9 })]);
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/metrics?bucket=minute',
      headers: { authorization: `Bearer ${await t.token('rita')}` },
    });
    expect(response.statusCode).toBe(200);
    const metrics = response.json();
    expect(metrics.outcomes).toEqual(
      expect.arrayContaining([
        { table: 'inventory', status: 'applied', code: null, count: 2 },
        { table: 'inventory', status: 'rejected', code: 'INSUFFICIENT_STOCK', count: 1 },
        { table: 'orders', status: 'rejected', code: 'INVALID_TRANSITION', count: 1 },
        { table: 'tasks', status: 'conflict', code: 'STALE_WRITE', count: 1 },
        { table: 'nope', status: 'rejected', code: 'UNKNOWN_TABLE', count: 1 },
      ]),
    );
    expect(metrics.uploads).toEqual({ requests: 2, operations: 6, replayed: 0, failed_requests: 0 });
    expect(metrics.open_conflicts).toBe(1);
    expect(metrics.timeline.length).toBeGreaterThanOrEqual(5);
    expect(metrics.timeline[0].bucket).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
  });

  it('shows metrics to signed-in users only', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/metrics' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('MISSING_TOKEN');
  });

  it('rejects a bad timeline query with a clear error', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/metrics?since=yesterday',
      headers: { authorization: `Bearer ${await t.token('rita')}` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_REQUEST');
  });
});
