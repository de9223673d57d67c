-- Every applied version of a document (issue 11): written by the upload engine in the same
-- transaction as the document version itself (policy option `history`), one row per version
-- (unique per document and version, so a redelivery or a race can never add a second), pruned
-- in that transaction by the retention policy (packages/demo-domain/src/policy.ts). The history
-- goes with its document. Synced to everyone who sees documents, at a lower priority.
CREATE TABLE document_revisions (
  id          uuid PRIMARY KEY,
  row_id      uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  version     integer NOT NULL CHECK (version >= 1),
  title       text NOT NULL,
  body        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('create', 'edit', 'merge', 'resolution', 'restore')),
  author_id   text NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL,
  UNIQUE (row_id, version)
);

ALTER PUBLICATION powersync ADD TABLE document_revisions;
