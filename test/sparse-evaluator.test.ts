import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { LayeredNet } from '../src/engine/layered-net.js';
import { SparseEvaluator } from '../src/engine/sparse-evaluator.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

/**
 * Random sparse layered nets on Q1.2 (codes −8 … 7) with two inputs: some neurons read one input only
 * (tabulated by `factor`), some several, biases anywhere (so many neurons are non-zero when idle).
 */
const arbNet = fc
  .array(fc.integer({ min: 2, max: 5 }), { minLength: 1, maxLength: 3 })
  .chain((widths) => {
    const sizes = [2, ...widths, 1];
    return fc.tuple(
      ...sizes.slice(1).map((n, l) =>
        fc.array(
          fc.record({
            bias: fc.integer({ min: -8, max: 7 }),
            edges: fc.uniqueArray(
              fc.tuple(fc.integer({ min: 0, max: sizes[l] - 1 }), fc.integer({ min: -8, max: 7 })),
              { minLength: 1, maxLength: sizes[l], selector: ([src]) => src },
            ),
          }),
          { minLength: n, maxLength: n },
        ),
      ),
    );
  })
  .map((layers): LayeredNet => ({ inputs: 2, layers }));

describe('SparseEvaluator', () => {
  it.each(['elu', 'tanh', 'relu', 'identity'])(
    '%s: the factored evaluation (rest state) equals the BigInt reference on every input of random nets',
    (activation) => {
      const c = makeConfiguration({ format: 'Q1.2', activation });
      const s = settingOf(c);
      const values = Array.from({ length: s.size }, (_, k) => s.min + k);
      fc.assert(
        fc.property(arbNet, (net) => {
          const ev = new SparseEvaluator(s, net);
          ev.factor(values);
          const ref = toNetwork(c, net);
          for (const x1 of values) {
            for (const x2 of values) {
              const want = Number(evaluateReference(ref, [BigInt(x1), BigInt(x2)])[0]);
              if (ev.evaluate([x1, x2]) !== want) return false;
            }
          }
          return true;
        }),
        { numRuns: 60 },
      );
    },
  );
});
