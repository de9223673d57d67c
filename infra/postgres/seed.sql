-- Demo data: the users and roles of the architecture doc and a little of everything.
-- Applied once, on the first start of an empty database (the launcher checks for users first).
-- Fixed ids so that scenarios and screenshots can refer to rows by id.

INSERT INTO users (id, name, role) VALUES
  ('alice', 'Alice Adams',  'clerk'),
  ('bob',   'Bob Brown',    'clerk'),
  ('carol', 'Carol Chen',   'manager'),
  ('dan',   'Dr. Dan Diaz', 'doctor'),
  ('nina',  'Nina Novak',   'nurse'),
  ('rita',  'Rita Ruiz',    'reviewer');

INSERT INTO tasks (id, title, description, status, priority, due_date, assignee_id, created_by, created_at, modified_at, modified_by) VALUES
  ('10000000-0000-4000-8000-000000000001', 'Count the stock room', 'Full count before the quarterly report.', 'todo', 2, '2026-12-01', 'alice', 'carol', '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z', 'carol'),
  ('10000000-0000-4000-8000-000000000002', 'Call the courier about late parcels', '', 'in_progress', 3, NULL, 'bob', 'carol', '2026-11-02T09:00:00Z', '2026-11-02T09:30:00Z', 'bob'),
  ('10000000-0000-4000-8000-000000000003', 'Update the returns policy sign', 'The new policy starts in December.', 'todo', 4, '2026-11-30', NULL, 'alice', '2026-11-03T10:00:00Z', '2026-11-03T10:00:00Z', 'alice'),
  ('10000000-0000-4000-8000-000000000004', 'Order more packing tape', '', 'done', 5, NULL, 'alice', 'bob', '2026-11-04T11:00:00Z', '2026-11-05T08:00:00Z', 'alice');

INSERT INTO documents (id, title, body, version, created_by, created_at, updated_by, updated_at) VALUES
  ('20000000-0000-4000-8000-000000000001', 'Opening checklist', E'1. Unlock the doors\n2. Switch on the tills\n3. Check the float', 3, 'carol', '2026-10-01T08:00:00Z', 'alice', '2026-11-10T08:00:00Z'),
  ('20000000-0000-4000-8000-000000000002', 'Returns policy', 'Items may be returned within 30 days with a receipt.', 1, 'carol', '2026-10-05T08:00:00Z', 'carol', '2026-10-05T08:00:00Z'),
  ('20000000-0000-4000-8000-000000000003', 'Supplier contacts', 'Acme Packaging: 555-0100', 2, 'bob', '2026-10-07T08:00:00Z', 'bob', '2026-11-01T08:00:00Z');

-- Each seeded document's current version as its first revision (earlier versions predate the history).
INSERT INTO document_revisions (id, row_id, version, title, body, kind, author_id, created_at)
SELECT ('2f' || substr(id::text, 3))::uuid, id, version, title, body,
       CASE WHEN version = 1 THEN 'create' ELSE 'edit' END, updated_by, updated_at
  FROM documents;

INSERT INTO patients (id, name, date_of_birth, diagnosis, treatment, heart_rate, blood_pressure, temperature, notes, field_versions, updated_by, updated_at) VALUES
  ('30000000-0000-4000-8000-000000000001', 'Maria Lopez', '1961-04-12', 'Type 2 diabetes', 'Metformin 500 mg twice daily', 78, '132/85', 36.8, '', '{}', 'dan', '2026-11-01T09:00:00Z'),
  ('30000000-0000-4000-8000-000000000002', 'James Okafor', '1985-09-30', 'Sprained left ankle', 'Rest, ice, compression', 72, '118/76', 36.6, 'Uses crutches.', '{}', 'dan', '2026-11-02T09:00:00Z'),
  ('30000000-0000-4000-8000-000000000003', 'Lena Fischer', '1993-01-22', '', '', 88, '121/79', 38.1, 'Admitted with fever.', '{}', 'nina', '2026-11-03T09:00:00Z');

INSERT INTO inventory (id, sku, name, quantity, updated_by, updated_at) VALUES
  ('40000000-0000-4000-8000-000000000001', 'MUG-BLUE', 'Blue mug', 10, 'carol', '2026-11-01T08:00:00Z'),
  ('40000000-0000-4000-8000-000000000002', 'TEE-M', 'T-shirt, size M', 25, 'carol', '2026-11-01T08:00:00Z'),
  ('40000000-0000-4000-8000-000000000003', 'CAP-RED', 'Red cap', 4, 'carol', '2026-11-01T08:00:00Z'),
  ('40000000-0000-4000-8000-000000000004', 'BAG-TOTE', 'Canvas tote bag', 40, 'carol', '2026-11-01T08:00:00Z');

INSERT INTO orders (id, customer, product_id, quantity, price_cents, status, created_by, created_at, updated_by, updated_at) VALUES
  ('50000000-0000-4000-8000-000000000001', 'Northwind Cafe',  '40000000-0000-4000-8000-000000000001', 12, 4800, 'pending',    'alice', '2026-11-10T10:00:00Z', 'alice', '2026-11-10T10:00:00Z'),
  ('50000000-0000-4000-8000-000000000002', 'Fabrikam School', '40000000-0000-4000-8000-000000000002', 30, 45000, 'processing', 'bob',   '2026-11-09T10:00:00Z', 'bob',   '2026-11-10T11:00:00Z'),
  ('50000000-0000-4000-8000-000000000003', 'Contoso Ltd',     '40000000-0000-4000-8000-000000000004', 5, 2500, 'shipped',    'alice', '2026-11-05T10:00:00Z', 'carol', '2026-11-08T09:00:00Z'),
  ('50000000-0000-4000-8000-000000000004', 'Adventure Works', '40000000-0000-4000-8000-000000000003', 2, 1600, 'completed',  'bob',   '2026-10-20T10:00:00Z', 'carol', '2026-10-25T09:00:00Z'),
  ('50000000-0000-4000-8000-000000000005', 'Tailspin Toys',   '40000000-0000-4000-8000-000000000001', 1, 400, 'cancelled',  'alice', '2026-10-28T10:00:00Z', 'alice', '2026-10-29T09:00:00Z');
