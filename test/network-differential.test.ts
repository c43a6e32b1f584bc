/**
 * One conformance suite for every evaluation path: the BigInt reference evaluator, the fast
 * typed-array evaluator (normal and two-word exact accumulators) and the exported C, compiled with
 * `cc`, on random networks, formats and modes, compared on every input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeFormat, parseFormat } from '../src/format.js';
import { compileNetwork } from '../src/network/fast-evaluator.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import type { NetworkOverflowError } from '../src/network/network-overflow-error.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { ROUNDING_MODES } from '../src/policy.js';
import { runExportedC } from './c-harness.js';
import { fastOutcomes, networkArb, referenceOutcomes, smallFormatArb } from './network-arbitrary.js';

/** Random networks over small domains: 1 input (≤ 64 values), 2 inputs (≤ 16) or 3 inputs (≤ 6). */
const smallNetworkArb: fc.Arbitrary<Network> = fc.oneof(
  smallFormatArb(64).chain((f) => networkArb(f, { inputs: 1, maxLayers: 3, maxWidth: 4, maxEdges: 5 })),
  smallFormatArb(16).chain((f) => networkArb(f, { inputs: 2, maxLayers: 3, maxWidth: 3, maxEdges: 5 })),
  smallFormatArb(6).chain((f) => networkArb(f, { inputs: 3, maxLayers: 2, maxWidth: 3, maxEdges: 6 })),
);

describe('reference vs fast evaluator', () => {
  it('agree on every input of random networks (all formats, modes and semantics)', () => {
    fc.assert(
      fc.property(smallNetworkArb, fc.constantFrom(1, 3, 256), (net, block) => {
        expect(fastOutcomes(net, { block })).toEqual(referenceOutcomes(net));
      }),
      { numRuns: 300 },
    );
  });

  it('the double and two-word accumulators of exact accumulation agree too (forced on every neuron)', () => {
    const exactArb = smallNetworkArb.filter((n) => n.accumulation === 'exact');
    fc.assert(
      fc.property(exactArb, (net) => {
        const expected = referenceOutcomes(net);
        expect(fastOutcomes(net, { sumKind: 1 })).toEqual(expected);
        expect(fastOutcomes(net, { sumKind: 2 })).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('agree on 24-bit formats (products near 2^46, sums beyond 2^53) on random inputs', () => {
    const formats = [
      makeFormat('Q', 11, 12),
      makeFormat('UQ', 10, 14),
      makeFormat('SQ', 23, 0),
      makeFormat('Q', 0, 23),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...formats).chain((f) =>
          fc.tuple(
            networkArb(f, { inputs: 2, maxLayers: 3, maxWidth: 3, maxEdges: 4 }),
            fc.array(fc.tuple(fc.bigInt(f.minCode, f.maxCode), fc.bigInt(f.minCode, f.maxCode)), {
              minLength: 1,
              maxLength: 20,
            }),
          ),
        ),
        ([net, inputs]) => {
          const fast = compileNetwork(net);
          for (const x of inputs) {
            let expected: bigint[] | string;
            try {
              expected = evaluateReference(net, x);
            } catch (e) {
              expected = (e as Error).message;
            }
            let actual: bigint[] | string;
            try {
              actual = fast.evaluate(x);
            } catch (e) {
              actual = (e as Error).message;
            }
            expect(actual).toEqual(expected);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('exact accumulation with partial sums beyond 2^53 that cancel is still exact', () => {
    // 300 products of ±(2^23−1)·x cancel pairwise; the bias and one small edge decide the result.
    const f = makeFormat('Q', 11, 12);
    const big = f.maxCode;
    for (const rounding of ROUNDING_MODES) {
      // one edge per source: inputs 0 … 299 all carry the same value a, input 300 carries b
      const edges: Array<readonly [number, bigint]> = [];
      for (let i = 0; i < 150; i++) edges.push([i, big]);
      for (let i = 150; i < 300; i++) edges.push([i, -big]);
      edges.push([300, 3n]);
      const net = makeNetwork({
        format: f,
        policy: { rounding },
        accumulation: 'exact',
        inputs: 301,
        layers: [{ activation: 'identity', neurons: [{ bias: 5n, edges }] }],
      });
      const fast = compileNetwork(net);
      for (const x of [
        [big, 7n],
        [f.minCode, -7n],
        [12345n, 2049n],
        [-big, 1n],
      ]) {
        const input = [...new Array<bigint>(300).fill(x[0]), x[1]];
        expect(fast.evaluate(input)).toEqual(evaluateReference(net, input));
      }
    }
  });
});

describe('exported C (compiled with cc) vs the reference evaluator', () => {
  it('agrees on every input of 80 random networks, all modes and semantics', () => {
    const nets = fc.sample(smallNetworkArb, { numRuns: 80, seed: 20240611 });
    const c = runExportedC(nets);
    nets.forEach((net, i) => {
      expect(c[i], `network ${i}`).toEqual(referenceOutcomes(net));
    });
  });

  it('agrees on 24-bit formats (identity layers: tables need ≤ 20 bits) on random inputs', () => {
    const formats = [parseFormat('Q3.20'), parseFormat('UQ12.12'), parseFormat('SQ11.12')];
    const arb = fc.constantFrom(...formats).chain((f) =>
      fc.tuple(
        networkArb(f, { inputs: 2, maxLayers: 3, maxWidth: 3, maxEdges: 4 }).filter((n) =>
          n.layers.every((l) => l.activation.name === 'identity'),
        ),
        fc.array(fc.tuple(fc.bigInt(f.minCode, f.maxCode), fc.bigInt(f.minCode, f.maxCode)), {
          minLength: 1,
          maxLength: 30,
        }),
      ),
    );
    const cases = fc.sample(arb, { numRuns: 30, seed: 99 });
    const c = runExportedC(
      cases.map(([net]) => net),
      cases.map(([, rows]) => rows),
    );
    cases.forEach(([net, rows], i) => {
      const expected = rows.map((x) => {
        try {
          return { outputs: evaluateReference(net, x) };
        } catch (e) {
          const loc = (e as NetworkOverflowError).location;
          let g = 0;
          for (let l = 0; l < loc.layer; l++) g += net.layers[l].neurons.length;
          return { overflow: 1 + g + loc.neuron };
        }
      });
      expect(c[i], `network ${i}`).toEqual(expected);
    });
  });
});
