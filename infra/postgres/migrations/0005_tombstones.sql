-- Tombstones: the id of a row deleted through the upload API is never used again. Without them a
-- deleted row's rules are forgotten with it: a clerk could delete a pending order and upload it
-- again with another price, or revive a cancelled order as pending. Not replicated to clients.
CREATE TABLE deleted_rows (
  table_name text NOT NULL,
  row_id     text NOT NULL,
  deleted_by text NOT NULL,
  deleted_at timestamptz NOT NULL,
  PRIMARY KEY (table_name, row_id)
);

-- The API reads tombstones before deciding (and refuses with ROW_DELETED). This trigger is the
-- backstop for a re-creation that raced the delete: the upload that loses sees the tombstone when
-- it writes, fails like a unique violation, and is decided again, now seeing it.
CREATE FUNCTION refuse_deleted_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM deleted_rows WHERE table_name = TG_TABLE_NAME AND row_id = NEW.id::text) THEN
    RAISE EXCEPTION 'the id % of % belonged to a deleted row', NEW.id, TG_TABLE_NAME
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'deleted_rows_pkey';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER tasks_refuse_deleted_id BEFORE INSERT ON tasks
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
CREATE TRIGGER documents_refuse_deleted_id BEFORE INSERT ON documents
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
CREATE TRIGGER patients_refuse_deleted_id BEFORE INSERT ON patients
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
CREATE TRIGGER inventory_refuse_deleted_id BEFORE INSERT ON inventory
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
CREATE TRIGGER orders_refuse_deleted_id BEFORE INSERT ON orders
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
CREATE TRIGGER field_changes_refuse_deleted_id BEFORE INSERT ON field_changes
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
