import type { ReactNode } from 'react';

/**
 * The footer of an edit form: a primary submit button (disabled while the save runs, so a double
 * click is one save) and a button that closes the form — "Discard changes" once something was
 * typed, so it never reads like an action on the record ("Cancel" next to "Cancel order").
 */
export function SaveCancel(props: {
  onCancel: () => void;
  saveTestId?: string;
  busy?: boolean;
  dirty?: boolean;
  children?: ReactNode;
  note?: ReactNode;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className="primary" data-testid={props.saveTestId} disabled={props.busy}>
        {props.children ?? 'Save'}
      </button>
      <button type="button" onClick={props.onCancel} data-testid="form-close">
        {props.dirty ? 'Discard changes' : 'Close'}
      </button>
      {props.note && <span className="hint">{props.note}</span>}
    </div>
  );
}
