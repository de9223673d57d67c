import { type ReactNode, useId } from 'react';

export interface FieldA11y {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/**
 * A labelled input and, under it, why its value would be refused (said as soon as it is typed,
 * online or offline). The message is tied to the input for screen readers.
 */
export function Field(props: {
  label: ReactNode;
  problem?: string | undefined;
  className?: string | undefined;
  problemTestId?: string;
  children: (a11y: FieldA11y) => ReactNode;
}) {
  const id = useId();
  const problemId = `${id}-problem`;
  const a11y: FieldA11y = props.problem ? { id, 'aria-invalid': true, 'aria-describedby': problemId } : { id };
  return (
    <div className={`field${props.className ? ` ${props.className}` : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(a11y)}
      {props.problem && (
        <p id={problemId} className="field-problem" data-testid={props.problemTestId ?? 'field-problem'}>
          {props.problem}
        </p>
      )}
    </div>
  );
}
