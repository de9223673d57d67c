import type { InventoryRow } from '@cr/schema';
import { type FormEvent, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { moveStock, shownStock } from './stock-moves.ts';

export type Item = Pick<InventoryRow, 'id' | 'sku' | 'name' | 'quantity'>;

function MoveForm(props: { item: Item; kind: 'sell' | 'restock' }) {
  const { db, user } = useSession();
  const [amount, setAmount] = useState('1');
  const [problem, setProblem] = useState<string | null>(null);
  const label = props.kind === 'sell' ? 'Sell' : 'Restock';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(await moveStock(db, props.item, props.kind, Number(amount), user.id));
  };
  return (
    <form className="move-form" onSubmit={(event) => void submit(event)} noValidate>
      <label>
        <span className="visually-hidden">
          {label} how many of {props.item.name}
        </span>
        <input
          inputMode="numeric"
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
          data-testid={`${props.kind}-amount`}
        />
      </label>
      <button type="submit" data-testid={`${props.kind}-submit`}>
        {label}
      </button>
      {problem && (
        <p className="reason" role="alert" data-testid={`${props.kind}-problem`}>
          {problem}
        </p>
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
          {item.name} <code className="sku">{item.sku}</code>
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
