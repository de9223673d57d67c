import type { Client } from '../fixtures/client.ts';
import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

const ITEMS = 3;
const EDITS_PER_ITEM = 100;

/** `count` sales of one unit of each item, each its own local transaction (as the sell button writes it). */
async function sellDirectly(client: Client, ids: string[], count: number): Promise<void> {
  await client.page.evaluate(
    async ({ ids, count }) => {
      for (const id of ids) {
        for (let n = 0; n < count; n++) {
          await window.__cr?.execute('UPDATE inventory SET quantity = quantity - 1 WHERE id = ?', [id]);
        }
      }
    },
    { ids, count },
  );
}

test('a few hundred edits queued offline upload after reconnecting, each applied exactly once and shown', async ({
  openClient,
  sql,
}) => {
  const ids: string[] = [];
  for (let i = 0; i < ITEMS; i++)
    ids.push(await sql.insertStock({ name: unique(`Backlog item ${i}`), quantity: 1000 }));
  const alice = await openClient('alice', 'inventory');
  for (const id of ids) await expect(alice.card(id).getByTestId('stock-quantity')).toHaveText('1000');

  await alice.offline();
  // Some through the screen, the rest straight into the local database: each its own transaction.
  for (const id of ids) {
    const card = alice.card(id);
    await card.getByTestId('sell-amount').fill('1');
    await card.getByTestId('sell-submit').click();
    await expect(card.getByTestId('stock-quantity')).toHaveText('999');
  }
  await sellDirectly(alice, ids, EDITS_PER_ITEM - 1);
  const queued = ITEMS * EDITS_PER_ITEM;
  await alice.waitFor((s) => s.pendingUploads === queued, `${queued} edits queued`);
  await expect(alice.page.getByTestId('pending-chip')).toHaveText(`${queued} pending`);
  const remaining = String(1000 - EDITS_PER_ITEM);
  for (const id of ids) await expect(alice.card(id).getByTestId('stock-quantity')).toHaveText(remaining);

  await alice.online();
  await alice.waitIdle();
  await expect(alice.page.getByTestId('pending-chip')).toHaveCount(0);
  await expect(alice.page.getByTestId('upload-progress')).toHaveCount(0);
  for (const id of ids) await expect(alice.card(id).getByTestId('stock-quantity')).toHaveText(remaining);
  // Exactly once: every sale counted once on the server, one ledger entry each, all applied.
  const stock = await sql.rows<{ quantity: number }>('SELECT quantity FROM inventory WHERE id = ANY($1)', [ids]);
  expect(stock).toEqual(ids.map(() => ({ quantity: 1000 - EDITS_PER_ITEM })));
  expect(
    await sql.rows(`SELECT status, count(*)::int AS n FROM applied_operations WHERE row_id = ANY($1) GROUP BY status`, [
      ids,
    ]),
  ).toEqual([{ status: 'applied', n: queued }]);
});
