import { canWriteTable } from '@cr/strategies';
import { useQuery } from '@powersync/react';
import { type FormEvent, useState } from 'react';
import { RejectionList } from '../rejections/RejectionList.tsx';
import { useSession } from '../session/session-context.ts';
import { formatWhen } from '../ui/format.ts';
import { StrategyNote } from '../ui/StrategyNote.tsx';
import { useUserNames } from '../ui/use-user-names.ts';
import { type Doc, DocumentEditor } from './DocumentEditor.tsx';
import { createDocument } from './document-writes.ts';

function NewDocumentForm() {
  const { db, user } = useSession();
  const [title, setTitle] = useState('');
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    await createDocument(db, user.id, title.trim(), '');
    setTitle('');
  };
  return (
    <form className="add-form" onSubmit={(event) => void add(event)}>
      <label className="grow">
        New document
        <input value={title} onChange={(event) => setTitle(event.target.value)} placeholder="Title" maxLength={200} />
      </label>
      <button type="submit" className="primary">
        Add document
      </button>
    </form>
  );
}

/** Documents: sequence-number versions; of two edits of the same version one wins, one conflicts. */
export function DocumentsScreen() {
  const { user } = useSession();
  const nameOf = useUserNames();
  const { data: docs } = useQuery<Doc>(
    'SELECT id, title, body, version, updated_by, updated_at FROM documents ORDER BY title, id',
  );
  const [editingId, setEditingId] = useState<string | null>(null);
  const canWrite = canWriteTable(user.role, 'documents');

  return (
    <>
      <StrategyNote title="Documents" strategy="Version numbers">
        Every document carries a version number, and saving creates the next one. The server applies your edit only if
        the document is still at the version you edited; no clocks involved. When two people edit the same version,
        whoever reaches the server first wins and the other edit becomes a conflict in the banner (“you edited version
        3, the server is at 4”), where you keep yours, keep the server’s, or merge field by field.
      </StrategyNote>
      <RejectionList tables={['documents']} />
      {canWrite && <NewDocumentForm />}
      <ul className="rows" aria-label="Documents">
        {docs.map((doc) => (
          <li key={doc.id} className="row-card" data-testid="document-card" data-row-id={doc.id}>
            <div className="row-main">
              <p className="row-title">
                <span data-testid="document-title">{doc.title}</span>
                <span className="chip" data-testid="document-version">
                  v{doc.version}
                </span>
              </p>
              <p className="doc-body" data-testid="document-body">
                {doc.body || <span className="hint">(empty)</span>}
              </p>
              <p className="meta">
                saved {formatWhen(doc.updated_at)} by {nameOf(doc.updated_by)}
              </p>
            </div>
            {canWrite && editingId !== doc.id && (
              <div className="row-actions">
                <button type="button" onClick={() => setEditingId(doc.id)} data-testid="document-edit">
                  Edit
                </button>
              </div>
            )}
            {editingId === doc.id && <DocumentEditor doc={doc} onDone={() => setEditingId(null)} />}
          </li>
        ))}
      </ul>
    </>
  );
}
