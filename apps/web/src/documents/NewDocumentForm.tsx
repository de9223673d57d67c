import { policy } from '@cr/demo-domain';
import { type FormEvent, useState } from 'react';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { useSession } from '../session/session-context.ts';
import { Field } from '../ui/Field.tsx';
import { createDocument } from './document-writes.ts';

export function NewDocumentForm() {
  const { db, user } = useSession();
  const [title, setTitle] = useState('');
  const [tried, setTried] = useState(false);
  const problem = title !== '' || tried ? policy.checkFields('documents', { title })[0]?.hint : undefined;
  const add = useGuardedAction(async (value: string) => {
    setTried(true);
    if (policy.checkFields('documents', { title: value }).length > 0) return;
    await createDocument(db, user.id, value.trim(), '');
    // Only if it still holds what was added: the user may have typed the next one meanwhile.
    setTitle((current) => (current === value ? '' : current));
    setTried(false);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.run(title);
  };
  return (
    <form className="add-form" onSubmit={submit} noValidate>
      <Field label="New document" className="grow" problem={problem}>
        {(a11y) => (
          <input
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            placeholder="Title"
            maxLength={200}
            data-testid="new-document-title"
            {...a11y}
          />
        )}
      </Field>
      <button type="submit" className="primary" aria-busy={add.busy} data-testid="new-document-add">
        Add document
      </button>
    </form>
  );
}
