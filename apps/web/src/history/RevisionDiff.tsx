import { useMemo } from 'react';
import { DiffText } from '../ui/DiffText.tsx';
import { fieldLabel } from '../ui/field-labels.ts';
import { type Revision, revisionDiff } from './history-model.ts';

/** Two versions of a document, the older one's text with what the newer one changed marked. */
export function RevisionDiff(props: { a: Revision; b: Revision }) {
  const { older, newer, fields } = useMemo(() => revisionDiff(props.a, props.b), [props.a, props.b]);
  const same = older.version === newer.version;
  return (
    <section className="revision-diff" aria-label="Differences between the chosen versions" data-testid="history-diff">
      <h4>
        {same ? `Version ${older.version}` : `Version ${older.version} → version ${newer.version}`}
        {same ? ' (choose two different versions to compare)' : ''}
      </h4>
      {fields.map(({ field, segments, changed }) => (
        <div key={field} className="revision-field" data-field={field}>
          <p className="meta">
            {fieldLabel('documents', field)}
            {same ? '' : changed ? '' : ' — unchanged'}
          </p>
          <DiffText segments={segments} testId={`history-diff-${field}`} />
        </div>
      ))}
    </section>
  );
}
