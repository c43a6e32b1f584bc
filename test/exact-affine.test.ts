import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affineShift, exactAffine } from '../src/engine/exact-affine.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork } from '../src/network/network.js';
import { NetworkOverflowError } from '../src/network/network-overflow-error.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// The exact affine obstruction (docs/theory.md §10.4, Proposition EA): σ_F the identity table, integer-valued
// weights (±1 on any format, any weight on an integer format), wrap or error: every network is affine on
// codes (modulo N under wrap), so the function f(min) = min + 1, f(min + 1) = f(min + 2) = min is never computed.

describe('the exact affine obstruction: binary weights', () => {
  it('holds for identity with binary weights under wrap and error, not saturate', () => {
    const s = (o: Record<string, string>) =>
      settingOf(
        makeConfiguration({ format: 'ap_fixed<5,2>', activation: 'identity', weights: 'binary', ...o }),
      );
    expect(exactAffine(s({}))).toBe(true);
    expect(exactAffine(s({ overflow: 'error' }))).toBe(true);
    expect(exactAffine(s({ overflow: 'saturate' }))).toBe(false);
    expect(exactAffine(s({ weights: 'all' }))).toBe(false);
    expect(exactAffine(s({ activation: 'relu' }))).toBe(false);
  });

  it('agrees with the fixpoint: a 1-input function is missing on small formats', () => {
    for (const format of ['ap_fixed<3,2>', 'ap_fixed<4,2>', 'ap_fixed<4,3>']) {
      const c = makeConfiguration({ format, activation: 'identity', weights: 'binary' });
      const s = settingOf(c);
      expect(exactAffine(s)).toBe(true);
      const fix = reachableUnary(s, { distinctSources: false, sigmaOutput: false });
      expect(fix.status === 'done' && fix.missing !== null, format).toBe(true);
      expect(decide(c).verdict).toBe('not-universal');
    }
  });

  it('every random network computes an affine function modulo N (reference evaluator, both accumulations)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sequential', 'exact'),
        fc.constantFrom('last', 'first'),
        fc.array(
          fc.array(
            fc.tuple(
              fc.integer({ min: -16, max: 15 }),
              fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
            ),
            { minLength: 1, maxLength: 3 },
          ),
          { minLength: 1, maxLength: 3 },
        ),
        (accumulation, bias, raw) => {
          const c = makeConfiguration({
            format: 'ap_fixed<5,2>',
            activation: 'identity',
            weights: 'binary',
            accumulation,
            bias,
          });
          const s = settingOf(c);
          let width = 1;
          const layers = raw.map((layer, li) => {
            const neurons = layer.map(([b, signs]) => ({
              bias: BigInt(b),
              edges: signs.slice(0, width).map((up, j) => [j, up ? BigInt(s.one) : BigInt(-s.one)] as const),
            }));
            width = neurons.length;
            return {
              activation: c.activation,
              neurons: li === raw.length - 1 ? neurons.slice(0, 1) : neurons,
            };
          });
          const net = makeNetwork({
            format: c.format,
            policy: c.policy,
            accumulation,
            bias,
            inputs: 1,
            layers,
          });
          const f = (x: number) => Number(evaluateReference(net, [BigInt(x)])[0]);
          const N = s.size;
          const k = f(0);
          const coef = (((f(1) - k) % N) + N) % N;
          for (let x = s.min; x <= s.max; x++) {
            const want = s.min + ((((coef * x + k - s.min) % N) + N) % N);
            expect(f(x)).toBe(want);
          }
        },
      ),
      { numRuns: 150, seed: 104 },
    );
  });
});

const config = (
  format: string,
  activation: string,
  rounding: string,
  accumulation: string,
  bias = 'last',
  overflow = 'wrap',
) =>
  makeConfiguration({
    format,
    activation,
    rounding,
    overflow,
    accumulation,
    bias,
    weights: 'all',
  } as never);

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

