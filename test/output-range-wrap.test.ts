import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outputRange, shallowSwap } from '../src/engine/output-range.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { parseNetworkJson } from '../src/network/network-json.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// The counterexample of issue 11 to the old output-range argument under wrap (docs/theory.md §6):
// σ(x) = x ≥ 0 ? 1.5 : 0 on Q1.1, exact accumulation, wrap. Multiples of 1.5 wrap modulo 4 onto every
// value of Q1.1, so the output neuron of a network with hidden layers reaches all 8 values.
const ACT = { name: 'expr', expr: 'x >= 0 ? 1.5 : 0' };

describe('output range under wrap: the Q1.1 swap counterexample', () => {
  // test/fixtures/wrap-swap.json: layer 1 h_b = σ(x ⊕ b) for 8 biases, layer 2 point indicators
  // σ(h_b ⊖ h_{b+½} ⊕ (−½)) (one neuron per unit of a multiplicity m with 1.5·m ≡ f(x₀) mod 4), output
  // Σ ±indicator with bias 0. Binary weights only, one edge per source.
  const net = parseNetworkJson(readFileSync(new URL('./fixtures/wrap-swap.json', import.meta.url), 'utf8'));

  it('a 25-neuron binary-weight network computes the swap of -2 and -1.5 (reference evaluator)', () => {
    expect(net.layers.map((l) => l.neurons.length)).toEqual([8, 16, 1]);
    const outputs: bigint[] = [];
    for (let x = -4n; x <= 3n; x++) outputs.push(evaluateReference(net, [x])[0]);
    // codes of −2 … 1.5 in steps of ½: f swaps the first two and fixes the rest
    expect(outputs).toEqual([-3n, -4n, -2n, -1n, 0n, 1n, 2n, 3n]);
  });

  for (const weights of ['binary', 'all'] as const) {
    it(`the verdict is never not-universal (${weights} weights), and the range is all 8 values`, () => {
      const c = makeConfiguration({
        format: 'Q1.1',
        activation: ACT,
        accumulation: 'exact',
        overflow: 'wrap',
        weights,
      });
      const r = outputRange(settingOf(c));
      expect(r.largest).toBe(8);
      expect(decide(c).verdict).not.toBe('not-universal');
    });
  }

  it('the same cell under saturate keeps the obstruction (6 values: no wrap-around)', () => {
    const c = makeConfiguration({
      format: 'Q1.1',
      activation: ACT,
      accumulation: 'exact',
      overflow: 'saturate',
      weights: 'binary',
    });
    const s = settingOf(c);
    expect(outputRange(s).largest).toBeLessThan(8);
    expect(shallowSwap(s)).toBe(false);
    expect(decide(c).verdict).toBe('not-universal');
  });

  it('shallowSwap agrees with a brute force over every (w, β), every mode and accumulation', () => {
    // brute force over every (w, β) against shallowSwap, every overflow mode and accumulation
    for (const overflow of ['saturate', 'wrap', 'error'] as const) {
      for (const accumulation of ['sequential', 'exact'] as const) {
        for (const bias of ['last', 'first'] as const) {
          for (const format of ['Q0.0', 'UQ1.0', 'Q1.2', 'Q0.2', 'Q2.0', 'UQ1.1']) {
            const s = settingOf(
              makeConfiguration({ format, activation: 'relu', overflow, accumulation, bias }),
            );
            let brute = false;
            for (const w of s.weights) {
              for (let b = s.min; b <= s.max && !brute; b++) {
                let ok = true;
                for (let x = s.min; x <= s.max && ok; x++) {
                  const want = x === s.min ? s.min + 1 : x === s.min + 1 ? s.min : x;
                  let y: number;
                  try {
                    y =
                      accumulation === 'exact'
                        ? s.roundWide(b * s.one + w * x)
                        : bias === 'first'
                          ? s.add(b, s.mul(w, x))
                          : s.add(s.mul(w, x), b);
                  } catch {
                    y = Number.NaN;
                  }
                  ok = y === want;
                }
                brute = ok;
              }
            }
            expect(shallowSwap(s), `${format} ${overflow} ${accumulation} ${bias}`).toBe(brute);
          }
        }
      }
    }
  });
});
