-- The synced outcome tables (@cr/upload-engine; their definitions: outcome-tables.ts in
-- @cr/strategies). Add them to the PowerSync publication and sync them per user (user_id).
-- user_id holds the app's user ids; add a foreign key to the app's users table if it has one.

-- Recorded conflicts, resolved by their owner or a reviewing role (mine / server / merged).
CREATE TABLE write_conflicts (
  id              uuid PRIMARY KEY,
  user_id         text NOT NULL,
  table_name      text NOT NULL,
  row_id          text NOT NULL,
  operation       text NOT NULL CHECK (operation IN ('PUT', 'PATCH', 'DELETE')),
  strategy        text NOT NULL,
  code            text NOT NULL,
  message         text NOT NULL,
  client_values   jsonb NOT NULL,
  server_values   jsonb,
  base_values     jsonb,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolution      text CHECK (resolution IN ('mine', 'server', 'merged')),
  resolved_values jsonb,
  resolved_by     text,
  resolved_at     timestamptz,
  client_id       text NOT NULL,
  op_id           bigint NOT NULL,
  created_at      timestamptz NOT NULL,
  CHECK ((status = 'open') = (resolution IS NULL))
);
CREATE INDEX write_conflicts_user_idx ON write_conflicts (user_id);
CREATE INDEX write_conflicts_open_idx ON write_conflicts (created_at) WHERE status = 'open';

-- One row per tracked field edit; the field-change worker applies it or fails it with a reason.
CREATE TABLE field_changes (
  id            uuid PRIMARY KEY,
  user_id       text NOT NULL,
  table_name    text NOT NULL,
  row_id        text NOT NULL,
  field_name    text NOT NULL,
  new_value     text NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'failed')),
  error_code    text,
  error_message text,
  attempts      integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  processed_at  timestamptz
);
CREATE INDEX field_changes_user_idx ON field_changes (user_id);
CREATE INDEX field_changes_pending_idx ON field_changes (created_at, id) WHERE status = 'pending';
CREATE TRIGGER field_changes_refuse_deleted_id BEFORE INSERT ON field_changes
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();

-- Operations the engine refused, and field edits that lost to a newer value, per user.
CREATE TABLE rejections (
  id           uuid PRIMARY KEY,
  user_id      text NOT NULL,
  client_id    text NOT NULL,
  op_id        bigint NOT NULL,
  table_name   text NOT NULL,
  row_id       text NOT NULL,
  operation    text NOT NULL,
  code         text NOT NULL,
  message      text NOT NULL,
  data         jsonb,
  created_at   timestamptz NOT NULL,
  dismissed_at timestamptz
);
CREATE INDEX rejections_user_idx ON rejections (user_id);
