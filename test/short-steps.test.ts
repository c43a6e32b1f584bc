import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SaturatingSteps } from '../src/constructions/saturating-steps.js';
import { ShortSteps } from '../src/constructions/short-steps.js';
import { findWindow } from '../src/constructions/window-neuron.js';
import { candidateWeights } from '../src/engine/chain-solver.js';
import { type Setting, unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';

/** The values of a chain on x, stage by stage with the setting's own unary neuron. */
function run(s: Setting, chain: ReadonlyArray<readonly [number, number]>, x: number): number {
  let h = x;
  for (const [w, b] of chain) h = unary(s, w, h, b);
  return h;
}

/**
 * The image of a value interval under one stage as the steps track it: σ_F's range over every code
 * between the lowest and highest pre-activation of the interval's values, each evaluated one by one.
 */
function bruteImage(s: Setting, v: readonly [number, number], g: number, b: number): [number, number] {
  let pLo = Number.POSITIVE_INFINITY;
  let pHi = Number.NEGATIVE_INFINITY;
  for (let h = v[0]; h <= v[1]; h++) {
    const p = s.add(s.mul(g, h), b);
    pLo = Math.min(pLo, p);
    pHi = Math.max(pHi, p);
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let p = pLo; p <= pHi; p++) {
    lo = Math.min(lo, s.sigma[p - s.min]);
    hi = Math.max(hi, s.sigma[p - s.min]);
  }
  return [lo, hi];
}

describe('short saturating steps', () => {
  it('softplus Q3.4: the fine steps on [56, 87] take 3 stages (beam: 4), exact on the domain', () => {
    const s = settingOf(makeConfiguration({ format: 'Q3.4', activation: 'softplus' }));
    const ss = new SaturatingSteps(s);
    for (const t of [57, 70, 87]) {
      const st = ss.step(t, [56, 87], true)!;
      expect(st.chain.length).toBeLessThanOrEqual(3);
      expect(st.la).not.toBe(st.lb);
      for (let x = 56; x <= 87; x++) expect(run(s, st.chain, x)).toBe(x >= t ? st.la : st.lb);
      // one window neuron turns the raw levels into one and 0
      expect(findWindow(s, [[st.lb], [st.la]], [0, s.one])).not.toBeNull();
    }
    // on all of 𝕀, normalised to one and 0: 4 stages (beam: 5)
    const st = ss.step(0)!;
    expect(st.chain.length).toBeLessThanOrEqual(4);
    for (let x = s.min; x <= s.max; x++) expect(run(s, st.chain, x)).toBe(x >= 0 ? s.one : 0);
  });

  it('hard-swish Q3.4: a fine step on [47, 78] takes 3 stages (middle gain 4·one; beam: 4)', () => {
    const s = settingOf(makeConfiguration({ format: 'Q3.4', activation: 'hard-swish' }));
    const st = new SaturatingSteps(s).step(63, [47, 78], true)!;
    expect(st.chain.length).toBeLessThanOrEqual(3);
    for (let x = 47; x <= 78; x++) expect(run(s, st.chain, x)).toBe(x >= 63 ? st.la : st.lb);
    expect(findWindow(s, [[st.lb], [st.la]], [0, s.one])).not.toBeNull();
  });

  it.each([
    ['gelu', 'Q2.2'],
    ['softplus', 'Q2.2'],
    ['hard-swish', 'Q2.3'],
  ])(
    '%s %s: finish() finds a collapsing stage exactly when a brute-force search over every gain and bias does',
    (activation, format) => {
      const s = settingOf(makeConfiguration({ format, activation }));
      const image = (v: readonly [number, number], g: number, b: number) => bruteImage(s, v, g, b);
      const short = new ShortSteps(s, image);
      const gains = candidateWeights(s);
      const lo = Math.min(...s.sigma);
      const hi = Math.max(...s.sigma);
      const value = fc.integer({ min: lo, max: hi });
      const interval = fc.tuple(value, value).map(([p, q]) => [Math.min(p, q), Math.max(p, q)] as const);
      fc.assert(
        fc.property(interval, interval, (a, b) => {
          fc.pre(a[1] < b[0] || b[1] < a[0]);
          const got = short.finish(a, b);
          let exists = false;
          for (const g of gains) {
            for (let bias = s.min; bias <= s.max && !exists; bias++) {
              const na = bruteImage(s, a, g, bias);
              const nb = bruteImage(s, b, g, bias);
              if (na[0] !== na[1] || nb[0] !== nb[1] || na[0] === nb[0]) continue;
              exists =
                (na[0] === s.one && nb[0] === 0) || findWindow(s, [[nb[0]], [na[0]]], [0, s.one]) !== null;
            }
          }
          expect(got !== null).toBe(exists);
          if (got) {
            // the stage found sends every value of each side to its level
            const [[g, bias]] = got.path;
            for (let h = a[0]; h <= a[1]; h++) expect(unary(s, g, h, bias)).toBe(got.la);
            for (let h = b[0]; h <= b[1]; h++) expect(unary(s, g, h, bias)).toBe(got.lb);
          }
        }),
        { numRuns: 150, seed: 7 },
      );
    },
  );
});
