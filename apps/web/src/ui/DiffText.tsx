import type { DiffSegment } from './text-diff.ts';

/**
 * Text with its changes marked: added words in `<ins>`, removed ones in `<del>`, each also named
 * for screen readers (most do not announce the elements themselves). Line ends are kept.
 */
export function DiffText(props: { segments: readonly DiffSegment[]; testId?: string }) {
  let offset = 0;
  return (
    <div className="diff-text" data-testid={props.testId}>
      {props.segments.map((segment) => {
        // Where the segment starts in the two texts joined: unique, and stable for the same diff.
        const key = `${segment.change}-${offset}`;
        offset += segment.text.length;
        if (segment.change === 'added') {
          return (
            <ins key={key}>
              <span className="visually-hidden">[added: </span>
              {segment.text}
              <span className="visually-hidden">]</span>
            </ins>
          );
        }
        if (segment.change === 'removed') {
          return (
            <del key={key}>
              <span className="visually-hidden">[removed: </span>
              {segment.text}
              <span className="visually-hidden">]</span>
            </del>
          );
        }
        return <span key={key}>{segment.text}</span>;
      })}
    </div>
  );
}
