import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES } from '../src/activations/builtin-activations.js';
import { ROUNDING_MODES } from '../src/core/rounding.js';
import { directCandidates } from '../src/engine/certificate.js';
import { candidateWeights, type Step } from '../src/engine/chain-solver.js';
import { type Setting, unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';

/** The former ThresholdFinder.direct candidate list, written out plainly (Sets of codes, every (w, b)). */
function reference(s: Setting, weights: readonly number[], dir: 'ge' | 'le', t: number, prefix?: Step) {
  const inside = new Set<number>();
  const outside = new Set<number>();
  for (let x = s.min; x <= s.max; x++) {
    const h = prefix ? unary(s, prefix[0], x, prefix[1]) : x;
    if (!(h >= s.min)) return null;
    ((dir === 'ge' ? x >= t : x <= t) ? inside : outside).add(h);
  }
  const candidates: Array<{ step: Step; zero: number[]; one: number[] }> = [];
  const seen = new Set<string>();
  for (const w of weights)
    for (let b = s.min; b <= s.max; b++) {
      const one = new Set<number>();
      const zero = new Set<number>();
      let ok = true;
      for (const h of inside) {
        const v = unary(s, w, h, b);
        if (!(v >= s.min)) ok = false;
        one.add(v);
      }
      for (const h of outside) {
        const v = unary(s, w, h, b);
        if (!(v >= s.min) || one.has(v)) ok = false;
        zero.add(v);
      }
      if (!ok) continue;
      const z = [...zero].sort((a, c) => a - c);
      const o = [...one].sort((a, c) => a - c);
      const key = `${z.join(',')}|${o.join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ step: [w, b], zero: z, one: o });
    }
  candidates.sort((a, c) => a.zero.length + a.one.length - (c.zero.length + c.one.length));
  return candidates.slice(0, 32);
}

// the direct threshold search's first steps, memoised and read from step tables (src/engine/certificate.ts)
describe('directCandidates', () => {
  it('gives the plain enumeration’s list, in order, on random small configurations', () => {
    const formats = ['Q1.2', 'Q2.2', 'SQ1.2', 'UQ2.2', 'Q0.3', 'UQ1.3'];
    fc.assert(
      fc.property(
        fc.record({
          format: fc.constantFrom(...formats),
          activation: fc.constantFrom(...BUILTIN_NAMES),
          rounding: fc.constantFrom(...ROUNDING_MODES),
          overflow: fc.constantFrom('saturate', 'wrap', 'error'),
          accumulation: fc.constantFrom('sequential', 'exact'),
          bias: fc.constantFrom('last', 'first'),
          binary: fc.boolean(),
          dir: fc.constantFrom('ge' as const, 'le' as const),
          t: fc.nat(),
          prefix: fc.option(fc.tuple(fc.nat(), fc.nat())),
        }),
        (r) => {
          if (r.format.startsWith('SQ') && r.overflow === 'wrap') return;
          const weights =
            r.binary && !r.format.startsWith('UQ') && !r.format.startsWith('Q0') ? 'binary' : 'all';
          const s = settingOf(makeConfiguration({ ...r, weights }));
          const t = s.min + (r.t % s.size);
          const prefix: Step | undefined = r.prefix
            ? [s.weights[r.prefix[0] % s.weights.length], s.min + (r.prefix[1] % s.size)]
            : undefined;
          const ws = candidateWeights(s);
          expect(directCandidates(s, ws, r.dir, t, prefix)).toEqual(reference(s, ws, r.dir, t, prefix));
          // asked again (another candidate e): the memoised list, the same
          expect(directCandidates(s, ws, r.dir, t, prefix)).toEqual(reference(s, ws, r.dir, t, prefix));
        },
      ),
      { numRuns: 250 },
    );
  });
});
