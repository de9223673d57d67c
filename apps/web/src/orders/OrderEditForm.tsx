import { canChangeOrderPrice } from '@cr/demo-domain';
import { type FormEvent, useRef } from 'react';
import { focusFirstProblem } from '../edits/focus-problem.ts';
import { MovedNotice } from '../edits/MovedNotice.tsx';
import { type Parsed, useEditForm } from '../edits/use-edit-form.ts';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { saveEdit } from '../edits/write-edit.ts';
import { useSession } from '../session/session-context.ts';
import { Field } from '../ui/Field.tsx';
import { SaveCancel } from '../ui/SaveCancel.tsx';
import type { Order } from './OrderCard.tsx';
import { parseEuros } from './order-writes.ts';

type OrderField = 'quantity' | 'price_cents';

function parse(field: OrderField, text: string): Parsed {
  if (field === 'price_cents') {
    const cents = parseEuros(text);
    return cents === null ? { problem: 'Must be an amount in euros, like 12.50.' } : { value: cents };
  }
  const trimmed = text.trim();
  return { value: trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed };
}

function format(field: OrderField, value: unknown): string {
  return field === 'price_cents' && typeof value === 'number' ? (value / 100).toFixed(2) : String(value ?? '');
}

/** Quantity and (for a manager) the total price, edited on the order as the form opened. */
export function OrderEditForm(props: { order: Order; onDone: () => void }) {
  const { db, user } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const priceAllowed = canChangeOrderPrice(user.role);
  const form = useEditForm<OrderField>({
    table: 'orders',
    row: props.order,
    fields: priceAllowed ? ['quantity', 'price_cents'] : ['quantity'],
    format,
    parse,
    watch: ['quantity', 'price_cents', 'status', 'customer'],
  });
  const save = useGuardedAction(async () => {
    if (!form.valid) return focusFirstProblem(formRef.current);
    await saveEdit(db, 'orders', form.base, form.changes, { user, now: new Date().toISOString() });
    props.onDone();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.run();
  };

  return (
    <form ref={formRef} className="inline-form" onSubmit={submit} noValidate data-testid="order-edit-form">
      <MovedNotice table="orders" row={props.order} form={form} />
      <Field label="Quantity" problem={form.problems.quantity}>
        {(a11y) => (
          <input
            inputMode="numeric"
            value={form.text.quantity}
            onChange={(event) => form.setField('quantity', event.target.value)}
            data-testid="order-quantity-input"
            {...a11y}
          />
        )}
      </Field>
      {priceAllowed ? (
        <Field label="Total price (€)" problem={form.problems.price_cents}>
          {(a11y) => (
            <input
              inputMode="decimal"
              value={form.text.price_cents}
              onChange={(event) => form.setField('price_cents', event.target.value)}
              data-testid="order-price-input"
              {...a11y}
            />
          )}
        </Field>
      ) : (
        <p className="hint">Only a manager can change the price.</p>
      )}
      <SaveCancel onCancel={props.onDone} saveTestId="order-save" busy={save.busy} dirty={form.dirty} />
    </form>
  );
}
