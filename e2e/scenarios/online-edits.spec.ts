import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

/**
 * Two people ONLINE, one form open while the other saves. Nothing moves under an offline form, so
 * the offline scenarios could not catch this: an open form must keep the base its user saw,
 * say when the row moves, and never write back a value its user did not touch.
 */

test('documents: Bob saves while Alice’s editor is open; her save merges with his, Bob’s title stays', async ({
  openClient,
  sql,
}) => {
  const title = unique('Opening checklist');
  const docId = await sql.insertDocument({ title, body: 'Unlock the doors.' });
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');

  const aliceCard = alice.card(docId);
  await aliceCard.getByTestId('document-edit').click();
  await aliceCard.getByLabel('Text').fill('Unlock the doors. Switch on the tills.');

  const bobCard = bob.card(docId);
  await bobCard.getByTestId('document-edit').click();
  await bobCard.getByLabel('Title').fill(`${title} (Bob)`);
  await bobCard.getByTestId('document-save').click();
  await bob.waitIdle();

  // Alice's open editor says who changed what, with the new value; her text is untouched.
  const notice = aliceCard.getByTestId('moved-notice');
  await expect(notice).toContainText('Bob Brown changed the title while you were editing.');
  await expect(notice.locator('[data-field="title"]')).toContainText(`${title} (Bob)`);
  await expect(aliceCard.getByLabel('Title')).toHaveValue(title);
  await expect(aliceCard.getByLabel('Text')).toHaveValue('Unlock the doors. Switch on the tills.');

  // She keeps editing and saves: made on version 1, it carries only her text and what it was
  // when she opened it, so the server merges it with Bob's version 2 — his title is never
  // written back to the old one.
  await notice.getByTestId('moved-keep').click();
  await aliceCard.getByTestId('document-save').click();
  await alice.waitIdle();
  await expect
    .poll(() => sql.one('SELECT title, body, version, updated_by FROM documents WHERE id = $1', [docId]))
    .toEqual({
      title: `${title} (Bob)`,
      body: 'Unlock the doors. Switch on the tills.',
      version: 3,
      updated_by: 'alice',
    });
  expect(await sql.rows('SELECT 1 FROM write_conflicts WHERE row_id = $1', [docId])).toEqual([]);
  await expect(alice.page.getByTestId('toast').filter({ hasText: 'merged' })).toContainText(
    'your changes and theirs are both in version 3',
  );
  for (const client of [alice, bob]) {
    await expect(client.card(docId).getByTestId('document-title')).toHaveText(`${title} (Bob)`);
    await expect(client.card(docId).getByTestId('document-body')).toHaveText('Unlock the doors. Switch on the tills.');
    await expect(client.card(docId).getByTestId('document-version')).toHaveText('v3');
  }
});

