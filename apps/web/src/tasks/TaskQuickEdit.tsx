import { type FormEvent, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { changedFields } from '../ui/changed-fields.ts';
import { SaveCancel } from '../ui/SaveCancel.tsx';
import { StatusOptions } from './StatusOptions.tsx';
import { updateTask } from './task-writes.ts';
import type { Task } from './use-tasks.ts';

/** The quick edit: writes the task row itself, checked by timestamp when it uploads. */
export function TaskQuickEdit(props: { task: Task; onDone: () => void }) {
  const { db, user } = useSession();
  const { task } = props;
  const [title, setTitle] = useState(task.title);
  const [status, setStatus] = useState(task.status);
  const [priority, setPriority] = useState(String(task.priority));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const changes = changedFields(task, { title, status, priority: Number(priority) }, ['title', 'status', 'priority']);
    await updateTask(db, task, changes, user.id);
    props.onDone();
  };

  return (
    <form className="inline-form" onSubmit={(event) => void save(event)} data-testid="task-quick-edit-form">
      <label>
        Title
        <input value={title} onChange={(event) => setTitle(event.target.value)} required maxLength={200} />
      </label>
      <label>
        Status
        <select value={status} onChange={(event) => setStatus(event.target.value as Task['status'])}>
          <StatusOptions />
        </select>
      </label>
      <label>
        Priority
        <select value={priority} onChange={(event) => setPriority(event.target.value)}>
          {[1, 2, 3, 4, 5].map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </label>
      <SaveCancel onCancel={props.onDone} />
    </form>
  );
}
