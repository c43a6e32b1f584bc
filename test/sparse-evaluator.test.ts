import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LayeredNet } from '../src/engine/layered-net.js';
import { SparseEvaluator, sortBucket } from '../src/engine/sparse-evaluator.js';
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

describe('sortBucket', () => {
  it('orders a bucket by edge index, moving weights and values along, and touches nothing outside it (small and heapsort sizes)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 0, maxLength: 200, size: 'max' }),
        fc.nat(4),
        fc.nat(4),
        (keys, before, after) => {
          const n = keys.length;
          const k = new Int32Array(before + n + after).fill(-1);
          const w = new Float64Array(before + n + after).fill(-1);
          const v = new Float64Array(before + n + after).fill(-1);
          keys.forEach((key, i) => {
            k[before + i] = key;
            w[before + i] = 2 * key;
            v[before + i] = key + 0.5;
          });
          sortBucket(k, w, v, before, before + n);
          const sorted = [...keys].sort((a, b) => a - b);
          expect(Array.from(k.subarray(before, before + n))).toEqual(sorted);
          expect(Array.from(w.subarray(before, before + n))).toEqual(sorted.map((key) => 2 * key));
          expect(Array.from(v.subarray(before, before + n))).toEqual(sorted.map((key) => key + 0.5));
          for (const a of [k, w, v]) {
            expect(Array.from(a.subarray(0, before)).every((x) => x === -1)).toBe(true);
            expect(Array.from(a.subarray(before + n)).every((x) => x === -1)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
