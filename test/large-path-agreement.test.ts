import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Budget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { findChainCertificate, materializeChainCertificate } from '../src/engine/chain-certificate.js';
import { checkDist } from '../src/engine/dist.js';
import { exactAffine } from '../src/engine/exact-affine.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { contributesNothing, readableLevelsExist } from '../src/engine/levels.js';
import { fullRange, outputRange, outputValues } from '../src/engine/output-range.js';
import type { Setting } from '../src/engine/setting.js';
import { binaryApplicable, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';

// The paths that decide 16-bit cells (chain certificates with wrap and fan emitters, docs/theory.md §10;
// the output-range obstruction with its fast test) run on random small configurations, wrap and binary
// weights included, and must agree with the exhaustive engine (its obstructions on ≤ 256 values) wherever
// both decide: a chain certificate is re-checked gadget by gadget on every input, and no obstruction holds
// on its cell; a full range means that enumerating R_β finds a bias reaching every value.

const formats = ['Q1.2', 'Q2.2', 'Q1.3', 'Q0.4', 'ap_fixed<4,2>', 'ap_fixed<5,2>', 'ap_fixed<5,3>'];
const activations = [
  'relu',
  'sigmoid',
  'tanh',
  'gelu',
  'silu',
  'elu',
  'softplus',
  'hard-swish',
  'step',
  'identity',
];

const base = {
  activation: fc.constantFrom(...activations),
  overflow: fc.constantFrom('saturate', 'wrap', 'error'),
  rounding: fc.constantFrom('nearest-even', 'floor', 'nearest-up'),
  accumulation: fc.constantFrom('sequential', 'exact'),
  bias: fc.constantFrom('last', 'first'),
};
const cell = fc.oneof(
  fc.record({ ...base, format: fc.constantFrom(...formats), weights: fc.constantFrom('all', 'binary') }),
  // binary weights need more fractional bits for chains to exist
  fc.record({
    ...base,
    format: fc.constantFrom('Q2.3', 'Q1.4', 'ap_fixed<6,3>'),
    weights: fc.constant('binary'),
  }),
);

/**
 * The exhaustive engine's obstructions, as `decide` applies them (DIST, the affine obstruction, the output
 * range, the distinct-source fixpoint in both readings of the output layer): the first that holds, or null.
 * (`decide` itself would also run the exhaustive certificate search, seconds per cell under wrap.)
 */
function obstruction(s: Setting): string | null {
  if (s.size >= 3 && !checkDist(s).holds) return 'DIST';
  if (exactAffine(s)) return 'affine';
  const r = outputRange(s);
  if (r.largest < s.size && r.hiddenValues < s.size && r.shallowSwap === false) return 'output range';
  for (const sigmaOutput of [true, false]) {
    const fix = reachableUnary(s, { distinctSources: true, sigmaOutput });
    if (fix.status === 'done' && fix.missing) return 'fixpoint';
  }
  return null;
}

describe('the large-format paths agree with the exhaustive engine on small formats', () => {
  it('chain certificates (wrap, binary, fan emitters) are valid and never meet a not-universal verdict', () => {
    const found = { wrap: 0, binary: 0, all: 0 };
    fc.assert(
      fc.property(cell, (o) => {
        const c = makeConfiguration(o);
        if (o.weights === 'binary' && !binaryApplicable(c.format)) return;
        const s = settingOf(c);
        const { certificate } = findChainCertificate(s);
        if (!certificate) return;
        found.all++;
        if (o.overflow === 'wrap') found.wrap++;
        if (o.weights === 'binary') found.binary++;
        expect(verifyCertificate(s, materializeChainCertificate(s, certificate))).toBeNull();
        expect(obstruction(s), JSON.stringify(o)).toBeNull();
      }),
      { numRuns: 40, seed: 1614 },
    );
    // the property is not vacuous: certificates were found, under wrap and with binary weights
    expect(found.wrap).toBeGreaterThan(1);
    expect(found.binary).toBeGreaterThan(1);
  });

  it('a full output range (the fast test) is a bias reaching every value when R_β is enumerated', () => {
    fc.assert(
      fc.property(cell, (o) => {
        const c = makeConfiguration(o);
        if (o.weights === 'binary' && !binaryApplicable(c.format)) return;
        const s = settingOf(c);
        const at = outputValues(s);
        let largest = 0;
        for (let b = s.min; b <= s.max; b++) largest = Math.max(largest, at(b).size);
        if (fullRange(s)) expect(largest).toBe(s.size);
        expect(outputRange(s).largest).toBe(largest);
      }),
      { numRuns: 150, seed: 1613 },
    );
  });

  it('finds the terms ±ε of softplus on Q2.13 without the |W|·|V| sweep (it once took 30 s there)', () => {
    const s = settingOf(makeConfiguration({ format: 'Q2.13', activation: 'softplus' }));
    // the sweep spends |V| ≈ 3·10⁴ per weight and meets ±ε only near w = ±55 codes, 3·10⁴ weights in:
    // a work budget of 10⁶ steps stops it, the targeted weights w ≈ ±one/v spend nothing
    expect(fullRange(s, new Budget(1, 30, 1e6))).toMatch(/^ε and −ε are terms w⊗σ_F\(h\)/);
    expect(s.mul(55, s.sigma[0])).toBe(1);
  });

  it('readableLevelsExist (its shortcut under exact accumulation) agrees with a scan of every weight and value', () => {
    fc.assert(
      fc.property(cell, (o) => {
        const c = makeConfiguration(o);
        if (o.weights === 'binary' && !binaryApplicable(c.format)) return;
        const s = settingOf(c);
        const values = [...new Set(s.sigma)].filter((v) => v >= s.min);
        const scan = s.weights.some(
          (w) =>
            values.some((v) => contributesNothing(s, w, v)) &&
            values.some((v) => !contributesNothing(s, w, v)),
        );
        expect(readableLevelsExist(s)).toBe(scan);
      }),
      { numRuns: 150, seed: 1615 },
    );
  });
});