test('task quick edit: Alice changes only the priority while Bob renames; her save never restores the old title', async ({
  openClient,
  sql,
}) => {
  const title = unique('Label the shelves');
  const taskId = await sql.insertTask({ title, priority: 3 });
  const alice = await openClient('alice');
  const bob = await openClient('bob');

  const aliceCard = alice.card(taskId);
  await aliceCard.getByTestId('task-quick-edit').click();
  await aliceCard.getByLabel('Priority').selectOption('1');

  const bobCard = bob.card(taskId);
  await bobCard.getByTestId('task-quick-edit').click();
  await bobCard.getByLabel('Title').fill(`${title} (Bob)`);
  await bobCard.getByTestId('task-quick-save').click();
  await bob.waitIdle();

  const notice = aliceCard.getByTestId('moved-notice');
  await expect(notice).toContainText('Bob Brown changed the title while you were editing.');
  await expect(notice.locator('[data-field="title"]')).toContainText(`${title} (Bob)`);
  await aliceCard.getByTestId('task-quick-save').click();
  await alice.waitIdle();

  // Made on the version before Bob's: a conflict carrying only the priority, Bob's title intact.
  await expect
    .poll(() =>
      sql.rows(
        `SELECT user_id, code, client_values->'priority' AS priority, client_values ? 'title' AS sent_title
                             FROM write_conflicts WHERE row_id = $1`,
        [taskId],
      ),
    )
    .toEqual([{ user_id: 'alice', code: 'STALE_WRITE', priority: 1, sent_title: false }]);
  expect(await sql.one('SELECT title, priority, modified_by FROM tasks WHERE id = $1', [taskId])).toEqual({
    title: `${title} (Bob)`,
    priority: 3,
    modified_by: 'bob',
  });
  // Her edit, not applied, is undone on her device too once the server's verdict syncs back.
  for (const client of [alice, bob]) {
    await expect(client.card(taskId).getByTestId('task-title')).toHaveText(`${title} (Bob)`);
    await expect(client.card(taskId).getByTestId('task-priority')).toHaveText('P3');
  }

  // Reloaded onto Bob's version, the same edit applies: her priority, his title.
  await aliceCard.getByTestId('task-quick-edit').click();
  await aliceCard.getByLabel('Priority').selectOption('2');
  await bobCard.getByTestId('task-quick-edit').click();
  await bobCard.getByLabel('Status').selectOption('in_progress');
  await bobCard.getByTestId('task-quick-save').click();
  await bob.waitIdle();
  await aliceCard.getByTestId('moved-reload').click();
  await expect(aliceCard.getByLabel('Status')).toHaveValue('in_progress');
  await expect(aliceCard.getByLabel('Priority')).toHaveValue('2');
  await aliceCard.getByTestId('task-quick-save').click();
  await alice.waitIdle();
  await expect
    .poll(() => sql.one('SELECT title, status, priority FROM tasks WHERE id = $1', [taskId]))
    .toEqual({ title: `${title} (Bob)`, status: 'in_progress', priority: 2 });
  expect(await sql.rows('SELECT 1 FROM write_conflicts WHERE row_id = $1', [taskId])).toHaveLength(1);
});

test('patients: the doctor’s note saved while the nurse’s editor is open survives her heart-rate save', async ({
  openClient,
  sql,
}) => {
  const name = unique('Ada Byrne');
  const patientId = await sql.insertPatient({ name, diagnosis: 'Observation', heartRate: 80 });
  const nina = await openClient('nina', 'patients');
  const dan = await openClient('dan', 'patients');

  const ninaCard = nina.card(patientId);
  await ninaCard.getByTestId('patient-edit').click();
  await ninaCard.getByLabel('Heart rate (bpm)').fill('ninety');
  await expect(ninaCard.getByTestId('field-problem')).toHaveText('Must be beats per minute, 20 to 250.');
  await ninaCard.getByLabel('Heart rate (bpm)').fill('96');

  const danCard = dan.card(patientId);
  await danCard.getByTestId('patient-edit').click();
  await danCard.getByLabel('Notes').fill('Allergic to penicillin.');
  await danCard.getByTestId('patient-save').click();
  await dan.waitIdle();

  const notice = ninaCard.getByTestId('moved-notice');
  await expect(notice).toContainText('Dr. Dan Diaz changed the notes while you were editing.');
  await expect(notice.locator('[data-field="notes"]')).toContainText('Allergic to penicillin.');
  await ninaCard.getByTestId('patient-save').click();
  await nina.waitIdle();

  // Merged per field: the note is the doctor's, the heart rate the nurse's; nothing refused.
  await expect
    .poll(() =>
      sql.one(
        `SELECT notes, heart_rate, field_versions->'notes'->>'by' AS notes_by,
                field_versions->'heart_rate'->>'by' AS heart_rate_by FROM patients WHERE id = $1`,
        [patientId],
      ),
    )
    .toEqual({ notes: 'Allergic to penicillin.', heart_rate: 96, notes_by: 'dan', heart_rate_by: 'nina' });
  expect(await sql.rows('SELECT code FROM rejections WHERE row_id = $1', [patientId])).toEqual([]);
  for (const client of [nina, dan]) {
    await expect(client.card(patientId).getByTestId('patient-notes')).toContainText('Allergic to penicillin.');
    await expect(client.card(patientId).getByTestId('patient-heart_rate')).toContainText('96');
  }
});
