import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactAffine } from '../src/engine/exact-affine.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { monotoneObstruction } from '../src/engine/monotone-obstruction.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// docs/theory.md §10.7: with non-negative weights (UQ formats), a non-decreasing σ_F and no wrap-around
// every network is non-decreasing, so a decreasing function is never computed; and under overflow `error`
// a network that computes a function overflows nowhere, so identity with ±1 weights stays affine.

const ACTS = [
  'identity',
  'relu',
  'sigmoid',
  'tanh',
  'gelu',
  'silu',
  'mish',
  'hard-swish',
  'softplus',
  'step',
];

/** A random layered network from raw parameters (weights reduced into the weight set). */
function build(
  config: ReturnType<typeof makeConfiguration>,
  raw: Array<Array<[number, number[]]>>,
  weight: (w: number) => bigint,
) {
  const s = settingOf(config);
  let width = 1;
  const layers = raw.map((layer, li) => {
    const neurons = layer.map(([b, ws]) => ({
      bias: BigInt(s.min + (((b % s.size) + s.size) % s.size)),
      edges: ws.slice(0, width).map((w, j) => [j, weight(w)] as const),
    }));
    width = neurons.length;
    const last = li === raw.length - 1;
    return {
      activation: last
        ? makeConfiguration({ format: config.format.spec, activation: 'identity' }).activation
        : config.activation,
      neurons: last ? neurons.slice(0, 1) : neurons,
    };
  });
  return makeNetwork({
    format: config.format,
    policy: config.policy,
    accumulation: config.accumulation,
    bias: config.bias,
    inputs: 1,
    layers,
  });
}

/** f on every code, or null when the network raises on some input (overflow under error). */
function table(net: ReturnType<typeof makeNetwork>, min: number, max: number): number[] | null {
  const out: number[] = [];
  for (let x = min; x <= max; x++) {
    try {
      out.push(Number(evaluateReference(net, [BigInt(x)])[0]));
    } catch {
      return null;
    }
  }
  return out;
}

const rawNet = fc.array(
  fc.array(
    fc.tuple(fc.integer({ min: 0, max: 1 << 12 }), fc.array(fc.nat(1 << 12), { minLength: 1, maxLength: 3 })),
    {
      minLength: 1,
      maxLength: 3,
    },
  ),
  { minLength: 1, maxLength: 3 },
);

describe('the monotone obstruction', () => {
  it('holds with non-negative weights, a non-decreasing σ_F and saturate or error only', () => {
    const s = (o: Record<string, string>) =>
      settingOf(makeConfiguration({ format: 'UQ3.3', activation: 'relu', ...o }));
    expect(monotoneObstruction(s({}))).toBe(true);
    expect(monotoneObstruction(s({ overflow: 'error' }))).toBe(true);
    expect(monotoneObstruction(s({ overflow: 'wrap' }))).toBe(false);
    expect(monotoneObstruction(settingOf(makeConfiguration({ format: 'Q3.3', activation: 'relu' })))).toBe(
      false,
    );
    // a σ_F table that decreases somewhere
    const base = s({});
    const sigma = Float64Array.from(base.sigma);
    [sigma[3], sigma[4]] = [sigma[4], sigma[3]];
    expect(monotoneObstruction({ ...base, sigma })).toBe(false);
  });

  it('decides UQ cells the search left undetermined; agrees with the fixpoint on tiny formats', () => {
    for (const activation of ['relu', 'identity']) {
      const v = decide(makeConfiguration({ format: 'UQ3.3', activation }));
      expect(v.verdict).toBe('not-universal');
      expect(v.reason).toMatch(/monotone obstruction/);
    }
    // the fixpoint (every 1-input function networks compute, repeated edges too) computes at most the
    // C(2N − 1, N) non-decreasing functions 𝕀 → 𝕀 (35 for N = 4, reached on UQ1.1 and UQ0.2)
    for (const format of ['UQ1.1', 'UQ0.2', 'UQ2.0']) {
      const s = settingOf(makeConfiguration({ format, activation: 'relu' }));
      expect(monotoneObstruction(s)).toBe(true);
      const fix = reachableUnary(s, { distinctSources: false });
      expect(fix.status, format).toBe('done');
      if (fix.status === 'done') expect(fix.computed).toBeLessThanOrEqual(35);
    }
  });

  it('every random network with non-negative weights is non-decreasing (reference evaluator)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTS),
        fc.constantFrom('saturate', 'error'),
        fc.constantFrom('nearest-even', 'floor', 'ceil', 'nearest-away', 'toward-zero'),
        fc.constantFrom('sequential', 'exact'),
        fc.constantFrom('last', 'first'),
        rawNet,
        (activation, overflow, rounding, accumulation, bias, raw) => {
          const c = makeConfiguration({
            format: 'UQ2.3',
            activation,
            overflow,
            rounding,
            accumulation,
            bias,
          });
          const s = settingOf(c);
          if (!monotoneObstruction(s)) return;
          const f = table(
            build(c, raw, (w) => BigInt(w % s.size)),
            s.min,
            s.max,
          );
          if (!f) return;
          for (let i = 1; i < f.length; i++) expect(f[i]).toBeGreaterThanOrEqual(f[i - 1]);
        },
      ),
      { numRuns: 200, seed: 71 },
    );
  });
});

describe('the affine obstruction under error', () => {
  it('holds for identity with binary weights under error, and decides cells the search left undetermined', () => {
    for (const format of ['Q3.3', 'SQ3.3']) {
      const c = makeConfiguration({ format, activation: 'identity', weights: 'binary', overflow: 'error' });
      expect(exactAffine(settingOf(c))).toBe(true);
      const v = decide(c);
      expect(v.verdict).toBe('not-universal');
      expect(v.reason).toMatch(/affine obstruction/);
    }
  });

  it('every random network valid under error computes Σ c·x + k exactly (reference evaluator)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Q2.3', 'SQ2.3'),
        fc.constantFrom('sequential', 'exact'),
        fc.constantFrom('last', 'first'),
        rawNet,
        (format, accumulation, bias, raw) => {
          const c = makeConfiguration({
            format,
            activation: 'identity',
            weights: 'binary',
            overflow: 'error',
            accumulation,
            bias,
          });
          const s = settingOf(c);
          const f = table(
            build(c, raw, (w) => (w % 2 ? BigInt(s.one) : BigInt(-s.one))),
            s.min,
            s.max,
          );
          if (!f) return;
          const k = f[-s.min];
          const coef = f[1 - s.min] - k;
          for (let x = s.min; x <= s.max; x++) expect(f[x - s.min]).toBe(coef * x + k);
        },
      ),
      { numRuns: 200, seed: 72 },
    );
  });
});
