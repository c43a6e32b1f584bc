/**
 * The sweep evaluator (src/network/sweep-evaluator.ts) against the BigInt reference on every input of
 * random networks (every format kind, rounding and overflow mode, both accumulations and bias orders,
 * binary weights, 1–3 inputs), and on networks the compiler builds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeConfiguration } from '../src/expressivity/configuration.js';
import { construct } from '../src/expressivity/construct.js';
import { makeFormat } from '../src/format.js';
import { allInputs } from '../src/network/input-space.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { evaluateAllInputs, SweepTooLarge } from '../src/network/sweep-evaluator.js';
import { randomTable } from '../src/prng.js';
import { networkArb, type Outcome, referenceOutcomes, smallFormatArb } from './network-arbitrary.js';

/** The sweep's outcome per input in the shape of `referenceOutcomes` (an overflow is just "overflow"). */
function sweepOutcomes(net: Network): Array<Outcome | 'overflow'> {
  const r = evaluateAllInputs(net);
  return Array.from(r.outputs[0], (_, i) =>
    r.overflow?.[i] === 1 ? 'overflow' : { outputs: r.outputs.map((o) => BigInt(o[i])) },
  );
}

function referenceShape(net: Network): Array<Outcome | 'overflow'> {
  return referenceOutcomes(net).map((o) => ('overflow' in o ? 'overflow' : o));
}

const networks: fc.Arbitrary<Network> = fc.oneof(
  smallFormatArb(64).chain((f) => networkArb(f, { inputs: 1, maxLayers: 4, maxWidth: 5, maxEdges: 5 })),
  smallFormatArb(16).chain((f) => networkArb(f, { inputs: 2, maxLayers: 3, maxWidth: 4, maxEdges: 5 })),
  smallFormatArb(6).chain((f) => networkArb(f, { inputs: 3, maxLayers: 3, maxWidth: 3, maxEdges: 6 })),
);

