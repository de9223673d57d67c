-- Synced, per-user tables that make outcomes visible to the people who caused them.

-- Strategy 5, server-side conflict recording. Written by the API when a stale write is detected;
-- the owner (or a reviewer) resolves it by choosing mine / server / merged values.
CREATE TABLE write_conflicts (
  id              uuid PRIMARY KEY,
  user_id         text NOT NULL REFERENCES users (id),
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
  resolved_by     text REFERENCES users (id),
  resolved_at     timestamptz,
  client_id       text NOT NULL,
  op_id           bigint NOT NULL,
  created_at      timestamptz NOT NULL,
  CHECK ((status = 'open') = (resolution IS NULL))
);
CREATE INDEX write_conflicts_user_idx ON write_conflicts (user_id);
CREATE INDEX write_conflicts_open_idx ON write_conflicts (created_at) WHERE status = 'open';

-- Strategy 6, change-level status tracking. The client inserts one row per edited field; the
-- API's worker validates and applies it, then marks it applied or failed with a reason.
CREATE TABLE field_changes (
  id            uuid PRIMARY KEY,
  user_id       text NOT NULL REFERENCES users (id),
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

-- Operations the API refused (business rules, permissions, malformed input) and field edits that
-- lost to a newer value. Synced to the user who made them, so nothing disappears silently.
CREATE TABLE rejections (
  id           uuid PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users (id),
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
