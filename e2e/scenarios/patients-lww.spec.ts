import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

test('the doctor’s diagnosis and the nurse’s vitals, both made offline, both survive', async ({ openClient, sql }) => {
  const name = unique('Ada Byrne');
  const patientId = await sql.insertPatient({ name, diagnosis: 'Suspected flu', heartRate: 80 });
  const dan = await openClient('dan', 'patients');
  const nina = await openClient('nina', 'patients');
  for (const client of [dan, nina]) await expect(client.card(patientId)).toContainText(name);

  // A nurse is not offered the diagnosis at all.
  await nina.card(patientId).getByTestId('patient-edit').click();
  await expect(nina.card(patientId).getByLabel('Diagnosis')).toHaveCount(0);
  await nina.card(patientId).getByRole('button', { name: 'Close' }).click();

  await dan.offline();
  await nina.offline();
  const danCard = dan.card(patientId);
  await danCard.getByTestId('patient-edit').click();
  await danCard.getByLabel('Diagnosis').fill('Influenza A');
  await danCard.getByTestId('patient-save').click();
  const ninaCard = nina.card(patientId);
  await ninaCard.getByTestId('patient-edit').click();
  await ninaCard.getByLabel('Heart rate (bpm)').fill('104');
  await ninaCard.getByLabel('Blood pressure').fill('135/88');
  await ninaCard.getByTestId('patient-save').click();
  await expect(danCard.getByTestId('patient-diagnosis')).toContainText('Influenza A');
  await expect(ninaCard.getByTestId('patient-heart_rate')).toContainText('104');

  await nina.online();
  await nina.waitIdle();
  await dan.online();
  await dan.waitIdle();

  for (const client of [dan, nina]) {
    const card = client.card(patientId);
    await expect(card.getByTestId('patient-diagnosis')).toContainText('Influenza A');
    await expect(card.getByTestId('patient-heart_rate')).toContainText('104');
    await expect(card.getByTestId('patient-blood_pressure')).toContainText('135/88');
    await expect(client.rejections({ rowId: patientId })).toHaveCount(0);
  }
  const row = await sql.one(
    `SELECT diagnosis, heart_rate, blood_pressure, field_versions->'diagnosis'->>'by' AS diagnosis_by,
            field_versions->'heart_rate'->>'by' AS heart_rate_by
       FROM patients WHERE id = $1`,
    [patientId],
  );
  expect(row).toEqual({
    diagnosis: 'Influenza A',
    heart_rate: 104,
    blood_pressure: '135/88',
    diagnosis_by: 'dan',
    heart_rate_by: 'nina',
  });
});
