import { editedFields, type MovedField, movedFields } from '@cr/connector-kit';
import type { TableName } from '@cr/demo-domain';
import { policy } from '@cr/demo-domain';
import type { Row } from '@cr/strategies';
import { useMemo, useState } from 'react';

/** A field's text read as a column value, or why it cannot be read. */
export type Parsed = { value: unknown } | { problem: string };

export interface EditFormSpec<F extends string> {
  table: TableName;
  /** The row as the screen shows it now (watched); the form's base is its value when the form opened. */
  row: Row;
  fields: readonly F[];
  /** Column value → the text in the input. Default: empty for null, else the value as text. */
  format?: (field: F, value: unknown) => string;
  /** Input text → column value. Default: the text itself. */
  parse?: (field: F, text: string) => Parsed;
  /** Fields whose changes in the row are reported; default: every field a person edits. */
  watch?: readonly string[];
}

export interface EditForm<F extends string> {
  /** The row as it was when the form opened (or was reloaded): what the user saw. */
  base: Row;
  text: Record<F, string>;
  setField(field: F, text: string): void;
  /** What the user changed relative to the base, as column values. */
  changes: Record<string, unknown>;
  /** Why a changed field would be refused (the API's validators, packages/strategies checkFields). */
  problems: Partial<Record<F, string>>;
  valid: boolean;
  dirty: boolean;
  /** Changes of the synced row since the base, and whether the notice about them is open. */
  moved: MovedField[];
  noticeOpen: boolean;
  /** Takes the row as it is now as the base; the user's edits of fields nobody else changed stay. */
  reload(): void;
  /** Closes the notice; saving then goes through the strategy with the old base. */
  keepEditing(): void;
  showNotice(): void;
  /** The user's text of fields the reload replaced with the other person's value. */
  replaced: Partial<Record<F, string>>;
  restoreReplaced(field: F): void;
  /** After a save that keeps the form open: the saved values are now what the user has seen. */
  commit(saved: Record<string, unknown>): void;
}

const defaultFormat = (_field: string, value: unknown): string =>
  value === null || value === undefined ? '' : String(value);
const defaultParse = (_field: string, text: string): Parsed => ({ value: text });

/**
 * The state of an edit form built on the base it opened on (@cr/connector-kit edits.ts): the base snapshot, the text of each field,
 * what changed, validation at the point of entry, and the row moving underneath.
 */
export function useEditForm<F extends string>(spec: EditFormSpec<F>): EditForm<F> {
  const format = spec.format ?? defaultFormat;
  const parse = spec.parse ?? defaultParse;
  const textOf = (row: Row) => Object.fromEntries(spec.fields.map((f) => [f, format(f, row[f])])) as Record<F, string>;
  const [base, setBase] = useState<Row>(() => ({ ...spec.row }));
  const [text, setText] = useState<Record<F, string>>(() => textOf(spec.row));
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [replaced, setReplaced] = useState<Partial<Record<F, string>>>({});

  const { changes, problems } = useMemo(() => {
    const values: Record<string, unknown> = {};
    const found: Partial<Record<F, string>> = {};
    for (const field of spec.fields) {
      const parsed = parse(field, text[field]);
      if ('problem' in parsed) {
        if (text[field] !== format(field, base[field])) found[field] = parsed.problem;
      } else values[field] = parsed.value;
    }
    const changed = editedFields(base, values, spec.fields);
    for (const problem of policy.checkFields(spec.table, changed)) found[problem.field as F] ??= problem.hint;
    for (const field of Object.keys(found)) delete changed[field];
    return { changes: changed, problems: found };
  }, [text, base, spec.fields, spec.table, parse, format]);

  const moved = useMemo(
    () => movedFields(policy.table(spec.table), base, spec.row, spec.watch),
    [spec.table, base, spec.row, spec.watch],
  );
  const signature = JSON.stringify(moved.map((m) => [m.field, m.now]));

  return {
    base,
    text,
    setField: (field, value) => setText((current) => ({ ...current, [field]: value })),
    changes,
    problems,
    valid: Object.keys(problems).length === 0,
    dirty: Object.keys(changes).length > 0 || Object.keys(problems).length > 0,
    moved,
    noticeOpen: moved.length > 0 && dismissed !== signature,
    reload() {
      const movedSet = new Set(moved.map((m) => m.field));
      const next = textOf(spec.row);
      const lost: Partial<Record<F, string>> = {};
      for (const field of spec.fields) {
        const edited = Object.hasOwn(changes, field) || Object.hasOwn(problems, field);
        if (!edited) continue;
        if (movedSet.has(field)) {
          if (text[field] !== next[field]) lost[field] = text[field];
        } else next[field] = text[field];
      }
      setBase({ ...spec.row });
      setText(next);
      setReplaced(lost);
      setDismissed(null);
    },
    keepEditing: () => setDismissed(signature),
    showNotice: () => setDismissed(null),
    replaced,
    restoreReplaced(field) {
      const mine = replaced[field];
      if (mine === undefined) return;
      setText((current) => ({ ...current, [field]: mine }));
      setReplaced(({ [field]: _gone, ...rest }) => rest as Partial<Record<F, string>>);
    },
    commit(saved) {
      setBase((current) => ({ ...current, ...saved }));
    },
  };
}
