-- Every applied version of a draft (policy option `history`), as revisionsTable defines it.
CREATE TABLE draft_revisions (
  id         uuid PRIMARY KEY,
  row_id     uuid NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  version    integer NOT NULL,
  title      text NOT NULL,
  body       text NOT NULL,
  kind       text NOT NULL,
  author_id  text NOT NULL REFERENCES members (id),
  created_at timestamptz NOT NULL,
  UNIQUE (row_id, version)
);
