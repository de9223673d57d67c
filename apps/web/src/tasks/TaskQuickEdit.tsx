import { type FormEvent, useRef } from 'react';
import { focusFirstProblem } from '../edits/focus-problem.ts';
import { MovedNotice } from '../edits/MovedNotice.tsx';
import { useEditForm } from '../edits/use-edit-form.ts';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { saveEdit } from '../edits/write-edit.ts';
import { useSession } from '../session/session-context.ts';
import { Field } from '../ui/Field.tsx';
import { SaveCancel } from '../ui/SaveCancel.tsx';
import { StatusOptions } from './StatusOptions.tsx';
import { parsePriority } from './task-labels.ts';
import type { Task } from './use-tasks.ts';

const FIELDS = ['title', 'status', 'priority'] as const;

/**
 * The quick edit: writes the task row itself, checked by timestamp when it uploads. The edit is
 * made on the task as the form opened (edits/edit-base.ts): only the fields changed here are
 * written, and a rename by someone else meanwhile makes the save a conflict, never a revert.
 */
export function TaskQuickEdit(props: { task: Task; onDone: () => void }) {
  const { db, user } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useEditForm({
    table: 'tasks',
    row: props.task,
    fields: FIELDS,
    parse: (field, text) => ({ value: field === 'priority' ? parsePriority(text) : text }),
  });
  const save = useGuardedAction(async () => {
    if (!form.valid) return focusFirstProblem(formRef.current);
    await saveEdit(db, 'tasks', form.base, form.changes, { user, now: new Date().toISOString() });
    props.onDone();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.run();
  };

  return (
    <form ref={formRef} className="inline-form" onSubmit={submit} noValidate data-testid="task-quick-edit-form">
      <MovedNotice table="tasks" row={props.task} form={form} />
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
      <Field label="Status" problem={form.problems.status}>
        {(a11y) => (
          <select value={form.text.status} onChange={(event) => form.setField('status', event.target.value)} {...a11y}>
            <StatusOptions />
          </select>
        )}
      </Field>
      <Field label="Priority" problem={form.problems.priority}>
        {(a11y) => (
          <select
            value={form.text.priority}
            onChange={(event) => form.setField('priority', event.target.value)}
            {...a11y}
          >
            {[1, 2, 3, 4, 5].map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        )}
      </Field>
      <SaveCancel onCancel={props.onDone} busy={save.busy} dirty={form.dirty} saveTestId="task-quick-save" />
    </form>
  );
}
