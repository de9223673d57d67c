import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonProblem, RECORD_LIMITS, renderValue, storableJson, storableText, textProblem } from './storable.ts';

const deep = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;

/** What Postgres refuses: U+0000 anywhere, a lone surrogate in JSON. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what Postgres refuses
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Depth of a JSON-like value, iteratively (the value may be deep). */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item === 'object' && item !== null) {
      max = Math.max(max, depth + 1);
      for (const child of Object.values(item)) stack.push([child, depth + 1]);
    }
  }
  return max;
}

/** Strings mixing ordinary text with NULs, lone surrogates, pairs and control characters. */
const hostileString = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d\ude00', '\u001f', '\ufffd', '"', '\\'),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('storable text', () => {
  it('names what Postgres would refuse, and nothing else', () => {
    expect(textProblem('plain, ünïcode and 😀')).toBeNull();
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('a\ud800b')).toMatch(/broken character/);
    expect(textProblem('\ude00 low half first')).toMatch(/broken character/);
  });

  it('replaces NULs and lone surrogates, keeps pairs, cuts without splitting a pair', () => {
    expect(storableText('a\u0000b\ud800c😀')).toBe('a\ufffdb\ufffdc😀');
    expect(storableText('abc😀def', 5)).toBe('abc…');
    expect(storableText('abcd', 4)).toBe('abcd');
    fc.assert(
      fc.property(hostileString, fc.integer({ min: 1, max: 20 }), (text, max) => {
        const stored = storableText(text, max);
        expect(stored).not.toMatch(UNSTORABLE);
        expect(stored.length).toBeLessThanOrEqual(max);
      }),
    );
  });
});

describe('storable JSON', () => {
  it('is storable, within the depth limit, and unchanged when it already was', () => {
    fc.assert(
      fc.property(hostileJson, (value) => {
        const stored = storableJson(value);
        const text = JSON.stringify(stored);
        expect(text).not.toMatch(UNSTORABLE);
        expect(JSON.stringify(JSON.parse(text))).toBe(text);
        if (jsonProblem(value) === null && !/-?Infinity|NaN/.test(String(JSON.stringify(value)))) {
          // Compared as JSON: -0 is stored as it is, and JSON (like Postgres jsonb) writes it as 0.
          expect(JSON.parse(JSON.stringify(stored))).toEqual(JSON.parse(JSON.stringify(value)));
        }
      }),
    );
  });

  it('cuts JSON nested 100,000 levels deep at the limit with a note, without recursion', () => {
    const stored = storableJson({ nested: deep(100_000) });
    expect(depthOf(stored)).toBe(RECORD_LIMITS.depth);
    expect(JSON.stringify(stored)).toContain(`nested deeper than ${RECORD_LIMITS.depth} levels`);
    expect(jsonProblem(deep(100_000))).toMatch(/nested deeper than/);
  });

  it('keeps at most the node budget', () => {
    const stored = storableJson(
      Array.from({ length: 50 }, (_, i) => i),
      { depth: 5, nodes: 10 },
    ) as unknown[];
    expect(stored).toHaveLength(10);
    expect(stored.at(-1)).toMatch(/cut: more than 10 values/);
  });
});

describe('rendering a value for a message', () => {
  it('is JSON-like, escaped, and bounded', () => {
    expect(renderValue('a\u0000b')).toBe('"a\\u0000b"');
    expect(renderValue({ a: [1, 'x', null], b: true })).toBe('{"a":[1,"x",null],"b":true}');
    expect(renderValue('x'.repeat(100), 10)).toBe('"xxxxxxxxx…');
    expect(renderValue(deep(100_000), 12)).toBe('[[[[[[[[[[[[…');
    expect(
      renderValue(
        Array.from({ length: 1_000_000 }, () => 1),
        8,
      ),
    ).toBe('[1,1,1,1…');
  });

  it('is always storable and at most max + 1 characters', () => {
    fc.assert(
      fc.property(hostileJson, fc.integer({ min: 1, max: 80 }), (value, max) => {
        const text = renderValue(value, max);
        expect(text).not.toMatch(UNSTORABLE);
        expect(text.length).toBeLessThanOrEqual(max + 1);
      }),
    );
  });
});
