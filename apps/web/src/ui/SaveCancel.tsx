import type { ReactNode } from 'react';

/** The footer of an edit form: a primary submit button and Cancel. */
export function SaveCancel(props: { onCancel: () => void; saveTestId?: string; children?: ReactNode }) {
  return (
    <div className="form-actions">
      <button type="submit" className="primary" data-testid={props.saveTestId}>
        {props.children ?? 'Save'}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