describe('the exact affine obstruction: integer formats, any weights', () => {
  it('applies exactly where its hypotheses hold', () => {
    expect(exactAffine(settingOf(config('ap_uint<5>', 'gelu-tanh', 'nearest-zero', 'sequential')))).toBe(
      true,
    );
    expect(exactAffine(settingOf(config('UQ4.0', 'hard-swish', 'nearest-away', 'exact')))).toBe(true);
    expect(exactAffine(settingOf(config('ap_int<5>', 'identity', 'floor', 'exact')))).toBe(true);
    // one fraction bit: products round, the lemma does not apply
    expect(exactAffine(settingOf(config('UQ3.1', 'relu', 'floor', 'sequential')))).toBe(false);
    // σ_F not the identity (sigmoid), or saturate
    expect(exactAffine(settingOf(config('UQ4.0', 'sigmoid', 'floor', 'sequential')))).toBe(false);
    const sat = makeConfiguration({ format: 'UQ4.0', activation: 'relu', overflow: 'saturate' } as never);
    expect(exactAffine(settingOf(sat))).toBe(false);
  });

  it('random networks on integer formats are affine modulo N (BigInt reference evaluator), never the witness', () => {
    const r = rng(11);
    let checked = 0;
    for (const [format, activation] of [
      ['ap_uint<4>', 'gelu-tanh'],
      ['UQ3.0', 'relu'],
      ['ap_int<4>', 'identity'],
      ['ap_uint<5>', 'hard-swish'],
    ] as const)
      for (const rounding of ['floor', 'nearest-even', 'ceil'])
        for (const accumulation of ['sequential', 'exact'])
          for (const bias of ['first', 'last']) {
            const cfg = config(format, activation, rounding, accumulation, bias);
            const s = settingOf(cfg);
            // gelu-tanh and hard-swish round 1 down to 0 under floor: the lemma does not apply there
            if (!exactAffine(s)) continue;
            const N = s.size;
            const code = () => BigInt(s.min + r(N));
            for (let trial = 0; trial < 4; trial++) {
              const widths = [1 + r(4), 1 + r(4), 1];
              let prev = 1;
              const layers = widths.map((w, li) => {
                const layer = {
                  activation:
                    li === widths.length - 1
                      ? config(format, 'identity', rounding, accumulation).activation
                      : cfg.activation,
                  neurons: Array.from({ length: w }, () => ({
                    bias: code(),
                    edges: [...Array(prev).keys()].filter(() => r(4) > 0).map((j) => [j, code()] as const),
                  })),
                };
                prev = w;
                return layer;
              });
              const net = makeNetwork({
                format: cfg.format,
                policy: cfg.policy,
                accumulation: cfg.accumulation,
                bias: cfg.bias,
                inputs: 1,
                layers,
              });
              const f = [];
              for (let x = s.min; x <= s.max; x++) f.push(Number(evaluateReference(net, [BigInt(x)])[0]));
              const mod = (v: number) => ((v % N) + N) % N;
              const c = mod(f[1] - f[0]);
              for (let i = 1; i < N; i++)
                expect(mod(f[i] - f[i - 1]), `${format} ${activation} ${rounding}`).toBe(c);
              // the witness f(min) = min + 1, f(min + 1) = f(min + 2) = min is not affine
              expect(f[0] === s.min + 1 && f[1] === s.min && f[2] === s.min).toBe(false);
              checked++;
            }
          }
    expect(checked).toBeGreaterThanOrEqual(2 * 3 * 2 * 2 * 4);
  });

  it('the fixpoint (§4) agrees: some function is missing on 2- and 3-bit integer formats', () => {
    for (const format of ['UQ2.0', 'UQ3.0', 'ap_int<3>'])
      for (const rounding of ['floor', 'nearest-up']) {
        const s = settingOf(config(format, 'relu', rounding, 'sequential'));
        if (!exactAffine(s)) continue;
        const fix = reachableUnary(s, { distinctSources: true, sigmaOutput: false });
        expect(fix.status).toBe('done');
        if (fix.status === 'done') expect(fix.missing, format).not.toBeNull();
      }
  });

  it('decide answers not-universal on the random-sample cells of §10.6', () => {
    for (const [a, f, r, acc, b] of [
      ['gelu-tanh', 'ap_uint<9>', 'nearest-zero', 'sequential', 'last'],
      ['hard-swish', 'UQ11.0', 'nearest-away', 'sequential', 'first'],
    ]) {
      const v = decide(config(f, a, r, acc, b));
      expect(v.verdict, `${a} ${f}`).toBe('not-universal');
      expect(v.reason).toMatch(/exact affine obstruction/);
    }
  });

  it('under error: random networks on integer formats that raise nowhere compute c·x + k exactly', () => {
    const r = rng(23);
    let valid = 0;
    for (const format of ['ap_int<4>', 'ap_uint<4>', 'UQ3.0'])
      for (const accumulation of ['sequential', 'exact'])
        for (const bias of ['first', 'last']) {
          const cfg = config(format, 'identity', 'toward-zero', accumulation, bias, 'error');
          const s = settingOf(cfg);
          expect(exactAffine(s), format).toBe(true);
          const N = s.size;
          // small weights and biases, so that some networks raise on no input
          const small = () => BigInt(Math.max(s.min, Math.min(s.max, r(5) - 2)));
          for (let trial = 0; trial < 40; trial++) {
            const widths = [1 + r(3), 1 + r(3), 1];
            let prev = 1;
            const layers = widths.map((w) => {
              const layer = {
                activation: cfg.activation,
                neurons: Array.from({ length: w }, () => ({
                  bias: small(),
                  edges: [...Array(prev).keys()].map((j) => [j, small()] as const),
                })),
              };
              prev = w;
              return layer;
            });
            const net = makeNetwork({
              format: cfg.format,
              policy: cfg.policy,
              accumulation: cfg.accumulation,
              bias: cfg.bias,
              inputs: 1,
              layers,
            });
            const f: number[] = [];
            try {
              for (let x = s.min; x <= s.max; x++) f.push(Number(evaluateReference(net, [BigInt(x)])[0]));
            } catch (e) {
              expect(e).toBeInstanceOf(NetworkOverflowError);
              continue;
            }
            const c = f[1] - f[0];
            for (let i = 1; i < N; i++) expect(f[i] - f[i - 1], format).toBe(c);
            valid++;
          }
        }
    expect(valid).toBeGreaterThan(30);
  });

  it('decides identity on ap_fixed<16,16> under toward-zero and error (no fraction bit) not-universal', () => {
    const v = decide(config('ap_fixed<16,16>', 'identity', 'toward-zero', 'sequential', 'last', 'error'));
    expect(v.verdict).toBe('not-universal');
    expect(v.reason).toMatch(/exact affine obstruction.*no fraction bits.*exactly/);
  });

  it('the fixpoint (§4) agrees under error on 3-bit integer formats', () => {
    for (const format of ['ap_int<3>', 'UQ3.0']) {
      const s = settingOf(config(format, 'identity', 'floor', 'sequential', 'last', 'error'));
      expect(exactAffine(s)).toBe(true);
      const fix = reachableUnary(s, { distinctSources: true, sigmaOutput: false });
      expect(fix.status).toBe('done');
      if (fix.status === 'done') expect(fix.missing, format).not.toBeNull();
    }
  });
});

