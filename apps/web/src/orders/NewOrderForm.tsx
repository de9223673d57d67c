import { useQuery } from '@powersync/react';
import { type FormEvent, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { createOrder, parseEuros } from './order-writes.ts';

export function NewOrderForm() {
  const { db, user } = useSession();
  const { data: products } = useQuery<{ id: string; name: string }>('SELECT id, name FROM inventory ORDER BY name');
  const [customer, setCustomer] = useState('');
  const [productId, setProductId] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [price, setPrice] = useState('');

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const cents = parseEuros(price);
    const count = Number(quantity);
    if (!customer.trim() || cents === null || !Number.isInteger(count) || count < 0) return;
    await createOrder(db, user.id, {
      customer: customer.trim(),
      product_id: productId || null,
      quantity: count,
      price_cents: cents,
    });
    setCustomer('');
    setPrice('');
  };

  return (
    <form className="add-form" onSubmit={(event) => void add(event)}>
      <label className="grow">
        Customer
        <input value={customer} onChange={(event) => setCustomer(event.target.value)} maxLength={200} required />
      </label>
      <label>
        Product
        <select value={productId} onChange={(event) => setProductId(event.target.value)}>
          <option value="">None</option>
          {products.map((product) => (
            <option key={product.id} value={product.id}>
              {product.name}
            </option>
          ))}
        </select>
      </label>
      <label className="narrow">
        Quantity
        <input inputMode="numeric" value={quantity} onChange={(event) => setQuantity(event.target.value)} />
      </label>
      <label className="narrow">
        Price (€)
        <input inputMode="decimal" value={price} onChange={(event) => setPrice(event.target.value)} required />
      </label>
      <button type="submit" className="primary">
        Add order
      </button>
    </form>
  );
}
