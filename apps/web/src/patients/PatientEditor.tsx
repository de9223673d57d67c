import { PATIENT_FIELDS_BY_ROLE } from '@cr/strategies';
import { type FormEvent, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { changedFields, updateStatement } from '../ui/changed-fields.ts';
import { SaveCancel } from '../ui/SaveCancel.tsx';
import { editMetadata, PATIENT_FIELDS, type Patient, patientValue } from './patient-fields.ts';

/**
 * Edits the fields the signed-in role may change (the others are not offered). Only changed
 * fields are written, each stamped with the time of the edit in _metadata, so the server keeps
 * the newest value per field and a doctor's and a nurse's edits both survive.
 */
export function PatientEditor(props: { patient: Patient; onDone: () => void }) {
  const { db, user } = useSession();
  const editable = PATIENT_FIELDS.filter(({ field }) => PATIENT_FIELDS_BY_ROLE[user.role].includes(field));
  const [form, setForm] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      editable.map(({ field }) => [field, props.patient[field] === null ? '' : String(props.patient[field])]),
    ),
  );

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const next = Object.fromEntries(editable.map(({ field }) => [field, patientValue(field, form[field] ?? '')]));
    const changes = changedFields(props.patient as Record<string, unknown>, next, Object.keys(next));
    if (Object.keys(changes).length > 0) {
      const values = { ...changes, _metadata: editMetadata(new Date()), updated_by: user.id };
      await db.execute(...updateStatement('patients', values, props.patient.id));
    }
    props.onDone();
  };

  return (
    <form className="stacked-form" onSubmit={(event) => void save(event)} noValidate data-testid="patient-editor">
      <div className="form-grid">
        {editable.map(({ field, label, kind }) => {
          const value = form[field] ?? '';
          const onChange = (event: { target: { value: string } }) =>
            setForm((current) => ({ ...current, [field]: event.target.value }));
          return kind === 'long' ? (
            <label key={field} className="wide">
              {label}
              <textarea rows={2} value={value} onChange={onChange} />
            </label>
          ) : (
            <label key={field}>
              {label}
              <input
                type={kind === 'date' ? 'date' : 'text'}
                inputMode={kind === 'number' ? 'decimal' : undefined}
                value={value}
                onChange={onChange}
              />
            </label>
          );
        })}
      </div>
      <SaveCancel onCancel={props.onDone} saveTestId="patient-save" />
    </form>
  );
}
