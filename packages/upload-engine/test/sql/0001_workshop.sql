-- The engine's test app (test/workshop.ts), after the engine's own migrations.
CREATE TABLE members (
  id   text PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('maker', 'viewer', 'lead'))
);

CREATE TABLE todos (
  id         uuid PRIMARY KEY,
  text       text NOT NULL,
  priority   integer NOT NULL DEFAULT 3,
  changed_at timestamptz NOT NULL,
  changed_by text NOT NULL REFERENCES members (id)
);

CREATE TABLE notes (
  id         uuid PRIMARY KEY,
  title      text NOT NULL,
  body       text NOT NULL DEFAULT '',
  version    integer NOT NULL DEFAULT 1,
  updated_by text NOT NULL REFERENCES members (id),
  updated_at timestamptz NOT NULL
);

CREATE TABLE drafts (
  id         uuid PRIMARY KEY,
  title      text NOT NULL,
  body       text NOT NULL DEFAULT '',
  version    integer NOT NULL DEFAULT 1,
  updated_by text NOT NULL REFERENCES members (id),
  updated_at timestamptz NOT NULL
);

CREATE TABLE counters (
  id    uuid PRIMARY KEY,
  label text NOT NULL UNIQUE,
  value integer NOT NULL DEFAULT 0 CHECK (value >= 0)
);

CREATE TRIGGER todos_refuse_deleted_id BEFORE INSERT ON todos
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
CREATE TRIGGER notes_refuse_deleted_id BEFORE INSERT ON notes
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
CREATE TRIGGER drafts_refuse_deleted_id BEFORE INSERT ON drafts
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
CREATE TRIGGER counters_refuse_deleted_id BEFORE INSERT ON counters
  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();
