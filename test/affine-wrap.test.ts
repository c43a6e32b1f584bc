import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affineUnderWrap } from '../src/engine/affine-wrap.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// The affine obstruction (docs/theory.md §10.4): identity σ_F, weights ±1 and wrap make every network
// affine modulo N, so the swap of min and min + ε is never computed.

describe('the affine obstruction under wrap', () => {
  it('holds for identity with binary weights under wrap only', () => {
    const s = (o: Record<string, string>) =>
      settingOf(
        makeConfiguration({ format: 'ap_fixed<5,2>', activation: 'identity', weights: 'binary', ...o }),
      );
    expect(affineUnderWrap(s({}))).toBe(true);
    expect(affineUnderWrap(s({ overflow: 'saturate' }))).toBe(false);
    expect(affineUnderWrap(s({ weights: 'all' }))).toBe(false);
    expect(affineUnderWrap(s({ activation: 'relu' }))).toBe(false);
  });

  it('agrees with the fixpoint: a 1-input function is missing on small formats', () => {
    for (const format of ['ap_fixed<3,2>', 'ap_fixed<4,2>', 'ap_fixed<4,3>']) {
      const c = makeConfiguration({ format, activation: 'identity', weights: 'binary' });
      const s = settingOf(c);
      expect(affineUnderWrap(s)).toBe(true);
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
