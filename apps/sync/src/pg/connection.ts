import pg from 'pg';

/**
 * Connection settings shared by every connection to the source database. Values are read in
 * text format and decoded by pg-types.ts, so the session settings that shape that text are fixed:
 * UTC timestamps in ISO style, whatever the server's defaults.
 */
export function sourceConfig(databaseUrl: string, applicationName: string): pg.ClientConfig {
  return {
    connectionString: databaseUrl,
    application_name: applicationName,
    options: '-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=iso_8601 -c extra_float_digits=1',
  };
}

/** For queries whose values must stay as Postgres wrote them (snapshots). */
export const RAW_TEXT_TYPES = {
  getTypeParser: () => (value: string) => value,
} as unknown as pg.CustomTypesConfig;

/** The database name of a connection string (for naming the replication slot). */
export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'postgres';
}

export function createPool(databaseUrl: string, applicationName: string, max = 10): pg.Pool {
  return new pg.Pool({ ...sourceConfig(databaseUrl, applicationName), max, idleTimeoutMillis: 30_000 });
}
