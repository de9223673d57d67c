-- The notes app's tables (src/schema.ts), after the upload engine's migrations
-- (packages/upload-engine/sql: the ledger, client ids, tombstones, write_conflicts, rejections).
CREATE TABLE notes (
  id         uuid PRIMARY KEY,
  title      text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  body       text NOT NULL DEFAULT '' CHECK (char_length(body) <= 20000),
  version    integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  owner_id   text NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE counters (
  id         uuid PRIMARY KEY,
  name       text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
  value      integer NOT NULL DEFAULT 0 CHECK (value >= 0),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);

-- A deleted id is never used again (tombstoneTriggers(['notes', 'counters']) of @cr/upload-engine).
CREATE TRIGGER notes_refuse_deleted_id BEFORE INSERT ON notes
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
CREATE TRIGGER counters_refuse_deleted_id BEFORE INSERT ON counters
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
