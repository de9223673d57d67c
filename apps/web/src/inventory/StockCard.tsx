import type { InventoryRow } from '@cr/demo-domain';
import { type FormEvent, useState } from 'react';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { useSession } from '../session/session-context.ts';
import { PendingMark } from '../sync-status/PendingMark.tsx';
import { Field } from '../ui/Field.tsx';
import { checkStockMove, moveStock, shownStock } from './stock-moves.ts';

export type Item = Pick<InventoryRow, 'id' | 'sku' | 'name' | 'quantity'>;

/**
 * A sale or a restock. The amount is checked as it is typed (a whole number, and no more than the
 * stock seen here for a sale); the move is a delta, so the stock changing meanwhile is only
 * mentioned, not a conflict. One click, however fast repeated, is one move.
 */
function MoveForm(props: { item: Item; kind: 'sell' | 'restock' }) {
  const { db, user } = useSession();
  const { item, kind } = props;
  const [amount, setAmount] = useState('1');
  const [seenStock, setSeenStock] = useState(item.quantity);
  const [refused, setRefused] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const label = kind === 'sell' ? 'Sell' : 'Restock';
  const typed = amount.trim() === '' ? Number.NaN : Number(amount);
  const problem = done ? null : (refused ?? checkStockMove(kind, shownStock(item.quantity), typed, item.name));
  const move = useGuardedAction(async (count: number) => {
    const outcome = await moveStock(db, item, kind, count, user.id);
    setRefused(outcome);
    setDone(outcome === null ? `${kind === 'sell' ? 'Sold' : 'Restocked'} ${count}.` : null);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem === null) move.run(typed);
  };
  return (
    <form className="move-form" onSubmit={submit} noValidate>
      <Field
        label={
          <span className="visually-hidden">
            {label} how many of {item.name}
          </span>
        }
        problem={problem ?? undefined}
        problemTestId={`${kind}-problem`}
      >
        {(a11y) => (
          <input
            inputMode="numeric"
            value={amount}
            onChange={(event) => {
              setAmount(event.target.value);
              setSeenStock(item.quantity);
              setRefused(null);
              setDone(null);
            }}
            data-testid={`${kind}-amount`}
            {...a11y}
          />
        )}
      </Field>
      <button type="submit" data-testid={`${kind}-submit`} disabled={move.busy}>
        {label}
      </button>
      {done && (
        <span className="hint move-done" role="status">
          {done}
        </span>
      )}
      {seenStock !== item.quantity && amount.trim() !== '' && !done && (
        <span className="hint move-done" data-testid={`${kind}-stock-moved`}>
          Stock is now {shownStock(item.quantity)} (was {shownStock(seenStock)} when you typed).
        </span>
      )}
    </form>
  );
}

export function StockCard(props: { item: Item; canWrite: boolean }) {
  const { item } = props;
  return (
    <li className="row-card stock-card" data-testid="stock-card" data-row-id={item.id}>
      <div className="row-main">
        <p className="row-title">
          <span>{item.name}</span> <code className="sku">{item.sku}</code>
          <PendingMark table="inventory" id={item.id} />
        </p>
        <p className="stock">
          <span className="stock-number" data-testid="stock-quantity">
            {shownStock(item.quantity)}
          </span>{' '}
          in stock
        </p>
      </div>
      {props.canWrite && (
        <div className="stock-moves">
          <MoveForm item={item} kind="sell" />
          <MoveForm item={item} kind="restock" />
        </div>
      )}
    </li>
  );
}
