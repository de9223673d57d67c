import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';

/**
 * A fast check for a contract schema: compiled on first use (answers with a thousand outcomes are
 * judged in well under a millisecond instead of tens of them), or checked by interpretation where
 * the page's Content-Security-Policy forbids compiling code.
 */
export function checker<T extends TSchema>(schema: T): (value: unknown) => value is Static<T> {
  let check: ((value: unknown) => boolean) | null = null;
  return (value: unknown): value is Static<T> => {
    if (!check) {
      try {
        const compiled = Compile(schema);
        check = (v) => compiled.Check(v);
      } catch {
        check = (v) => Value.Check(schema, v);
      }
    }
    return check(value);
  };
}
