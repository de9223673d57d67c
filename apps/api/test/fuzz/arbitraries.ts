import { ORDER_STATUSES, schema, TABLE_NAMES } from '@cr/demo-domain';
import fc from 'fast-check';
import { deepJson } from '../helpers.ts';

/**
 * Generators for the upload fuzz suite: operations a client might send (valid ones, and ones the
 * rules refuse) mixed with hostile ones (NUL bytes, lone surrogates, JSON nested 10,000 levels
 * deep, huge numbers, SQL fragments, unknown tables and columns, wrong types).
 */

export const USERS = ['alice', 'bob', 'carol', 'dan', 'nina', 'rita'] as const;

/** Values JSON.stringify cannot write travel as markers, replaced by raw JSON text in the body. */
export const RAW_FRAGMENTS: Record<string, string> = {
  deep10k: deepJson(10_000),
  deep100k: deepJson(100_000),
  deepObject5k: deepJson(5000, true),
  deepText: JSON.stringify(deepJson(20_000)),
};
const marker = fc.constantFrom(...Object.keys(RAW_FRAGMENTS).map((name) => `@${name}`));

export const SEED_IDS = {
  tasks: ['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002'],
  documents: ['20000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002'],
  patients: ['30000000-0000-4000-8000-000000000001'],
  inventory: ['40000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000003'],
  orders: [
    '50000000-0000-4000-8000-000000000001',
    '50000000-0000-4000-8000-000000000002',
    '50000000-0000-4000-8000-000000000004',
  ],
} as const;
const knownIds = Object.values(SEED_IDS).flat();

export const hostileString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'before\u0000after',
    'a\ud800b',
    '\udfff',
    '😀\ud83d',
    "'; DROP TABLE tasks; --",
    "tasks\" SET title = 'pwned' --",
    "1' OR '1'='1",
    '$1::text',
    '__proto__',
    'constructor',
    'x'.repeat(5000),
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 2_147_483_648, 1e-320, -0);

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    marker,
    hugeNumber,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

const columnName = fc.oneof(
  fc.constantFrom(...new Set(Object.values(schema.tables).flatMap((t) => Object.keys(t.columns)))),
  hostileString,
);
const hostileData = fc.oneof(fc.dictionary(columnName, hostileValue, { maxKeys: 4 }), hostileValue);

/** An entry anything may be wrong with. */
export const hostileEntry = fc.record(
  {
    op: fc.oneof(fc.constantFrom('PUT', 'PATCH', 'DELETE'), hostileString, fc.integer(), marker),
    type: fc.oneof(fc.constantFrom(...TABLE_NAMES), hostileString, marker, fc.constant(null)),
    id: fc.oneof(fc.constantFrom(...knownIds), fc.uuid(), hostileString, fc.integer(), marker),
    data: hostileData,
    old: fc.oneof(fc.dictionary(columnName, hostileValue, { maxKeys: 3 }), hostileValue),
    metadata: fc.oneof(
      hostileString,
      marker,
      fc.dictionary(hostileString, hostileValue).map((m) => JSON.stringify(m)),
    ),
  },
  { requiredKeys: ['op', 'type', 'id'] },
);

const when = fc.integer({ min: Date.parse('2026-11-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') });
const iso = when.map((ms) => new Date(ms).toISOString());
const title = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), hostileString);

/** Entries a real client could send: some apply, some the rules refuse or record as conflicts. */
export const plausibleEntry = fc.oneof(
  fc
    .record({
      id: fc.constantFrom(...SEED_IDS.inventory),
      from: fc.integer({ min: -3, max: 40 }),
      delta: fc.integer({ min: -6, max: 6 }),
    })
    .map(({ id, from, delta }) => ({
      op: 'PATCH',
      type: 'inventory',
      id,
      data: { quantity: from + delta },
      old: { quantity: from },
    })),
  fc
    .record({
      id: fc.constantFrom(...SEED_IDS.tasks),
      title,
      base: iso,
      at: iso,
      stated: fc.option(fc.oneof(iso, hostileValue)),
    })
    .map(({ id, title, base, at, stated }) => ({
      op: 'PATCH',
      type: 'tasks',
      id,
      data: { title, modified_at: at },
      old: { modified_at: base },
      // The base the form was opened on (_metadata.base), when the client states one.
      ...(stated === null ? {} : { metadata: JSON.stringify({ base: { modified_at: stated } }) }),
    })),
  fc.record({ id: fc.uuid(), title, at: iso }).map(({ id, title, at }) => ({
    op: 'PUT',
    type: 'tasks',
    id,
    data: { title, modified_at: at },
  })),
  fc
    .record({
      id: fc.constantFrom(...SEED_IDS.orders),
      status: fc.constantFrom(...ORDER_STATUSES),
      price: fc.option(fc.integer({ min: 0, max: 9999 })),
    })
    .map(({ id, status, price }) => ({
      op: 'PATCH',
      type: 'orders',
      id,
      data: { status, ...(price === null ? {} : { price_cents: price }) },
    })),
  fc
    .record({ id: fc.constantFrom(...SEED_IDS.orders), put: fc.boolean() })
    .map(({ id, put }) =>
      put
        ? { op: 'PUT', type: 'orders', id, data: { customer: 'Again', quantity: 1, price_cents: 1, status: 'pending' } }
        : { op: 'DELETE', type: 'orders', id },
    ),
  fc
    .record({
      id: fc.uuid(),
      rowId: fc.oneof(fc.constantFrom(...SEED_IDS.tasks), fc.uuid(), hostileString),
      field: fc.oneof(fc.constantFrom('title', 'priority', 'status', 'description', 'due_date'), hostileString),
      value: fc.oneof(
        hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
        marker,
        hostileString,
      ),
    })
    .map(({ id, rowId, field, value }) => ({
      op: 'PUT',
      type: 'field_changes',
      id,
      data: { table_name: 'tasks', row_id: rowId, field_name: field, new_value: value, status: 'pending' },
    })),
  fc
    .record({
      id: fc.constantFrom(...SEED_IDS.documents),
      base: fc.integer({ min: 0, max: 6 }),
      body: title,
      stated: fc.option(hostileValue),
    })
    .map(({ id, base, body, stated }) => ({
      op: 'PATCH',
      type: 'documents',
      id,
      data: { body, version: base + 1 },
      old: { version: base },
      ...(stated === null ? {} : { metadata: JSON.stringify({ base: { version: stated } }) }),
    })),
  fc
    .record({ id: fc.constantFrom(...SEED_IDS.patients), notes: title, at: fc.oneof(iso, hostileString) })
    .map(({ id, notes, at }) => ({
      op: 'PATCH',
      type: 'patients',
      id,
      data: { notes },
      metadata: JSON.stringify({ edited_at: at }),
    })),
);

