import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundQuotient } from '../src/core/rounding.js';
import { chainProves, longestRun, sigmaRanges, solveIntervalChain } from '../src/engine/interval-chain.js';
import { makeSetting, type Setting } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { ROUNDING_MODES } from '../src/policy.js';

// The shortcuts of the interval chain search (docs/theory.md §9.6) against their definitions: the longest
// run of σ_F, the spread of rounded sums that bounds the last step, and the answers read from earlier
// searches from the same spans, which must be the answers of a fresh search.

/** The same setting as a new object: nothing the searches remember about `s` applies to it. */
function fresh(s: Setting): Setting {
  const table = new Int32Array(s.size);
  for (let i = 0; i < s.size; i++) table[i] = s.sigma[i] >= s.min ? s.sigma[i] : s.max + 1;
  return makeSetting(s.format, s.policy, s.accumulation, s.bias, s.weightSet, table);
}

const configs = [
  { format: 'Q2.3', activation: 'tanh', overflow: 'error', accumulation: 'exact' },
  { format: 'Q2.3', activation: 'sigmoid', overflow: 'wrap', accumulation: 'exact', bias: 'first' },
  { format: 'Q3.2', activation: 'relu', overflow: 'saturate' },
  { format: 'Q2.3', activation: 'gelu', overflow: 'wrap', rounding: 'floor' },
  { format: 'ap_fixed<6,3>', activation: 'silu', overflow: 'error', rounding: 'nearest-away' },
];

describe('interval chain search shortcuts', () => {
  it('longestRun is the longest run of one valid σ_F value (brute force)', () => {
    for (const o of configs) {
      const s = settingOf(makeConfiguration(o));
      let best = 0;
      for (let i = 0; i < s.size; i++)
        for (let j = i; j < s.size && s.sigma[j] >= s.min && s.sigma[j] === s.sigma[i]; j++)
          best = Math.max(best, j - i + 1);
      expect(longestRun(s), JSON.stringify(o)).toBe(best);
    }
  });

  it('rounded sums spread by more than |Δu|/2ⁿ − 2 (every rounding mode, BigInt reference)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 30), max: 2 ** 30 }),
        fc.integer({ min: -(2 ** 30), max: 2 ** 30 }),
        fc.integer({ min: 0, max: 15 }),
        fc.constantFrom(...ROUNDING_MODES),
        (x, y, n, mode) => {
          const q = 2n ** BigInt(n);
          const spread = Number(
            roundQuotient(BigInt(y), q, mode).value - roundQuotient(BigInt(x), q, mode).value,
          );
          expect(Math.abs(spread)).toBeGreaterThan(Math.abs(y - x) / 2 ** n - 2);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('answers read from earlier searches from the same spans are those of a fresh search', () => {
    let found = 0;
    for (const o of configs) {
      const s = settingOf(makeConfiguration(o));
      const remembered = fresh(s);
      const values = [...new Set(Array.from(s.sigma).filter((v) => v >= s.min))].sort((a, b) => a - b);
      const targets = values.filter((v, i) => v === 0 || i % Math.ceil(values.length / 6) === 0);
      // spans: σ_F's range split at 0 and at a quarter, in both directions
      const lo = values[0];
      const hi = values[values.length - 1];
      const mid = values[Math.floor(values.length / 2)];
      const spans: Array<[[number, number], [number, number]]> = [
        [
          [lo, mid - 1],
          [mid, hi],
        ],
        [
          [mid, hi],
          [lo, mid - 1],
        ],
        [
          [s.min, -1],
          [0, s.max],
        ],
      ];
      for (const [zero, one] of spans)
        for (const tz of targets)
          for (const te of targets) {
            if (tz === te) continue;
            const options = { minDepth: 1, maxDepth: 3, beam: 6 };
            const again = solveIntervalChain(remembered, zero, one, tz, te, options);
            const first = solveIntervalChain(fresh(s), zero, one, tz, te, options);
            expect(again, `${JSON.stringify(o)} ${zero} ${one} → ${tz}, ${te}`).toEqual(first);
            if (again) {
              found++;
              const r = sigmaRanges(remembered);
              expect(chainProves(r, again, zero[0], zero[1], tz)).toBe(true);
              expect(chainProves(r, again, one[0], one[1], te)).toBe(true);
            }
          }
    }
    // the comparison covers chains found, not only searches that fail
    expect(found).toBeGreaterThan(20);
  });
});