// Proposition EA′ (docs/theory.md §10.4): σ_F a translation of the identity table, σ_F(v) ≡ v + k (mod N),
// e.g. softplus on UQm.0 under ceil (softplus(v) ∈ (v, v + 1) rounds up to v + 1; max + 1 wraps to 0)
describe('the exact affine obstruction with a translated table (Proposition EA′)', () => {
  it('finds the shift k = 1 of softplus on UQm.0 under ceil and wrap, and no shift where the table is not one', () => {
    for (const format of ['UQ3.0', 'UQ4.0', 'UQ6.0'])
      for (const accumulation of ['sequential', 'exact']) {
        const s = settingOf(config(format, 'softplus', 'ceil', accumulation));
        expect(affineShift(s), format).toBe(1);
        expect(Array.from(s.sigma)).toEqual(Array.from(s.sigma, (_, i) => (i + 1) % s.size));
      }
    expect(affineShift(settingOf(config('UQ3.0', 'softplus', 'floor', 'exact')))).toBe(0);
    expect(affineShift(settingOf(config('UQ3.0', 'softplus', 'nearest-even', 'exact')))).toBeNull();
    expect(affineShift(settingOf(config('UQ3.0', 'identity', 'ceil', 'exact')))).toBe(0);
    const sat = settingOf({
      ...config('UQ3.0', 'softplus', 'ceil', 'exact'),
      policy: { ...config('UQ3.0', 'softplus', 'ceil', 'exact').policy, overflow: 'saturate' },
    });
    expect(affineShift(sat)).toBeNull();
  });

  it('random softplus networks on UQ3.0 and UQ4.0 (ceil, wrap) are affine modulo N (BigInt reference evaluator)', () => {
    const r = rng(5);
    let checked = 0;
    for (const format of ['UQ3.0', 'UQ4.0'])
      for (const accumulation of ['sequential', 'exact'])
        for (const bias of ['first', 'last']) {
          const cfg = config(format, 'softplus', 'ceil', accumulation, bias);
          const s = settingOf(cfg);
          const N = s.size;
          const code = () => BigInt(s.min + r(N));
          for (let trial = 0; trial < 6; trial++) {
            const widths = [1 + r(3), 1 + r(3), 1];
            let prev = 1;
            const layers = widths.map((w, li) => {
              const layer = {
                activation:
                  li === widths.length - 1
                    ? config(format, 'identity', 'ceil', accumulation).activation
                    : cfg.activation,
                neurons: Array.from({ length: w }, () => ({
                  bias: code(),
                  edges: [...Array(prev).keys()].filter(() => r(4) > 0).map((j) => [j, code()] as const),
                })),
              };
              prev = w;
              return layer;
            });
            const net = makeNetwork({
              format: cfg.format,
              policy: cfg.policy,
              accumulation: cfg.accumulation,
              bias: cfg.bias,
              inputs: 1,
              layers,
            });
            const f: number[] = [];
            for (let x = s.min; x <= s.max; x++) f.push(Number(evaluateReference(net, [BigInt(x)])[0]));
            const mod = (v: number) => ((v % N) + N) % N;
            for (let i = 1; i < N; i++) expect(mod(f[i] - f[i - 1]), format).toBe(mod(f[1] - f[0]));
            checked++;
          }
        }
    expect(checked).toBe(48);
  });

  it('the fixpoint (§4) agrees on UQ3.0 (sequential), and decide answers not-universal on the exact cells', () => {
    const s = settingOf(config('UQ3.0', 'softplus', 'ceil', 'sequential'));
    const fix = reachableUnary(s, { distinctSources: true, sigmaOutput: false });
    expect(fix.status).toBe('done');
    if (fix.status === 'done') expect(fix.missing).not.toBeNull();
    for (const bias of ['first', 'last']) {
      const v = decide(config('UQ3.0', 'softplus', 'ceil', 'exact', bias));
      expect(v.verdict).toBe('not-universal');
      expect(v.reason).toContain('Proposition EA′');
    }
  });
});
