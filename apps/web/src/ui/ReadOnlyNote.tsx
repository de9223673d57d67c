import type { Role } from '@cr/demo-domain';

/** Tells a role that may not write a screen's table so, instead of hiding the controls silently. */
export function ReadOnlyNote(props: { role: Role; what: string }) {
  return (
    <p className="notice notice-info" data-testid="read-only-note">
      As a {props.role} you can see {props.what} but not change {props.what === 'the stock' ? 'it' : 'them'}.
    </p>
  );
}
