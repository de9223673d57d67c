import { type FormEvent, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { createTask } from './task-writes.ts';

export function NewTaskForm() {
  const { db, user } = useSession();
  const [title, setTitle] = useState('');
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    await createTask(db, user.id, title.trim());
    setTitle('');
  };
  return (
    <form className="add-form" onSubmit={(event) => void add(event)}>
      <label className="grow">
        New task
        <input
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          placeholder="What needs doing?"
          maxLength={200}
          data-testid="new-task-title"
        />
      </label>
      <button type="submit" className="primary" data-testid="new-task-add">
        Add task
      </button>
    </form>
  );
}
