import { describe, expect, it } from 'vitest';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { integerAffineUnderWrap } from '../src/engine/integer-affine.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// The integer affine obstruction (docs/theory.md §10.8, Lemma IA): integer formats under wrap with σ_F the
// identity on every code compute (Σ c_i·x_i + k) mod N, whatever the weights.

const config = (format: string, activation: string, rounding: string, accumulation: string, bias = 'last') =>
  makeConfiguration({
    format,
    activation,
    rounding,
    overflow: 'wrap',
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

describe('the integer affine obstruction (wrap, no fraction bits, σ_F the identity table)', () => {
  it('applies exactly where its hypotheses hold', () => {
    expect(
      integerAffineUnderWrap(settingOf(config('ap_uint<5>', 'gelu-tanh', 'nearest-zero', 'sequential'))),
    ).toBe(true);
    expect(integerAffineUnderWrap(settingOf(config('UQ4.0', 'hard-swish', 'nearest-away', 'exact')))).toBe(
      true,
    );
    expect(integerAffineUnderWrap(settingOf(config('ap_int<5>', 'identity', 'floor', 'exact')))).toBe(true);
    // one fraction bit: products round, the lemma does not apply
    expect(integerAffineUnderWrap(settingOf(config('UQ3.1', 'relu', 'floor', 'sequential')))).toBe(false);
    // σ_F not the identity (sigmoid), or saturate
    expect(integerAffineUnderWrap(settingOf(config('UQ4.0', 'sigmoid', 'floor', 'sequential')))).toBe(false);
    const sat = makeConfiguration({ format: 'UQ4.0', activation: 'relu', overflow: 'saturate' } as never);
    expect(integerAffineUnderWrap(settingOf(sat))).toBe(false);
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
            if (!integerAffineUnderWrap(s)) continue;
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
        if (!integerAffineUnderWrap(s)) continue;
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
      expect(v.reason).toMatch(/integer affine/);
    }
  });
});
