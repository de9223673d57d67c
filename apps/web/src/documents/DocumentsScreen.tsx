import { policy } from '@cr/demo-domain';
import { useQuery } from '@powersync/react';
import { useState } from 'react';
import { DocumentHistory } from '../history/DocumentHistory.tsx';
import { RejectionList } from '../rejections/RejectionList.tsx';
import { useSession } from '../session/session-context.ts';
import { PendingMark } from '../sync-status/PendingMark.tsx';
import { formatWhen } from '../ui/format.ts';
import { ReadOnlyNote } from '../ui/ReadOnlyNote.tsx';
import { StrategyNote } from '../ui/StrategyNote.tsx';
import { useUserNames } from '../ui/use-user-names.ts';
import { type Doc, DocumentEditor } from './DocumentEditor.tsx';
import { NewDocumentForm } from './NewDocumentForm.tsx';

function DocumentCard(props: { doc: Doc; canWrite: boolean; editing: boolean; onEdit: (open: boolean) => void }) {
  const { doc } = props;
  const nameOf = useUserNames();
  const [history, setHistory] = useState(false);
  return (
    <li className="row-card" data-testid="document-card" data-row-id={doc.id}>
      <div className="row-main">
        <p className="row-title">
          <span data-testid="document-title">{doc.title}</span>
          <span className="chip" data-testid="document-version">
            v{doc.version}
          </span>
          <PendingMark table="documents" id={doc.id} />
        </p>
        <p className="doc-body" data-testid="document-body">
          {doc.body || <span className="hint">(empty)</span>}
        </p>
        <p className="meta">
          saved {formatWhen(doc.updated_at)} by {nameOf(doc.updated_by)}
        </p>
      </div>
      {!props.editing && (
        <div className="row-actions">
          {props.canWrite && (
            <button type="button" onClick={() => props.onEdit(true)} data-testid="document-edit">
              Edit
            </button>
          )}
          <button
            type="button"
            onClick={() => setHistory((open) => !open)}
            aria-expanded={history}
            data-testid="document-history-toggle"
          >
            History
          </button>
        </div>
      )}
      {props.editing && <DocumentEditor doc={doc} onDone={() => props.onEdit(false)} />}
      {history && <DocumentHistory doc={doc} canWrite={props.canWrite} />}
    </li>
  );
}

/** Documents: versions, and edits of an older version merged three ways (strategy 8). */
export function DocumentsScreen() {
  const { user } = useSession();
  const { data: docs } = useQuery<Doc>(
    'SELECT id, title, body, version, updated_by, updated_at FROM documents ORDER BY title, id',
  );
  const [editingId, setEditingId] = useState<string | null>(null);
  const canWrite = policy.canWrite(user.role, 'documents');

  return (
    <>
      <StrategyNote title="Documents" strategy="Three-way merge">
        Every document carries a version number, and saving creates the next one. When two people edit the same version,
        the second save is merged with the first, paragraph by paragraph: edits of different paragraphs both land in the
        next version, and you are told which lines came from the other person. Only lines you both changed become a
        conflict in the banner, where you keep yours, keep the server’s, or merge. Every version is kept in the
        document’s history. If someone saves while your editor is open, the editor says so at once.
      </StrategyNote>
      <RejectionList tables={['documents']} />
      {canWrite ? <NewDocumentForm /> : <ReadOnlyNote role={user.role} what="documents" />}
      <ul className="rows" aria-label="Documents">
        {docs.map((doc) => (
          <DocumentCard
            key={doc.id}
            doc={doc}
            canWrite={canWrite}
            editing={editingId === doc.id}
            onEdit={(open) => setEditingId(open ? doc.id : null)}
          />
        ))}
      </ul>
    </>
  );
}
