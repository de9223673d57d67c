import { PATIENT_FIELDS_BY_ROLE } from '@cr/demo-domain';
import { useQuery } from '@powersync/react';
import { useState } from 'react';
import { RejectionList } from '../rejections/RejectionList.tsx';
import { useSession } from '../session/session-context.ts';
import { PendingMark } from '../sync-status/PendingMark.tsx';
import { fieldLabel } from '../ui/field-labels.ts';
import { formatValue, formatWhen } from '../ui/format.ts';
import { StrategyNote } from '../ui/StrategyNote.tsx';
import { useUserNames } from '../ui/use-user-names.ts';
import { PatientEditor } from './PatientEditor.tsx';
import { fieldStamps, PATIENT_FIELDS, type Patient } from './patient-fields.ts';

function PatientCard(props: { patient: Patient; canEdit: boolean }) {
  const { patient } = props;
  const nameOf = useUserNames();
  const [editing, setEditing] = useState(false);
  const stamps = fieldStamps(patient.field_versions);
  return (
    <li className="row-card" data-testid="patient-card" data-row-id={patient.id}>
      <div className="row-main">
        <p className="row-title">
          <span>{patient.name}</span>
          <PendingMark table="patients" id={patient.id} />
        </p>
        <dl className="fields">
          {PATIENT_FIELDS.filter(({ field }) => field !== 'name').map(({ field }) => (
            <div key={field} data-testid={`patient-${field}`}>
              <dt>{fieldLabel('patients', field)}</dt>
              <dd>
                {formatValue(patient[field])}
                {stamps[field] && (
                  <span className="meta">
                    {' '}
                    · {nameOf(stamps[field].by)} {formatWhen(stamps[field].at)}
                  </span>
                )}
              </dd>
            </div>
          ))}
        </dl>
      </div>
      {props.canEdit && !editing && (
        <div className="row-actions">
          <button type="button" onClick={() => setEditing(true)} data-testid="patient-edit">
            Edit
          </button>
        </div>
      )}
      {editing && <PatientEditor patient={patient} onDone={() => setEditing(false)} />}
    </li>
  );
}

/** Patients: field-level last-write-wins; the doctor's diagnosis and the nurse's vitals both survive. */
export function PatientsScreen() {
  const { user } = useSession();
  const { data: patients } = useQuery<Patient>(
    `SELECT id, name, date_of_birth, diagnosis, treatment, heart_rate, blood_pressure, temperature, notes,
            field_versions, updated_by, updated_at FROM patients ORDER BY name, id`,
  );
  const fields = PATIENT_FIELDS_BY_ROLE[user.role];
  return (
    <>
      <StrategyNote title="Patients" strategy="Field-level last write wins">
        Each field of a record is settled on its own. Every save carries the time of the edit, and the server keeps,
        field by field, the newest value. So when the doctor updates the diagnosis while the nurse records vitals, both
        edits survive, even if both were made offline or with the editor open at the same time: a save sends only the
        fields you changed. If someone changed the same field after you, your older value is dropped and listed below
        with who changed it, to copy or restore. As a {user.role} you may edit:{' '}
        {fields.length > 0 ? fields.map((field) => fieldLabel('patients', field).toLowerCase()).join(', ') : 'nothing'}.
      </StrategyNote>
      <RejectionList tables={['patients']} />
      <ul className="rows" aria-label="Patients">
        {patients.map((patient) => (
          <PatientCard key={patient.id} patient={patient} canEdit={fields.length > 0} />
        ))}
      </ul>
    </>
  );
}
