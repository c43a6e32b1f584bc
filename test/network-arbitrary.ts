/** fast-check arbitraries of random networks, and the outcome of a network on every input. */
import fc from 'fast-check';
import { type Format, makeFormat } from '../src/format.js';
import { compileNetwork } from '../src/network/fast-evaluator.js';
import { allInputs } from '../src/network/input-space.js';
import { makeNetwork, type Network, type Neuron } from '../src/network/network.js';
import { NetworkOverflowError } from '../src/network/network-overflow-error.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { OVERFLOW_MODES, ROUNDING_MODES } from '../src/policy.js';

export const TEST_ACTIVATIONS = [
  'identity',
  'relu',
  { name: 'leaky-relu', alpha: '0.25' },
  'sigmoid',
  'tanh',
  'step',
  'hard-swish',
  'elu',
  'softplus',
] as const;

/** Small formats of every kind (at most `maxValues` values). */
export function smallFormatArb(maxValues: number): fc.Arbitrary<Format> {
  return fc
    .tuple(fc.constantFrom('Q', 'SQ', 'UQ'), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }))
    .filter(([kind, m, n]) => m + n + (kind === 'UQ' ? 0 : 1) >= 1)
    .map(([kind, m, n]) => makeFormat(kind as 'Q' | 'SQ' | 'UQ', m, n))
    .filter((f) => f.size >= 2n && f.size <= BigInt(maxValues));
}

export interface NetworkShape {
  readonly inputs: number;
  readonly maxLayers: number;
  readonly maxWidth: number;
  readonly maxEdges: number;
}

function codeArb(f: Format): fc.Arbitrary<bigint> {
  return fc.bigInt(f.minCode, f.maxCode);
}

/**
 * A random network over `format`: random modes, semantics, activations, sparse edges in random order
 * (repeated sources allowed), weights and biases anywhere in the format (or binary weights).
 */
export function networkArb(format: Format, shape: NetworkShape): fc.Arbitrary<Network> {
  const overflows = OVERFLOW_MODES.filter((o) => !(o === 'wrap' && format.kind === 'SQ'));
  const binaryOk = format.hasOne && format.kind !== 'UQ';
  return fc
    .record({
      rounding: fc.constantFrom(...ROUNDING_MODES),
      overflow: fc.constantFrom(...overflows),
      accumulation: fc.constantFrom('sequential' as const, 'exact' as const),
      bias: fc.constantFrom('last' as const, 'first' as const),
      binary: binaryOk ? fc.boolean() : fc.constant(false),
      widths: fc.array(fc.integer({ min: 1, max: shape.maxWidth }), {
        minLength: 1,
        maxLength: shape.maxLayers,
      }),
    })
    .chain((modes) => {
      const one = 1n << BigInt(format.fracBits);
      const weight = modes.binary ? fc.constantFrom(one, -one) : codeArb(format);
      let previous = shape.inputs;
      const layers = modes.widths.map((width, l) => {
        const sources = previous;
        previous = width;
        const neuron: fc.Arbitrary<Neuron> = fc.record({
          bias: codeArb(format),
          // distinct sources (one edge per pair of neurons), in random order
          edges: fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: sources - 1 }), weight), {
            maxLength: Math.min(shape.maxEdges, sources),
            selector: (e) => e[0],
          }),
        });
        const activation =
          l === modes.widths.length - 1 && l > 0
            ? fc.constant('identity')
            : fc.constantFrom(...TEST_ACTIVATIONS);
        return fc.record({ activation, neurons: fc.array(neuron, { minLength: width, maxLength: width }) });
      });
      return fc.tuple(...layers).map((ls) =>
        makeNetwork({
          format,
          policy: { rounding: modes.rounding, overflow: modes.overflow },
          accumulation: modes.accumulation,
          bias: modes.bias,
          weights: modes.binary ? 'binary' : 'all',
          inputs: shape.inputs,
          layers: ls,
        }),
      );
    });
}

/** A row's result: the output codes, or where it overflowed (1 + index of the neuron in evaluation order). */
export type Outcome = { readonly outputs: readonly bigint[] } | { readonly overflow: number };

function neuronIndex(net: Network, layer: number, neuron: number): number {
  let g = 0;
  for (let l = 0; l < layer; l++) g += net.layers[l].neurons.length;
  return g + neuron;
}

function outcomeOf(net: Network, f: () => bigint[]): Outcome {
  try {
    return { outputs: f() };
  } catch (e) {
    if (e instanceof NetworkOverflowError) {
      return { overflow: 1 + neuronIndex(net, e.location.layer, e.location.neuron) };
    }
    throw e;
  }
}

/** The reference evaluator's outcome on every input (lexicographic order). */
export function referenceOutcomes(net: Network): Outcome[] {
  return [...allInputs(net.format, net.inputs)].map((x) => outcomeOf(net, () => evaluateReference(net, x)));
}

/** The fast evaluator's outcome on every input: whole batches, row by row where a batch overflows. */
export function fastOutcomes(net: Network, options: { sumKind?: 1 | 2; block?: number } = {}): Outcome[] {
  const fast = compileNetwork(net, options);
  const inputs = [...allInputs(net.format, net.inputs)];
  const codes = Int32Array.from(inputs.flat(), (c) => Number(c));
  const out = new Int32Array(inputs.length * fast.outputs);
  try {
    fast.evaluateBatch(codes, inputs.length, out);
    return inputs.map((_, r) => ({
      outputs: Array.from(out.subarray(r * fast.outputs, (r + 1) * fast.outputs), (c) => BigInt(c)),
    }));
  } catch (e) {
    if (!(e instanceof NetworkOverflowError)) throw e;
    return inputs.map((x) => outcomeOf(net, () => fast.evaluate(x)));
  }
}
