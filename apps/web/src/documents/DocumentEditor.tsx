import type { DocumentRow } from '@cr/demo-domain';
import { type FormEvent, useRef } from 'react';
import { focusFirstProblem } from '../edits/focus-problem.ts';
import { MovedNotice } from '../edits/MovedNotice.tsx';
import { useEditForm } from '../edits/use-edit-form.ts';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { saveEdit } from '../edits/write-edit.ts';
import { useSession } from '../session/session-context.ts';
import { Field } from '../ui/Field.tsx';
import { SaveCancel } from '../ui/SaveCancel.tsx';

export type Doc = Pick<DocumentRow, 'id' | 'title' | 'body' | 'version' | 'updated_by' | 'updated_at'>;

const FIELDS = ['title', 'body'] as const;

/**
 * Edits a document on the version it was opened on (edits/edit-base.ts): the save carries that
 * version and the text of each field it changes as the user saw it. If nobody saved in between it
 * becomes that version plus one; if someone did, the server merges the two three ways (strategy 8):
 * changes to different lines both land, lines both changed become a conflict to resolve — never a
 * silent "next version" over text its author did not see.
 */
export function DocumentEditor(props: { doc: Doc; onDone: () => void }) {
  const { db, user } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useEditForm({ table: 'documents', row: props.doc, fields: FIELDS });
  const save = useGuardedAction(async () => {
    if (!form.valid) return focusFirstProblem(formRef.current);
    await saveEdit(db, 'documents', form.base, form.changes, { user, now: new Date().toISOString() });
    props.onDone();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.run();
  };
  const opened = form.base.version as number;
  const now = props.doc.version;

  return (
    <form ref={formRef} className="stacked-form" onSubmit={submit} noValidate data-testid="document-editor">
      <MovedNotice table="documents" row={props.doc} form={form} />
      <Field label="Title" problem={form.problems.title}>
        {(a11y) => (
          <input
            value={form.text.title}
            onChange={(event) => form.setField('title', event.target.value)}
            maxLength={200}
            {...a11y}
          />
        )}
      </Field>
      <Field label="Text" problem={form.problems.body}>
        {(a11y) => (
          <textarea
            rows={6}
            value={form.text.body}
            onChange={(event) => form.setField('body', event.target.value)}
            {...a11y}
          />
        )}
      </Field>
      <SaveCancel
        onCancel={props.onDone}
        saveTestId="document-save"
        busy={save.busy}
        dirty={form.dirty}
        note={
          now === opened
            ? `You are editing version ${opened}; saving makes version ${opened + 1}, or is merged with whoever saves first.`
            : `You opened version ${opened}; the document is now at version ${now}. Saving merges your changes with theirs.`
        }
      />
    </form>
  );
}
