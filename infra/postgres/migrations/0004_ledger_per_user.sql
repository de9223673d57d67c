-- The upload API's idempotency, scoped by user. Not replicated to clients.

-- A client id belongs to the user who first uploaded with it: uploads from another user with the
-- same client id are refused (403), so one user's operation can never be answered with, or
-- dropped because of, another user's. Bound on first use, never changed.
CREATE TABLE api_clients (
  client_id     text PRIMARY KEY,
  user_id       text NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now()
);

-- Client ids already in the ledger belong to whoever used them first.
INSERT INTO api_clients (client_id, user_id, first_seen_at)
SELECT DISTINCT ON (client_id) client_id, user_id, created_at
  FROM applied_operations
 ORDER BY client_id, created_at, op_id;

-- The ledger is keyed by the signed-in user as well as the client and operation ids.
ALTER TABLE applied_operations DROP CONSTRAINT applied_operations_pkey;
ALTER TABLE applied_operations ADD CONSTRAINT applied_operations_pkey PRIMARY KEY (user_id, client_id, op_id);
