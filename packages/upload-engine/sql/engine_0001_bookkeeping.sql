-- The upload engine's bookkeeping (@cr/upload-engine). Not replicated to clients: keep these
-- tables out of the PowerSync publication.

-- The applied-operations ledger: one row per uploaded operation, written in the same database
-- transaction as the operation's effect. A redelivered operation finds its row and is answered
-- with the stored outcome instead of being applied again. Keyed by the signed-in user as well as
-- the client and operation ids: one user's operation is never answered with another user's.
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
  CONSTRAINT applied_operations_pkey PRIMARY KEY (user_id, client_id, op_id)
);
-- BRIN: rows arrive in time order, so a tiny index serves a metrics timeline without slowing inserts.
CREATE INDEX applied_operations_created_idx ON applied_operations USING brin (created_at);

-- A client id belongs to the user who first uploaded with it: uploads from another user with the
-- same client id are refused (403 CLIENT_ID_IN_USE). Bound on first use, never changed.
CREATE TABLE api_clients (
  client_id     text PRIMARY KEY,
  user_id       text NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now()
);

-- Tombstones: the id of a row deleted through the engine is never used again (ROW_DELETED), so a
-- delete and a re-creation cannot reset a row's rules (a locked price, a final status, a version).
CREATE TABLE deleted_rows (
  table_name text NOT NULL,
  row_id     text NOT NULL,
  deleted_by text NOT NULL,
  deleted_at timestamptz NOT NULL,
  PRIMARY KEY (table_name, row_id)
);

-- The engine reads tombstones before deciding. This trigger function is the backstop for a
-- re-creation that raced the delete: the upload that loses sees the tombstone when it writes,
-- fails like a unique violation, and is decided again, now seeing it. Attach it to every table
-- clients can delete from (`tombstoneTriggers` in @cr/upload-engine writes the statements).
CREATE FUNCTION refuse_deleted_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM deleted_rows WHERE table_name = TG_TABLE_NAME AND row_id = NEW.id::text) THEN
    RAISE EXCEPTION 'the id % of % belonged to a deleted row', NEW.id, TG_TABLE_NAME
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'deleted_rows_pkey';
  END IF;
  RETURN NEW;
END
$$;
