import type { TableLabel } from '../strategy.ts';

/** A table's label from its config, else from its name ("write_conflicts" → "write conflict"). */
export function tableLabel(name: string, label: string | TableLabel | undefined): TableLabel {
  if (typeof label === 'object') return label;
  const one = label ?? singular(name.replaceAll('_', ' '));
  return { one, many: label === undefined ? name.replaceAll('_', ' ') : `${one}s` };
}

function singular(text: string): string {
  return text.endsWith('s') ? text.slice(0, -1) : text;
}