export const entry = fc.oneof({ weight: 3, arbitrary: plausibleEntry }, { weight: 2, arbitrary: hostileEntry });

/** One upload: who, from which client, what, and whether it is delivered twice. */
export const upload = fc.record({
  user: fc.constantFrom(...USERS),
  /** Shared client ids are reused by several users (refused for all but the first). */
  client: fc.oneof(fc.constantFrom('fuzz-shared-1', 'fuzz-shared-2', 'c\u0000lient'), fc.uuid()),
  entries: fc.array(entry, { minLength: 1, maxLength: 6 }),
  /** Give entry i the operation id of entry i - 1 (a repeated id within one upload). */
  repeatOpIdAt: fc.option(fc.integer({ min: 1, max: 5 })),
  redeliver: fc.boolean(),
});
export type Upload = typeof upload extends fc.Arbitrary<infer U> ? U : never;

/**
 * One request in the multi form: several client transactions of one client, in queue order, one
 * of them (sometimes) made only of hostile operations; delivered once, then maybe again whole or
 * from transaction `suffixFrom` on (what a connector does after a lost answer).
 */
export const multiUpload = fc
  .record({
    // Mostly users who may write the shared tables, so that transactions apply.
    user: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('alice' as const, 'bob' as const, 'carol' as const) },
      { weight: 1, arbitrary: fc.constantFrom(...USERS) },
    ),
    client: fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom('fuzz-shared-1', 'fuzz-shared-2') },
      { weight: 3, arbitrary: fc.uuid() },
    ),
    // Mostly operations a client could send (so that most transactions apply something), the
    // hostile ones concentrated in the `hostile` transaction.
    transactions: fc.array(
      fc.array(fc.oneof({ weight: 5, arbitrary: plausibleEntry }, { weight: 1, arbitrary: hostileEntry }), {
        minLength: 1,
        maxLength: 4,
      }),
      { minLength: 1, maxLength: 4 },
    ),
    hostile: fc.option(
      fc.record({
        at: fc.nat(),
        entries: fc.array(hostileEntry, { minLength: 1, maxLength: 3 }),
      }),
    ),
    /** Give entry i of transaction 0 the operation id of entry i - 1 (a repeated id inside one transaction). */
    repeatOpIdAt: fc.option(fc.integer({ min: 1, max: 3 })),
    redeliver: fc.constantFrom('none' as const, 'whole' as const, 'suffix' as const),
    suffixFrom: fc.nat(),
  })
  .map(({ hostile, transactions, ...rest }) => {
    const all = [...transactions];
    if (hostile) all.splice(hostile.at % (all.length + 1), 0, hostile.entries);
    return { form: 'multi' as const, ...rest, transactions: all };
  });
export type MultiUpload = typeof multiUpload extends fc.Arbitrary<infer U> ? U : never;

/**
 * A run: requests of either form; in a session, all of them come from the first one's user and
 * client (the single and multi forms mixed for one client, as an upgraded connector does).
 */
export const run = fc
  .record({
    session: fc.boolean(),
    requests: fc.array(
      fc.oneof(
        upload.map((u) => ({ form: 'single' as const, ...u })),
        multiUpload,
      ),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ session, requests }) => {
    const first = requests[0] as { user: (typeof USERS)[number]; client: string };
    return session ? requests.map((r) => ({ ...r, user: first.user, client: first.client })) : requests;
  });
