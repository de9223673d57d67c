import { describe, expect, it } from 'vitest';
import { AppSchema } from './client.ts';
import { schema } from './tables.ts';

describe('PowerSync client schema', () => {
  it('has every synced table with the columns of packages/schema', () => {
    const byName = new Map(AppSchema.tables.map((t) => [t.name, t]));
    for (const definition of Object.values(schema.tables)) {
      const table = byName.get(definition.name);
      expect(table, definition.name).toBeDefined();
      expect(table?.columns.map((c) => c.name).sort()).toEqual(Object.keys(definition.columns).sort());
    }
  });

  it('tracks what the policy’s strategies compare', () => {
    const byName = new Map(AppSchema.tables.map((t) => [t.name, t]));
    expect(byName.get('tasks')?.trackPrevious).toEqual({ columns: ['modified_at'], onlyWhenChanged: false });
    expect(byName.get('documents')?.trackPrevious).toEqual({ columns: ['version'], onlyWhenChanged: false });
    expect(byName.get('inventory')?.trackPrevious).toEqual({ columns: ['quantity'], onlyWhenChanged: false });
    // Business rules and the outcome tables compare nothing the client must track.
    expect(byName.get('orders')?.trackPrevious).toBeFalsy();
    expect(byName.get('write_conflicts')?.trackMetadata).toBeFalsy();
    // An edit form states the version it was opened on in _metadata.base (strategies/edit-base.ts).
    expect(byName.get('tasks')?.trackMetadata).toBe(true);
    expect(byName.get('documents')?.trackMetadata).toBe(true);
    expect(byName.get('patients')?.trackMetadata).toBe(true);
    expect(byName.get('inventory')?.trackMetadata).toBe(true);
  });

  it('maps column kinds to SQLite types', () => {
    const tasks = AppSchema.tables.find((t) => t.name === 'tasks');
    const type = (name: string) => tasks?.columns.find((c) => c.name === name)?.type;
    expect(type('priority')).toBe('INTEGER');
    expect(type('modified_at')).toBe('TEXT');
    const patients = AppSchema.tables.find((t) => t.name === 'patients');
    expect(patients?.columns.find((c) => c.name === 'temperature')?.type).toBe('REAL');
  });
});
