-- The upload API's own bookkeeping. Not replicated to clients.

-- The applied-operations ledger: one row per uploaded operation, written in the same database
-- transaction as the operation's effect. A redelivered operation finds its row and is answered
-- with the stored outcome instead of being applied again.
CREATE TABLE applied_operations (
  client_id   text NOT NULL,
  op_id       bigint NOT NULL,
  user_id     text NOT NULL,
  tx_id       bigint,
  table_name  text NOT NULL,
  row_id      text NOT NULL,
  operation   text NOT NULL,
  status      text NOT NULL CHECK (status IN ('applied', 'merged', 'rejected', 'conflict')),
  code        text,
  message     text,
  conflict_id uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, op_id)
);
-- BRIN: rows arrive in time order, so a tiny index serves the metrics timeline without slowing inserts.
CREATE INDEX applied_operations_created_idx ON applied_operations USING brin (created_at);

-- Everything a client receives goes through this publication; bookkeeping tables stay out.
CREATE PUBLICATION powersync FOR TABLE
  users, tasks, documents, patients, inventory, orders, write_conflicts, field_changes, rejections;
