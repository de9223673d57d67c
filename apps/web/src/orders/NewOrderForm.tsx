import { policy } from '@cr/demo-domain';
import { useQuery } from '@powersync/react';
import { type FormEvent, useRef, useState } from 'react';
import { focusFirstProblem } from '../edits/focus-problem.ts';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { useSession } from '../session/session-context.ts';
import { Field } from '../ui/Field.tsx';
import { createOrder, parseEuros } from './order-writes.ts';

interface Draft {
  customer: string;
  productId: string;
  quantity: string;
  price: string;
}

const EMPTY: Draft = { customer: '', productId: '', quantity: '1', price: '' };

/** Why each field of the draft would be refused (the API's validators; the price must read as euros). */
function problemsOf(draft: Draft): Partial<Record<keyof Draft, string>> {
  const quantityText = draft.quantity.trim();
  const quantity = quantityText !== '' && Number.isFinite(Number(quantityText)) ? Number(quantityText) : quantityText;
  const found: Partial<Record<keyof Draft, string>> = {};
  for (const problem of policy.checkFields('orders', { customer: draft.customer, quantity })) {
    found[problem.field === 'customer' ? 'customer' : 'quantity'] = problem.hint;
  }
  const cents = parseEuros(draft.price);
  if (cents === null) found.price = 'Must be an amount in euros, like 12.50.';
  else {
    const problem = policy.checkFields('orders', { price_cents: cents })[0];
    if (problem) found.price = problem.hint;
  }
  return found;
}

export function NewOrderForm() {
  const { db, user } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const { data: products } = useQuery<{ id: string; name: string }>('SELECT id, name FROM inventory ORDER BY name');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [touched, setTouched] = useState<Partial<Record<keyof Draft, boolean>>>({});
  const problems = problemsOf(draft);
  const shown = (field: keyof Draft) => (touched[field] ? problems[field] : undefined);
  const set = (field: keyof Draft) => (event: { target: { value: string } }) => {
    setDraft((current) => ({ ...current, [field]: event.target.value }));
    setTouched((current) => ({ ...current, [field]: true }));
  };

  const add = useGuardedAction(async (current: Draft) => {
    const found = problemsOf(current);
    if (Object.keys(found).length > 0) {
      setTouched({ customer: true, quantity: true, price: true });
      requestAnimationFrame(() => focusFirstProblem(formRef.current));
      return;
    }
    await createOrder(db, user.id, {
      customer: current.customer.trim(),
      product_id: current.productId || null,
      quantity: Number(current.quantity.trim()),
      price_cents: parseEuros(current.price) ?? 0,
    });
    // Only if it still holds what was added: the user may have typed the next one meanwhile.
    setDraft((draftNow) => (draftNow === current ? EMPTY : draftNow));
    setTouched({});
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.run(draft);
  };

  return (
    <form ref={formRef} className="add-form" onSubmit={submit} noValidate>
      <Field label="Customer" className="grow" problem={shown('customer')}>
        {(a11y) => (
          <input
            value={draft.customer}
            onChange={set('customer')}
            maxLength={200}
            data-testid="new-order-customer"
            {...a11y}
          />
        )}
      </Field>
      <Field label="Product">
        {(a11y) => (
          <select value={draft.productId} onChange={set('productId')} {...a11y}>
            <option value="">None</option>
            {products.map((product) => (
              <option key={product.id} value={product.id}>
                {product.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Quantity" className="narrow" problem={shown('quantity')}>
        {(a11y) => <input inputMode="numeric" value={draft.quantity} onChange={set('quantity')} {...a11y} />}
      </Field>
      <Field label="Total price (€)" className="narrow" problem={shown('price')}>
        {(a11y) => (
          <input
            inputMode="decimal"
            value={draft.price}
            onChange={set('price')}
            data-testid="new-order-price"
            {...a11y}
          />
        )}
      </Field>
      <button type="submit" className="primary" aria-busy={add.busy} data-testid="new-order-add">
        Add order
      </button>
    </form>
  );
}
