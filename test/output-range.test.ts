import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Gadget } from '../src/engine/gadget.js';
import { outputRange } from '../src/engine/output-range.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { expressivityMap } from '../src/expressivity/map.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

describe('the output-range obstruction (docs/theory.md §6)', () => {
  it('step with binary weights on Q2.3: 16 of 64 values, not universal with the swap of min and min + ε', () => {
    const c = makeConfiguration({ format: 'Q2.3', activation: 'step', weights: 'binary' });
    const r = outputRange(settingOf(c));
    expect(r).toEqual({
      largest: 16,
      beta: expect.any(Number),
      hiddenValues: 2,
      shallowSwap: false,
      full: null,
    });
    const v = decide(c);
    expect(v.verdict).toBe('not-universal');
    expect(v.reason).toMatch(
      /^output-range obstruction: .* at most 16 of the 64 values .* swaps -4 and -3.875/,
    );
  });

  it('random step networks with ±1 weights never output more distinct values than the bound', () => {
    const c = makeConfiguration({ format: 'Q1.2', activation: 'step', weights: 'binary' });
    const s = settingOf(c);
    const { largest } = outputRange(s);
    expect(largest).toBe(8);
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(-4, 4), { minLength: 1, maxLength: 6 }), {
          minLength: 2,
          maxLength: 4,
        }),
        fc.integer({ min: s.min, max: s.max }),
        fc.array(fc.integer({ min: s.min, max: s.max }), { minLength: 6, maxLength: 6 }),
        (rows, beta, biases) => {
          // one hidden layer of rows.length step neurons on x (weight ±1, biases), then the output neuron
          const hidden: Gadget = {
            inputs: 1,
            layers: [rows.map((_, i) => ({ bias: biases[i], edges: [[0, rows[i][0]]] as const }))],
          };
          const outW = rows.map((r) => r[r.length - 1]);
          const net = makeNetwork({
            format: c.format,
            policy: c.policy,
            inputs: 1,
            layers: [
              {
                activation: c.activation,
                neurons: hidden.layers[0].map((n) => ({
                  bias: BigInt(n.bias),
                  edges: n.edges.map(([src, w]) => [src, BigInt(w)] as const),
                })),
              },
              {
                activation: 'identity',
                neurons: [{ bias: BigInt(beta), edges: outW.map((w, j) => [j, BigInt(w)] as const) }],
              },
            ],
          });
          const outs = new Set<bigint>();
          for (let x = s.min; x <= s.max; x++) outs.add(evaluateReference(net, [BigInt(x)])[0]);
          return outs.size <= largest;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never fires on a ✓ cell of the 3–5-bit maps (all and binary weights)', () => {
    for (const weights of ['all', 'binary'] as const) {
      for (const cell of expressivityMap(5, weights)) {
        if (cell.verdict !== 'universal') continue;
        const s = settingOf(makeConfiguration({ format: cell.format, activation: cell.activation, weights }));
        expect(outputRange(s).largest, `${cell.activation} ${cell.format} ${weights}`).toBe(s.size);
      }
    }
  }, 120_000);
});
