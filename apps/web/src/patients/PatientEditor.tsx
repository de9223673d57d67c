import { PATIENT_FIELDS_BY_ROLE } from '@cr/demo-domain';
import { type FormEvent, useRef } from 'react';
import { focusFirstProblem } from '../edits/focus-problem.ts';
import { MovedNotice } from '../edits/MovedNotice.tsx';
import { useEditForm } from '../edits/use-edit-form.ts';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { saveEdit } from '../edits/write-edit.ts';
import { useSession } from '../session/session-context.ts';
import { Field } from '../ui/Field.tsx';
import { fieldLabel } from '../ui/field-labels.ts';
import { SaveCancel } from '../ui/SaveCancel.tsx';
import { PATIENT_FIELDS, type Patient, type PatientField, patientValue } from './patient-fields.ts';

/**
 * Edits the fields the signed-in role may change (the others are not offered). Only the fields
 * changed relative to the record as the form opened are written (edits/edit-base.ts), each stamped
 * with the time of the edit in _metadata, so the server keeps the newest value per field: a
 * doctor's note saved while the nurse's form was open survives the nurse's save.
 */
export function PatientEditor(props: { patient: Patient; onDone: () => void }) {
  const { db, user } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const editable = PATIENT_FIELDS.filter(({ field }) => PATIENT_FIELDS_BY_ROLE[user.role].includes(field));
  const form = useEditForm<PatientField>({
    table: 'patients',
    row: props.patient,
    fields: editable.map(({ field }) => field),
    parse: (field, text) => ({ value: patientValue(field, text) }),
  });
  const save = useGuardedAction(async () => {
    if (!form.valid) return focusFirstProblem(formRef.current);
    const now = new Date().toISOString();
    await saveEdit(db, 'patients', form.base, form.changes, { user, now, metadata: { edited_at: now } });
    props.onDone();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.run();
  };

  return (
    <form ref={formRef} className="stacked-form" onSubmit={submit} noValidate data-testid="patient-editor">
      <MovedNotice table="patients" row={props.patient} form={form} />
      <div className="form-grid">
        {editable.map(({ field, kind }) => {
          const onChange = (event: { target: { value: string } }) => form.setField(field, event.target.value);
          const value = form.text[field] ?? '';
          return (
            <Field
              key={field}
              label={fieldLabel('patients', field)}
              problem={form.problems[field]}
              className={kind === 'long' ? 'wide' : undefined}
            >
              {(a11y) =>
                kind === 'long' ? (
                  <textarea rows={2} value={value} onChange={onChange} {...a11y} />
                ) : (
                  <input
                    type={kind === 'date' ? 'date' : 'text'}
                    inputMode={kind === 'number' ? 'decimal' : undefined}
                    value={value}
                    onChange={onChange}
                    {...a11y}
                  />
                )
              }
            </Field>
          );
        })}
      </div>
      <SaveCancel onCancel={props.onDone} saveTestId="patient-save" busy={save.busy} dirty={form.dirty} />
    </form>
  );
}
