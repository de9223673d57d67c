import { TASK_TRACKED_FIELDS } from '@cr/demo-domain';
import { sameValue } from '@cr/schema';
import { useQuery } from '@powersync/react';
import { type FormEvent, useRef, useState } from 'react';
import { focusFirstProblem } from '../edits/focus-problem.ts';
import { MovedNotice } from '../edits/MovedNotice.tsx';
import { useEditForm } from '../edits/use-edit-form.ts';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { useSession } from '../session/session-context.ts';
import { Field } from '../ui/Field.tsx';
import { fieldLabel } from '../ui/field-labels.ts';
import { FieldChangePanel } from './FieldChangePanel.tsx';
import { decodeChangeValue } from './field-change-overlay.ts';
import { recordFieldChanges } from './field-change-writes.ts';
import { StatusOptions } from './StatusOptions.tsx';
import { parsePriority } from './task-labels.ts';
import type { TaskView } from './use-tasks.ts';

/** The latest failed value of each field: the editor does not send it again (retry it in the panel). */
function failedValues(view: TaskView): Map<string, unknown> {
  const failed = new Map<string, unknown>();
  for (const change of view.changes) {
    if (change.status === 'failed' && view.shown.failed.has(change.field_name) && !failed.has(change.field_name)) {
      failed.set(change.field_name, decodeChangeValue(change));
    }
  }
  return failed;
}

/**
 * The tracked editor (strategy 6): saving records one field change per field the user changed
 * (relative to what the editor showed when it opened, edits/edit-base.ts) and nothing else. Values
 * are checked as they are typed with the server's validators; the server's worker still judges
 * each change and the panel below shows its fate (pending, applied, failed with the reason).
 */
export function TaskEditor(props: { view: TaskView; onClose: () => void }) {
  const { db, user } = useSession();
  const { view } = props;
  const shown = view.shown.values;
  const formRef = useRef<HTMLFormElement>(null);
  const { data: users } = useQuery<{ id: string; name: string }>(
    `SELECT id, name FROM users WHERE role IN ('clerk', 'manager') ORDER BY name`,
  );
  const form = useEditForm({
    table: 'tasks',
    row: shown,
    fields: TASK_TRACKED_FIELDS,
    parse: (field, text) => ({
      value:
        field === 'priority'
          ? parsePriority(text)
          : field === 'due_date' || field === 'assignee_id'
            ? text || null
            : text,
    }),
    // Fields with my own pending or failed tracked changes move because of me: not reported.
    watch: TASK_TRACKED_FIELDS.filter((field) => !view.shown.failed.has(field) && !view.shown.pending.has(field)),
  });
  const [saved, setSaved] = useState<string | null>(null);
  const failed = failedValues(view);
  const resend = Object.keys(form.changes).filter(
    (field) => failed.has(field) && sameValue(failed.get(field), form.changes[field]),
  );

  const save = useGuardedAction(async () => {
    if (!form.valid) return focusFirstProblem(formRef.current);
    const changes = Object.fromEntries(Object.entries(form.changes).filter(([field]) => !resend.includes(field)));
    await recordFieldChanges(db, user.id, 'tasks', shown.id, changes);
    form.commit(changes);
    const count = Object.keys(changes).length;
    setSaved(count === 0 ? 'Nothing new to record.' : `${count} change${count === 1 ? '' : 's'} recorded.`);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.run();
  };
  const input = (field: (typeof TASK_TRACKED_FIELDS)[number]) => ({
    value: form.text[field],
    onChange: (event: { target: { value: string } }) => {
      setSaved(null);
      form.setField(field, event.target.value);
    },
  });

  return (
    <section className="panel editor" aria-labelledby="task-editor-title" data-testid="task-editor">
      <div className="panel-heading">
        <h2 id="task-editor-title">Track changes: {shown.title}</h2>
        <button type="button" className="quiet" onClick={props.onClose}>
          Close
        </button>
      </div>
      <form ref={formRef} className="stacked-form" onSubmit={submit} noValidate>
        <MovedNotice
          table="tasks"
          row={shown}
          form={form}
          note="Tracked changes apply field by field: only the fields you change are sent, each replacing the value it finds."
        />
        <Field label="Title" problem={form.problems.title}>
          {(a11y) => <input {...input('title')} {...a11y} />}
        </Field>
        <Field label="Description" problem={form.problems.description}>
          {(a11y) => <textarea rows={3} {...input('description')} {...a11y} />}
        </Field>
        <div className="form-row">
          <Field label="Status" problem={form.problems.status}>
            {(a11y) => (
              <select {...input('status')} {...a11y}>
                <StatusOptions />
              </select>
            )}
          </Field>
          <Field label="Priority (1–5)" problem={form.problems.priority}>
            {(a11y) => <input inputMode="numeric" {...input('priority')} {...a11y} />}
          </Field>
          <Field label="Due date" problem={form.problems.due_date}>
            {(a11y) => <input type="date" {...input('due_date')} {...a11y} />}
          </Field>
          <Field label="Assignee" problem={form.problems.assignee_id}>
            {(a11y) => (
              <select {...input('assignee_id')} {...a11y}>
                <option value="">Nobody</option>
                {users.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {resend.length > 0 && (
          <p className="hint" data-testid="editor-resend-note">
            {resend.map((field) => fieldLabel('tasks', field)).join(', ')}: this value already failed; correct or
            discard it in the panel below. It is not sent again.
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" data-testid="task-editor-save" disabled={save.busy}>
            Save changes
          </button>
          {saved !== null && (
            <span className="hint" role="status">
              {saved}
            </span>
          )}
        </div>
      </form>
      <FieldChangePanel changes={view.changes} />
    </section>
  );
}
