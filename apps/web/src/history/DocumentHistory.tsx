import { useQuery } from '@powersync/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { useSession } from '../session/session-context.ts';
import { formatWhen } from '../ui/format.ts';
import { useUserNames } from '../ui/use-user-names.ts';
import {
  defaultPair,
  historyOrder,
  kindWords,
  type Revision,
  restoreChanges,
  type ShownDocument,
  undoTarget,
} from './history-model.ts';
import { RevisionDiff } from './RevisionDiff.tsx';
import { restoreRevision } from './restore-revision.ts';

/**
 * A document's history, from the synced revisions (so it works offline): every kept version with
 * who made it, when and how; any two compared; "restore this version", and "undo" of a conflict
 * resolution (restoring the version before it) — each a new edit of the document as shown here,
 * which the server merges with versions not seen yet, never writing over them.
 */
export function DocumentHistory(props: { doc: ShownDocument; canWrite: boolean }) {
  const { db, user } = useSession();
  const nameOf = useUserNames();
  const { doc } = props;
  const { data } = useQuery<Revision>(
    `SELECT id, row_id, version, title, body, kind, author_id, created_at
       FROM document_revisions WHERE row_id = ? ORDER BY version DESC`,
    [doc.id],
  );
  const ordered = useMemo(() => historyOrder(data), [data]);
  const [picked, setPicked] = useState<{ from: number; to: number } | null>(null);
  const pair = picked ?? defaultPair(ordered);
  // What the last restore did; `n` tells two equal notices apart, so each one takes the focus.
  const [notice, setNotice] = useState({ text: '', n: 0 });
  const noticeRef = useRef<HTMLParagraphElement>(null);
  // The button pressed may now be gone (that version is the current text): the focus goes to the news.
  useEffect(() => {
    if (notice.n > 0) noticeRef.current?.focus({ preventScroll: true });
  }, [notice]);
  const byVersion = new Map(ordered.map((revision) => [revision.version, revision]));
  const from = pair ? byVersion.get(pair.from) : undefined;
  const to = pair ? byVersion.get(pair.to) : undefined;

  const restore = useGuardedAction(async (revision: Revision, undoing: Revision | null) => {
    const saved = await restoreRevision(db, doc, revision, { user, now: new Date().toISOString() });
    const text = saved
      ? `${undoing ? `Resolution of version ${undoing.version} undone: version ${revision.version}` : `Version ${revision.version}`} restored as version ${doc.version + 1}.`
      : `The document already reads like version ${revision.version}; nothing to restore.`;
    setNotice((current) => ({ text, n: current.n + 1 }));
  });
  const choose = (end: 'from' | 'to', version: number) => {
    const base = pair ?? { from: version, to: version };
    setPicked({ ...base, [end]: version });
  };

  return (
    <section className="document-history" aria-label={`History of “${doc.title}”`} data-testid="document-history">
      <h3>History</h3>
      {ordered.length === 0 ? (
        <p className="hint">No versions here yet: the history arrives after the documents when this device syncs.</p>
      ) : (
        <ol className="history-list" aria-label="Versions, newest first">
          {ordered.map((revision) => {
            const undoTo = undoTarget(ordered, revision);
            const canRestore = props.canWrite && restoreChanges(doc, revision) !== null;
            const canUndo = props.canWrite && undoTo !== null && restoreChanges(doc, undoTo) !== null;
            return (
              <li
                key={revision.id}
                className="history-entry"
                data-testid="history-entry"
                data-version={revision.version}
                data-kind={revision.kind}
              >
                <p className="history-line">
                  <span className="chip">v{revision.version}</span>
                  <span className="history-kind" data-testid="history-kind">
                    {kindWords(revision.kind)}
                  </span>
                  <span className="meta">
                    by {nameOf(revision.author_id)} · {formatWhen(revision.created_at)}
                    {revision.version === doc.version ? ' · current' : ''}
                  </span>
                </p>
                <div className="history-actions">
                  {(['from', 'to'] as const).map((end) => (
                    <label key={end}>
                      <input
                        type="radio"
                        name={`${doc.id}-compare-${end}`}
                        checked={pair?.[end] === revision.version}
                        onChange={() => choose(end, revision.version)}
                        data-testid={`history-${end}-${revision.version}`}
                      />
                      compare {end}
                      <span className="visually-hidden"> version {revision.version}</span>
                    </label>
                  ))}
                  {canRestore && (
                    <button
                      type="button"
                      disabled={restore.busy}
                      onClick={() => restore.run(revision, null)}
                      data-testid={`history-restore-${revision.version}`}
                    >
                      Restore this version<span className="visually-hidden"> ({revision.version})</span>
                    </button>
                  )}
                  {canUndo && undoTo && (
                    <button
                      type="button"
                      disabled={restore.busy}
                      onClick={() => restore.run(undoTo, revision)}
                      data-testid={`history-undo-${revision.version}`}
                    >
                      Undo this resolution (back to version {undoTo.version})
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {from && to && <RevisionDiff a={from} b={to} />}
      <p ref={noticeRef} tabIndex={-1} className="history-notice" role="status" data-testid="history-notice">
        {notice.text}
      </p>
    </section>
  );
}
