import { toPowerSyncSchema } from '@cr/schema/client';
import { policy } from './policy.ts';
import { schema } from './tables.ts';

/** The demo's PowerSync client schema: every synced table, with the tracking its strategy needs. */
export const AppSchema = toPowerSyncSchema(schema, policy.clientTracking);
