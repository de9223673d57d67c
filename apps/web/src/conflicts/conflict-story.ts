import { tableNoun } from '../ui/field-labels.ts';
import { formatWhen } from '../ui/format.ts';

type NameOf = (id: unknown) => string;

/** Who made the version the server had (the other side of the conflict). */
export function serverAuthor(table: string, server: Record<string, unknown> | null): string | null {
  const by = table === 'tasks' ? server?.modified_by : server?.updated_by;
  return typeof by === 'string' ? by : null;
}

/** "You", "Alice Adams" — whose edit it is, from the reader's side. */
export function personFor(id: string | null, me: string, nameOf: NameOf): string {
  if (id === null) return 'Someone';
  return id === me ? 'You' : nameOf(id);
}

/**
 * What happened, for people: whose edit was made on which version, and who changed the record
 * first, with names and friendly times (the server's message and code stay secondary).
 */
export function conflictStory(
  conflict: { code: string; message: string; table_name: string; user_id: string },
  values: { server: Record<string, unknown> | null; base: Record<string, unknown> | null },
  me: string,
  nameOf: NameOf,
): string {
  const author = conflict.user_id === me ? 'Your edit' : `${nameOf(conflict.user_id)}’s edit`;
  const other = personFor(serverAuthor(conflict.table_name, values.server), me, nameOf);
  const noun = tableNoun(conflict.table_name);
  switch (conflict.code) {
    case 'STALE_WRITE': {
      const base = values.base?.modified_at;
      const changed = values.server?.modified_at;
      const seen = typeof base === 'string' ? ` on the version of ${formatWhen(base)}` : '';
      const when = typeof changed === 'string' ? ` at ${formatWhen(changed)}` : '';
      return `${author} was made${seen}; ${other} changed the ${noun}${when}, before it arrived. Nothing was overwritten: choose what to keep.`;
    }
    case 'VERSION_MISMATCH': {
      const base = values.base?.version;
      const server = values.server?.version;
      const seen = typeof base === 'number' ? ` on version ${base}` : '';
      const saved = typeof server === 'number' ? ` version ${server}` : ' a newer version';
      return `${author} was made${seen}; ${other} saved${saved} first. Nothing was overwritten: choose what to keep.`;
    }
    case 'OVERLAPPING_EDITS': {
      const base = values.base?.version;
      const server = values.server?.version;
      const seen = typeof base === 'number' ? ` on version ${base}` : '';
      const saved = typeof server === 'number' ? ` version ${server}` : ' a newer version';
      return `${author} was made${seen}; ${other} saved${saved} first, and both changed the same paragraphs. Nothing was overwritten: choose what to keep in each place; the rest of both edits is merged when you save.`;
    }
    case 'ROW_EXISTS':
      return `A ${noun} with the same id already existed on the server; the new one was not saved over it.`;
    default:
      return conflict.message;
  }
}

/** How a resolved conflict ended, told to its author: "Rita Ruiz kept your version". */
export function outcomeStory(
  conflict: { resolution: string | null; resolved_by: string | null; table_name: string; code?: string },
  server: Record<string, unknown> | null,
  me: string,
  nameOf: NameOf,
): string {
  const who = personFor(conflict.resolved_by, me, nameOf);
  const other = personFor(serverAuthor(conflict.table_name, server), me, nameOf);
  const theirs = other === 'You' ? 'your earlier version' : `${other}’s version`;
  switch (conflict.resolution) {
    case 'mine':
      return `${who} kept your version`;
    case 'server':
      return `${who} kept ${theirs}; your edit was not applied`;
    case 'merged':
      return conflict.code === 'OVERLAPPING_EDITS'
        ? `${who} merged your edit with ${theirs}, choosing in each place you both changed`
        : `${who} merged your edit with ${theirs}, field by field`;
    default:
      return `${who} resolved it`;
  }
}
