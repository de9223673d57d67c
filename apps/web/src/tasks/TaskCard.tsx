import { useState } from 'react';
import { PendingMark } from '../sync-status/PendingMark.tsx';
import { formatWhen } from '../ui/format.ts';
import { useUserNames } from '../ui/use-user-names.ts';
import { TaskQuickEdit } from './TaskQuickEdit.tsx';
import { statusLabel } from './task-labels.ts';
import type { TaskView } from './use-tasks.ts';

function FieldMark(props: { field: string; view: TaskView }) {
  if (props.view.shown.pending.has(props.field)) {
    return (
      <span className="chip chip-pending" title="Waiting for the server">
        pending
      </span>
    );
  }
  if (props.view.shown.failed.has(props.field)) return <span className="chip chip-failed">failed</span>;
  return null;
}

/** One task in the list: the values you expect (pending changes marked), quick edit, editor. */
export function TaskCard(props: { view: TaskView; selected: boolean; canWrite: boolean; onOpenEditor: () => void }) {
  const { view } = props;
  const task = view.shown.values;
  const nameOf = useUserNames();
  const [editing, setEditing] = useState(false);

  return (
    <li className={`row-card${props.selected ? ' selected' : ''}`} data-testid="task-card" data-row-id={task.id}>
      <div className="row-main">
        <p className="row-title">
          <span data-testid="task-title">{task.title}</span> <FieldMark field="title" view={view} />
          <PendingMark table="tasks" id={task.id} />
        </p>
        <p className="meta">
          <span className={`status status-${task.status}`} data-testid="task-status">
            {statusLabel(task.status)}
          </span>
          <FieldMark field="status" view={view} />
          <span data-testid="task-priority">P{task.priority}</span>
          <FieldMark field="priority" view={view} />
          <span>
            changed {formatWhen(view.row.modified_at)} by {nameOf(view.row.modified_by)}
          </span>
        </p>
      </div>
      {props.canWrite && (
        <div className="row-actions">
          <button
            type="button"
            onClick={() => setEditing((value) => !value)}
            aria-expanded={editing}
            data-testid="task-quick-edit"
          >
            Quick edit
          </button>
          <button type="button" onClick={props.onOpenEditor} data-testid="task-open-editor">
            Track changes
          </button>
        </div>
      )}
      {editing && <TaskQuickEdit task={view.row} onDone={() => setEditing(false)} />}
    </li>
  );
}
