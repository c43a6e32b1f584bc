import * as mathjs from 'mathjs';

/** The browser's `loadMathjs` (see src/activations/load-mathjs.ts): mathjs bundled statically. */
export function loadMathjs(): typeof mathjs {
  return mathjs;
}