describe('evaluateAllInputs', () => {
  it('equals the BigInt reference on every input of random networks (all formats, modes, semantics)', () => {
    fc.assert(
      fc.property(networks, (net) => {
        expect(sweepOutcomes(net)).toEqual(referenceShape(net));
      }),
      { numRuns: 400 },
    );
  });

  it('one input under saturation (first layer by bisection over monotone pre-activations) equals the reference', () => {
    const oneInput = smallFormatArb(64)
      .chain((f) => networkArb(f, { inputs: 1, maxLayers: 3, maxWidth: 6, maxEdges: 4 }))
      .filter((n) => n.policy.overflow === 'saturate');
    fc.assert(
      fc.property(oneInput, (net) => {
        expect(sweepOutcomes(net)).toEqual(referenceShape(net));
      }),
      { numRuns: 200 },
    );
  });

  it('one input under wrap: first layers that never overflow or do (bisection over wrap segments) equal the reference', () => {
    // first-layer weights and biases shrunk so that many first layers never leave 𝕀 (one segment); the
    // others wrap, and the bisection first splits x at the ends of the segments of rnd(w·x) + b
    const shrink = (net: Network, k: bigint): Network =>
      makeNetwork({
        ...net,
        layers: net.layers.map((layer, l) =>
          l > 0
            ? layer
            : {
                ...layer,
                neurons: layer.neurons.map((n) => ({
                  bias: n.bias / k,
                  edges: n.edges.map(([j, w]) => [j, w / (k * 4n)] as const),
                })),
              },
        ),
      });
    const oneInput = smallFormatArb(64)
      .chain((f) => networkArb(f, { inputs: 1, maxLayers: 3, maxWidth: 6, maxEdges: 4 }))
      .filter((n) => n.policy.overflow === 'wrap' && n.weights === 'all');
    fc.assert(
      fc.property(oneInput, fc.constantFrom(1n, 2n, 4n, 16n), (net, k) => {
        const small = shrink(net, k);
        expect(sweepOutcomes(small)).toEqual(referenceShape(small));
      }),
      { numRuns: 200 },
    );
  });

  it('runs of inputs (first, count) give the same outputs as the whole sweep (d = 1)', () => {
    const oneInput = smallFormatArb(64).chain((f) =>
      networkArb(f, { inputs: 1, maxLayers: 3, maxWidth: 5, maxEdges: 4 }),
    );
    fc.assert(
      fc.property(oneInput, fc.nat(), fc.nat(), (net, a, b) => {
        const whole = evaluateAllInputs(net);
        const size = whole.outputs[0].length;
        const first = a % size;
        const count = 1 + (b % (size - first));
        const part = evaluateAllInputs(net, { first, count });
        for (let k = 0; k < whole.outputs.length; k++)
          expect(Array.from(part.outputs[k])).toEqual(
            Array.from(whole.outputs[k].subarray(first, first + count)),
          );
        if (whole.overflow)
          expect(Array.from(part.overflow!)).toEqual(
            Array.from(whole.overflow.subarray(first, first + count)),
          );
      }),
      { numRuns: 150 },
    );
    const two = makeNetwork({
      format: 'Q1.1',
      inputs: 2,
      layers: [{ activation: 'relu', neurons: [{ bias: 0n, edges: [[0, 2n]] }] }],
    } as never);
    expect(() => evaluateAllInputs(two, { first: 0, count: 2 })).toThrow(/first and count need one input/);
  });

  it('periodic first layers under wrap (integer gains, two-level-periodic) equal the reference', () => {
    // σ(G ⊗ x ⊕ β): the pre-activation wraps G times over 𝕀
    for (const activation of ['tanh', 'elu', 'silu']) {
      const net = makeNetwork({
        format: 'ap_fixed<8,4>',
        policy: { rounding: 'floor', overflow: 'wrap' },
        inputs: 1,
        layers: [
          {
            activation,
            neurons: [3n, -5n, 7n].map((g, i) => ({
              bias: BigInt(17 * i - 20),
              edges: [[0, g * 16n]] as const,
            })),
          },
          {
            activation: 'identity',
            neurons: [
              {
                bias: 0n,
                edges: [
                  [0, 16n],
                  [1, -16n],
                  [2, 5n],
                ],
              },
            ],
          },
        ],
      } as never);
      expect(sweepOutcomes(net)).toEqual(referenceShape(net));
    }
  });

  it('skips nothing terms exactly: many zero weights and biases, wide fan-in, sequential and exact', () => {
    const f = makeFormat('Q', 2, 2);
    const sparse = fc
      .record({
        accumulation: fc.constantFrom('sequential' as const, 'exact' as const),
        bias: fc.constantFrom('last' as const, 'first' as const),
        rounding: fc.constantFrom('nearest-even' as const, 'floor' as const, 'ceil' as const),
        overflow: fc.constantFrom('saturate' as const, 'wrap' as const, 'error' as const),
        hidden: fc.array(
          fc.record({
            bias: fc.bigInt(-2n, 2n),
            edges: fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.bigInt(-16n, 15n)), {
              minLength: 1,
              maxLength: 2,
              selector: (e) => e[0],
            }),
          }),
          { minLength: 8, maxLength: 8 },
        ),
        out: fc.array(fc.constantFrom(0n, 0n, 1n, -1n, 3n, 15n), { minLength: 8, maxLength: 8 }),
      })
      .map((m) =>
        makeNetwork({
          format: f,
          policy: { rounding: m.rounding, overflow: m.overflow },
          accumulation: m.accumulation,
          bias: m.bias,
          inputs: 2,
          layers: [
            { activation: 'tanh', neurons: m.hidden },
            {
              activation: 'identity',
              neurons: [{ bias: 1n, edges: m.out.map((w, j) => [j, w] as const) }],
            },
          ],
        }),
      );
    fc.assert(
      fc.property(sparse, (net) => {
        expect(sweepOutcomes(net)).toEqual(referenceShape(net));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses with SweepTooLarge beyond its bound on changes', () => {
    const net = makeNetwork({
      format: 'Q3.4',
      inputs: 1,
      layers: [{ activation: 'identity', neurons: [{ bias: 0n, edges: [[0, 16n]] }] }],
    });
    expect(() => evaluateAllInputs(net, { maxChanges: 100 })).toThrow(SweepTooLarge);
    expect(evaluateAllInputs(net).outputs[0]).toEqual(Int32Array.from({ length: 256 }, (_, i) => i - 128));
  });

  it.each([
    ['tanh', 'Q2.3', 1],
    ['sigmoid', 'Q0.3', 2],
    ['elu', 'Q1.2', 2],
    ['gelu', 'Q1.3', 1],
  ] as const)(
    '%s on %s, d = %i: a constructed network, against the reference on every input',
    (activation, format, d) => {
      const c = makeConfiguration({ format, activation });
      const size = Number(c.format.size);
      const r = construct(c, randomTable(size ** d, Number(c.format.minCode), size, 7), d);
      const sweep = evaluateAllInputs(r.network).outputs[0];
      let i = 0;
      for (const x of allInputs(c.format, d)) {
        expect(sweep[i]).toBe(Number(evaluateReference(r.network, x)[0]));
        expect(sweep[i]).toBe(r.target[i]);
        i++;
      }
    },
  );
});
