import { STATUS_LABELS } from '../tasks/task-labels.ts';
import { formatCents, formatValue } from './format.ts';

/**
 * What people call each table's rows and fields: one place for forms, the "changed while you were
 * editing" notice, refusals and conflicts, so no screen shows a column name as the main text.
 */
const FIELD_LABELS: Record<string, Record<string, string>> = {
  tasks: {
    title: 'Title',
    description: 'Description',
    status: 'Status',
    priority: 'Priority',
    due_date: 'Due date',
    assignee_id: 'Assignee',
  },
  documents: { title: 'Title', body: 'Text' },
  patients: {
    name: 'Name',
    date_of_birth: 'Date of birth',
    diagnosis: 'Diagnosis',
    treatment: 'Treatment',
    heart_rate: 'Heart rate (bpm)',
    blood_pressure: 'Blood pressure',
    temperature: 'Temperature (°C)',
    notes: 'Notes',
  },
  orders: {
    customer: 'Customer',
    product_id: 'Product',
    quantity: 'Quantity',
    price_cents: 'Total price',
    status: 'Status',
  },
  inventory: { sku: 'SKU', name: 'Name', quantity: 'Stock' },
};

const NOUNS: Record<string, string> = {
  tasks: 'task',
  documents: 'document',
  patients: 'patient record',
  orders: 'order',
  inventory: 'product',
  field_changes: 'tracked change',
  write_conflicts: 'conflict',
  rejections: 'refusal',
};

export function fieldLabel(table: string, field: string): string {
  return FIELD_LABELS[table]?.[field] ?? field.replaceAll('_', ' ');
}

/** "task", "order", … */
export function tableNoun(table: string): string {
  return NOUNS[table] ?? table.replace(/s$/, '');
}

/** The words a row goes by: its title, name or customer. */
export function rowName(values: Record<string, unknown> | null | undefined): string | null {
  for (const key of ['title', 'name', 'customer']) {
    const value = values?.[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}

/** A record as a sentence names it: Task “Label the shelves”, the order for Northwind Cafe. */
export function describeRecord(table: string, name: string | null): string {
  const noun = tableNoun(table);
  if (name === null) return `a ${noun} that is no longer here`;
  if (table === 'orders') return `the order for ${name}`;
  if (table === 'patients') return `the record of ${name}`;
  return `${noun} “${name}”`;
}

/** A field value as people read it: money in euros, task statuses in words, users by name. */
export function displayValue(table: string, field: string, value: unknown, nameOf?: (id: unknown) => string): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (table === 'orders' && field === 'price_cents' && typeof value === 'number') return formatCents(value);
  if (table === 'tasks' && field === 'status')
    return STATUS_LABELS[value as keyof typeof STATUS_LABELS] ?? String(value);
  if (field.endsWith('_id') && field !== 'product_id' && nameOf) return nameOf(value);
  return formatValue(value);
}
