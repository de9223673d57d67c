import { useQuery } from '@powersync/react';
import { type FormEvent, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { changedFields } from '../ui/changed-fields.ts';
import { FieldChangePanel } from './FieldChangePanel.tsx';
import { recordFieldChanges } from './field-change-writes.ts';
import { StatusOptions } from './StatusOptions.tsx';
import { parsePriority } from './task-labels.ts';
import type { TaskView } from './use-tasks.ts';

/**
 * The tracked editor (strategy 6): saving records one field change per edited field and nothing
 * else. Values are not second-guessed here: the server's worker validates each change and the
 * panel below shows its fate (pending, applied, or failed with the reason, and retry).
 */
export function TaskEditor(props: { view: TaskView; onClose: () => void }) {
  const { db, user } = useSession();
  const shown = props.view.shown.values;
  const { data: users } = useQuery<{ id: string; name: string }>(
    `SELECT id, name FROM users WHERE role IN ('clerk', 'manager') ORDER BY name`,
  );
  const [form, setForm] = useState({
    title: shown.title,
    description: shown.description,
    status: shown.status,
    priority: String(shown.priority),
    due_date: shown.due_date ?? '',
    assignee_id: shown.assignee_id ?? '',
  });
  const [saved, setSaved] = useState<number | null>(null);
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const next = {
      ...form,
      priority: parsePriority(form.priority),
      due_date: form.due_date || null,
      assignee_id: form.assignee_id || null,
    };
    const changes = changedFields(shown as Record<string, unknown>, next, Object.keys(next));
    await recordFieldChanges(db, user.id, 'tasks', shown.id, changes);
    setSaved(Object.keys(changes).length);
  };

  return (
    <section className="panel editor" aria-labelledby="task-editor-title" data-testid="task-editor">
      <div className="panel-heading">
        <h2 id="task-editor-title">Track changes: {shown.title}</h2>
        <button type="button" className="quiet" onClick={props.onClose}>
          Close
        </button>
      </div>
      <form className="stacked-form" onSubmit={(event) => void save(event)} noValidate>
        <label>
          Title
          <input value={form.title} onChange={set('title')} />
        </label>
        <label>
          Description
          <textarea rows={3} value={form.description} onChange={set('description')} />
        </label>
        <div className="form-row">
          <label>
            Status
            <select value={form.status} onChange={set('status')}>
              <StatusOptions />
            </select>
          </label>
          <label>
            Priority (1–5)
            <input inputMode="numeric" value={form.priority} onChange={set('priority')} />
          </label>
          <label>
            Due date
            <input type="date" value={form.due_date} onChange={set('due_date')} />
          </label>
          <label>
            Assignee
            <select value={form.assignee_id} onChange={set('assignee_id')}>
              <option value="">Nobody</option>
              {users.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" className="primary" data-testid="task-editor-save">
            Save changes
          </button>
          {saved !== null && (
            <span className="hint" role="status">
              {saved === 0 ? 'Nothing changed.' : `${saved} change${saved === 1 ? '' : 's'} recorded.`}
            </span>
          )}
        </div>
      </form>
      <FieldChangePanel changes={props.view.changes} />
    </section>
  );
}
