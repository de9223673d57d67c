/**
 * Parses Postgres array literals in text format: `{1,2,NULL}`, `{"a b","c\"d"}`, `{{1,2},{3,4}}`,
 * and `[0:1]={x,y}` (explicit bounds are dropped). Elements are returned as text (or null) for
 * the caller to decode by element type.
 */
export type ArrayElement = string | null | ArrayElement[];

export function parseArrayLiteral(text: string, delimiter = ','): ArrayElement[] {
  let source = text;
  const bounds = /^(\[-?\d+:-?\d+\])+=/.exec(source);
  if (bounds) source = source.slice(bounds[0].length);
  let position = 0;

  const fail = (what: string): never => {
    throw new Error(`Malformed array literal at ${position} (${what}): ${text.slice(0, 80)}`);
  };

  const parseArray = (): ArrayElement[] => {
    if (source[position] !== '{') fail('expected {');
    position += 1;
    const items: ArrayElement[] = [];
    if (source[position] === '}') {
      position += 1;
      return items;
    }
    for (;;) {
      items.push(parseElement());
      const next = source[position];
      position += 1;
      if (next === '}') return items;
      if (next !== delimiter) fail(`expected ${delimiter} or }`);
    }
  };

  const parseQuoted = (): string => {
    position += 1; // opening quote
    let value = '';
    for (;;) {
      const char = source[position];
      if (char === undefined) fail('unterminated quoted element');
      position += 1;
      if (char === '"') return value;
      if (char === '\\') {
        const escaped = source[position];
        if (escaped === undefined) fail('dangling escape');
        value += escaped;
        position += 1;
      } else {
        value += char;
      }
    }
  };

  const parseElement = (): ArrayElement => {
    const char = source[position];
    if (char === '{') return parseArray();
    if (char === '"') return parseQuoted();
    const start = position;
    while (position < source.length && source[position] !== delimiter && source[position] !== '}') position += 1;
    const raw = source.slice(start, position).trim();
    return raw.toUpperCase() === 'NULL' ? null : raw;
  };

  const result = parseArray();
  if (position !== source.length) fail('trailing characters');
  return result;
}
