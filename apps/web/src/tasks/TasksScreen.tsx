import { policy } from '@cr/demo-domain';
import { useState } from 'react';
import { RejectionList } from '../rejections/RejectionList.tsx';
import { useSession } from '../session/session-context.ts';
import { ReadOnlyNote } from '../ui/ReadOnlyNote.tsx';
import { StrategyNote } from '../ui/StrategyNote.tsx';
import { NewTaskForm } from './NewTaskForm.tsx';
import { TaskCard } from './TaskCard.tsx';
import { TaskEditor } from './TaskEditor.tsx';
import { useTasks } from './use-tasks.ts';

/** Tasks: timestamp staleness detection for direct edits, change tracking in the editor. */
export function TasksScreen() {
  const { user } = useSession();
  const views = useTasks();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = views.find((view) => view.row.id === selectedId) ?? null;
  const canWrite = policy.canWrite(user.role, 'tasks');

  return (
    <>
      <StrategyNote title="Tasks" strategy="Timestamp detection · change tracking">
        A quick edit changes the task and stamps it with the time of the edit. When it uploads, the server checks that
        the task is still the version you opened; if someone changed it in between, your edit is not applied but
        recorded as a conflict in the banner above, with both versions side by side (an open form also tells you at once
        when someone else saves). The “Track changes” editor instead records each field you change separately: the panel
        shows each change pending until the server applies it, or failed with the reason, and lets you correct and retry
        it.
      </StrategyNote>
      <RejectionList tables={['tasks', 'field_changes']} />
      {canWrite ? <NewTaskForm /> : <ReadOnlyNote role={user.role} what="tasks" />}
      <div className={selected ? 'split' : undefined}>
        <ul className="rows" aria-label="Tasks">
          {views.map((view) => (
            <TaskCard
              key={view.row.id}
              view={view}
              selected={view.row.id === selectedId}
              canWrite={canWrite}
              onOpenEditor={() => setSelectedId(view.row.id)}
            />
          ))}
        </ul>
        {selected && <TaskEditor key={selected.row.id} view={selected} onClose={() => setSelectedId(null)} />}
      </div>
    </>
  );
}
