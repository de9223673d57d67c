import { toPowerSyncSchema } from '@cr/schema/client';
import { policy } from './policy.ts';
import { schema } from './schema.ts';

/**
 * The PowerSync client schema of the notes app, for `new PowerSyncDatabase({ schema: AppSchema })`:
 * notes track their version and counters their value (trackPrevious), both with _metadata, as
 * their strategies need.
 */
export const AppSchema = toPowerSyncSchema(schema, policy.clientTracking);
