import type pg from 'pg';
import { decodePgoutput, type PgoutputMessage } from './pgoutput.ts';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The output plugin handed to pg-logical-replication's LogicalReplicationService: it starts
 * pgoutput with logical messages on (write checkpoints rely on `pg_logical_emit_message`) and
 * decodes with our own decoder, which keeps values as text.
 */
export class PgoutputTextPlugin {
  readonly options: { publication: string };

  constructor(publication: string) {
    if (!IDENTIFIER.test(publication)) throw new Error(`Invalid publication name "${publication}"`);
    this.options = { publication };
  }

  get name(): string {
    return 'pgoutput';
  }

  parse(buffer: Buffer): PgoutputMessage {
    return decodePgoutput(buffer);
  }

  start(client: pg.Client, slotName: string, lastLsn: string): Promise<unknown> {
    if (!IDENTIFIER.test(slotName)) throw new Error(`Invalid slot name "${slotName}"`);
    if (!/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i.test(lastLsn)) throw new Error(`Invalid LSN "${lastLsn}"`);
    return client.query(
      `START_REPLICATION SLOT "${slotName}" LOGICAL ${lastLsn} ` +
        `(proto_version '1', publication_names '${this.options.publication}', messages 'true')`,
    );
  }
}
