import { useState } from 'react';
import { stuckUpload } from '../powersync/upload-events.ts';
import { useSession } from '../session/session-context.ts';
import { useStore } from '../ui/store.ts';
import { discardStuck, exportStuck, retryStuck } from './stuck-upload.ts';

function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * A transaction the server will never accept as it is (too large, unreadable, another user's
 * client id) blocks every change made after it. Instead of being retried silently forever, it
 * is shown here with the server's reason, and the user exports it (a JSON file of the changes),
 * discards it (after a confirmation), or tries again.
 */
export function StuckUploadNotice() {
  const stuck = useStore(stuckUpload);
  const { db } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!stuck) return null;
  const count = stuck.operations === 1 ? 'One change' : `${stuck.operations} changes`;
  const act = (work: () => Promise<unknown>) => {
    setBusy(true);
    work().finally(() => {
      setBusy(false);
      setConfirming(false);
    });
  };
  return (
    <section className="notice notice-error stuck-upload" role="alert" data-testid="stuck-upload">
      <div>
        <strong>{count} made together cannot be uploaded.</strong> The server refused them and will not accept them as
        they are: <span data-testid="stuck-upload-reason">{stuck.message}</span> Changes made after them wait behind
        them. Export them to keep a copy, then discard them here.
      </div>
      <div className="stuck-upload-actions">
        <button
          type="button"
          disabled={busy}
          data-testid="stuck-upload-export"
          onClick={() =>
            act(async () => {
              const file = await exportStuck(db, stuck);
              if (file) download(file.filename, file.text);
            })
          }
        >
          Export
        </button>
        {confirming ? (
          <button
            type="button"
            className="danger"
            disabled={busy}
            data-testid="stuck-upload-confirm-discard"
            onClick={() => act(() => discardStuck(db, stuck))}
          >
            Discard {stuck.operations === 1 ? 'it' : `all ${stuck.operations}`} for good
          </button>
        ) : (
          <button type="button" disabled={busy} data-testid="stuck-upload-discard" onClick={() => setConfirming(true)}>
            Discard…
          </button>
        )}
        <button type="button" className="quiet" disabled={busy} onClick={retryStuck}>
          Try again
        </button>
      </div>
    </section>
  );
}
