-- Domain tables: the data end users edit. Every column here is mirrored in packages/schema
-- (a test compares the two). Ids are client-generated UUIDs, except users (demo logins).

CREATE TABLE users (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_-]{0,63}$'),
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('clerk', 'manager', 'doctor', 'nurse', 'reviewer'))
);

-- Strategy 1, timestamp staleness: modified_at is the version the client last saw.
CREATE TABLE tasks (
  id          uuid PRIMARY KEY,
  title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
  status      text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'done')),
  priority    integer NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
  due_date    date,
  assignee_id text REFERENCES users (id),
  created_by  text NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL,
  modified_at timestamptz NOT NULL,
  modified_by text NOT NULL REFERENCES users (id)
);

-- Strategy 2, sequence-number versioning: version is bumped by exactly one per accepted edit.
CREATE TABLE documents (
  id          uuid PRIMARY KEY,
  title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  body        text NOT NULL DEFAULT '' CHECK (char_length(body) <= 100000),
  version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_by  text NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL,
  updated_by  text NOT NULL REFERENCES users (id),
  updated_at  timestamptz NOT NULL
);

-- Strategy 3, field-level last-write-wins: field_versions holds, per field, when and by whom
-- the winning value was written ({"diagnosis": {"at": "...", "by": "dan"}}).
CREATE TABLE patients (
  id             uuid PRIMARY KEY,
  name           text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  date_of_birth  date,
  diagnosis      text NOT NULL DEFAULT '' CHECK (char_length(diagnosis) <= 2000),
  treatment      text NOT NULL DEFAULT '' CHECK (char_length(treatment) <= 2000),
  heart_rate     integer CHECK (heart_rate BETWEEN 20 AND 250),
  blood_pressure text CHECK (blood_pressure ~ '^[0-9]{2,3}/[0-9]{2,3}$'),
  temperature    double precision CHECK (temperature BETWEEN 30 AND 45),
  notes          text NOT NULL DEFAULT '' CHECK (char_length(notes) <= 5000),
  field_versions jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_by     text NOT NULL REFERENCES users (id),
  updated_at     timestamptz NOT NULL
);

-- Strategy 7, cumulative deltas: quantity changes arrive as deltas and may never go below zero.
CREATE TABLE inventory (
  id          uuid PRIMARY KEY,
  sku         text NOT NULL UNIQUE CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'),
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  quantity    integer NOT NULL DEFAULT 0 CHECK (quantity >= 0),
  updated_by  text NOT NULL REFERENCES users (id),
  updated_at  timestamptz NOT NULL
);

-- Strategy 4, business rules: status transitions, locks, manager-only price changes.
CREATE TABLE orders (
  id          uuid PRIMARY KEY,
  customer    text NOT NULL CHECK (char_length(customer) BETWEEN 1 AND 200),
  product_id  uuid REFERENCES inventory (id),
  quantity    integer NOT NULL CHECK (quantity >= 0),
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  status      text NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'processing', 'shipped', 'completed', 'cancelled')),
  created_by  text NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL,
  updated_by  text NOT NULL REFERENCES users (id),
  updated_at  timestamptz NOT NULL
);
CREATE INDEX orders_status_idx ON orders (status);
