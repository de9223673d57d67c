import { RejectionCode } from '../codes.ts';
import { reject } from '../decisions.ts';
import type { StrategyFactory } from '../strategy.ts';

/** A table the server maintains and clients only read (users, reference data). */
export function readOnly(): StrategyFactory {
  return (table) => ({
    name: 'read-only',
    detects: 'nothing',
    onConflict: 'always refused',
    decide: () => reject(RejectionCode.ReadOnlyTable, `${table.name} is read-only for clients.`),
  });
}
