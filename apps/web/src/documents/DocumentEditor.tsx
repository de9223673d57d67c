import type { DocumentRow } from '@cr/schema';
import { type FormEvent, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { changedFields } from '../ui/changed-fields.ts';
import { SaveCancel } from '../ui/SaveCancel.tsx';
import { saveDocument } from './document-writes.ts';

export type Doc = Pick<DocumentRow, 'id' | 'title' | 'body' | 'version' | 'updated_by' | 'updated_at'>;

export function DocumentEditor(props: { doc: Doc; onDone: () => void }) {
  const { db, user } = useSession();
  const [title, setTitle] = useState(props.doc.title);
  const [body, setBody] = useState(props.doc.body);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    await saveDocument(db, props.doc.id, changedFields(props.doc, { title, body }, ['title', 'body']), user.id);
    props.onDone();
  };

  return (
    <form className="stacked-form" onSubmit={(event) => void save(event)} data-testid="document-editor">
      <label>
        Title
        <input value={title} onChange={(event) => setTitle(event.target.value)} required maxLength={200} />
      </label>
      <label>
        Text
        <textarea rows={6} value={body} onChange={(event) => setBody(event.target.value)} />
      </label>
      <SaveCancel onCancel={props.onDone} saveTestId="document-save">
        Save as version {props.doc.version + 1}
      </SaveCancel>
    </form>
  );
}
