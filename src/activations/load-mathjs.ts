import { createRequire } from 'node:module';
import type * as MathJs from 'mathjs';

/**
 * mathjs, loaded on first use: importing it costs 1–2 s, which every CLI start and worker thread would
 * otherwise pay whether or not an expression is parsed. The web build replaces this module with a static
 * import (`web/src/shims/load-mathjs.ts`, aliased in `web/vite.config.ts`).
 */
export function loadMathjs(): typeof MathJs {
  return createRequire(import.meta.url)('mathjs') as typeof MathJs;
}
