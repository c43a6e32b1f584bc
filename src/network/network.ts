import { type Activation, parseActivation } from '../activations/activation.js';
import { check, FxnnError } from '../errors.js';
import { type Format, parseFormat } from '../format.js';
import { makePolicy, type Policy } from '../policy.js';
import { codeToDecimal } from '../value.js';

/** How a neuron sums its weighted inputs (THEORY §4). */
export const ACCUMULATIONS = ['sequential', 'exact'] as const;
export type Accumulation = (typeof ACCUMULATIONS)[number];
/** Where the bias enters a sequential accumulation. */
export const BIAS_ORDERS = ['last', 'first'] as const;
export type BiasOrder = (typeof BIAS_ORDERS)[number];
/** The weight set W: every value of the format, or {−1, 1}. */
export const WEIGHT_SETS = ['all', 'binary'] as const;
export type WeightSet = (typeof WEIGHT_SETS)[number];

/** One neuron: a bias code and ordered edges `[source index in the previous layer, weight code]`. */
export interface Neuron {
  readonly bias: bigint;
  readonly edges: ReadonlyArray<readonly [number, bigint]>;
}

export interface Layer {
  readonly activation: Activation;
  readonly neurons: readonly Neuron[];
}

/**
 * A layered network over one format (THEORY §4). Layer 0 is the `inputs`; `layers[0]` reads them,
 * each later layer reads the one before; the last layer's values are the outputs. All parameters are
 * codes of `format`. Build one with `makeNetwork` (or `parseNetworkJson`), which validates it.
 */
export interface Network {
  readonly format: Format;
  readonly policy: Policy;
  readonly accumulation: Accumulation;
  readonly bias: BiasOrder;
  readonly weights: WeightSet;
  readonly inputs: number;
  readonly layers: readonly Layer[];
}

/** A layer as given to `makeNetwork`: the activation may be a spec (`'relu'`, `{ name, alpha }`). */
export interface LayerSpec {
  readonly activation: Activation | string | Readonly<Record<string, string>>;
  readonly neurons: readonly Neuron[];
}

/** What `makeNetwork` accepts; omitted modes take the defaults of THEORY §4. */
export interface NetworkSpec {
  readonly format: Format | string;
  readonly policy?: Policy | { readonly rounding?: string; readonly overflow?: string };
  readonly accumulation?: Accumulation;
  readonly bias?: BiasOrder;
  readonly weights?: WeightSet;
  readonly inputs: number;
  readonly layers: readonly LayerSpec[];
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  check(
    typeof value === 'string' && (allowed as readonly string[]).includes(value),
    () => `${what}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`,
    what,
  );
  return value as T;
}

/**
 * Builds a validated, frozen network from codes (the programmatic counterpart of the JSON form).
 * Errors name the offending path, e.g. `layers[1].neurons[0].edges[2][0]: source 5 is out of range`.
 */
export function makeNetwork(spec: NetworkSpec): Network {
  const format = parseFormat(spec.format);
  const policy = makePolicy(format, spec.policy ?? {});
  const layers = spec.layers.map((layer, l) =>
    Object.freeze({
      activation: activationAt(layer.activation, l),
      neurons: Object.freeze(
        layer.neurons.map((n) =>
          Object.freeze({
            bias: n.bias,
            edges: Object.freeze(n.edges.map((e) => Object.freeze([e[0], e[1]]))),
          }),
        ),
      ),
    } as Layer),
  );
  return validateNetwork(
    Object.freeze({
      format,
      policy,
      accumulation: oneOf(spec.accumulation ?? 'sequential', ACCUMULATIONS, 'accumulation'),
      bias: oneOf(spec.bias ?? 'last', BIAS_ORDERS, 'bias'),
      weights: oneOf(spec.weights ?? 'all', WEIGHT_SETS, 'weights'),
      inputs: spec.inputs,
      layers: Object.freeze(layers),
    } as Network),
  );
}

function activationAt(spec: unknown, l: number): Activation {
  try {
    return parseActivation(spec);
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`layers[${l}].activation: ${e.message}`, 'activation');
    throw e;
  }
}

/** Binary weights {−1, 1} need 1 ∈ 𝕀. */
export function checkWeightSet(weights: WeightSet, format: Format): void {
  check(
    weights !== 'binary' || format.hasOne,
    () => `weights: "binary" needs 1 to be a value of the format, and ${format.spec} has no integer bits`,
    'weights',
  );
}

/**
 * Checks the structure of a network and returns it: at least one input and one layer, every layer
 * non-empty, every code a code of the format, every edge source an index of the previous layer, and
 * the declared weight set (binary weights are ±1 and need 1 ∈ 𝕀).
 */
export function validateNetwork(net: Network): Network {
  const { format } = net;
  check(
    Number.isSafeInteger(net.inputs) && net.inputs >= 1,
    () => `inputs: expected a whole number ≥ 1, got ${net.inputs}`,
    'inputs',
  );
  check(net.layers.length >= 1, () => 'layers: a network needs at least one layer', 'layers');
  checkWeightSet(net.weights, format);
  const one = 1n << BigInt(format.fracBits);
  const codeCheck = (code: unknown, path: string) => {
    if (typeof code !== 'bigint')
      throw new FxnnError(`${path}: expected a bigint code, got ${typeof code}`, path);
    if (code < format.minCode || code > format.maxCode) {
      throw new FxnnError(
        `${path}: code ${code} is outside ${format.spec} (codes ${format.minCode} … ${format.maxCode})`,
        path,
      );
    }
  };
  let previous = net.inputs;
  net.layers.forEach((layer, l) => {
    const domain = layer.activation.domain;
    check(
      domain === null || domain === format,
      () =>
        `layers[${l}].activation: ${layer.activation.key} is defined on ${domain?.spec}, the network's format is ${format.spec}`,
      'activation',
    );
    check(
      layer.neurons.length >= 1,
      () => `layers[${l}].neurons: a layer needs at least one neuron`,
      'layers',
    );
    layer.neurons.forEach((neuron, i) => {
      const at = `layers[${l}].neurons[${i}]`;
      codeCheck(neuron.bias, `${at}.bias`);
      const seen = new Map<number, number>();
      neuron.edges.forEach((edge, k) => {
        const [source, weight] = edge;
        // one edge per pair of neurons, as in a weight matrix (docs/theory.md: with repeated sources a
        // neuron could compute (w1⊗x) ⊕ (w2⊗x), which no weight matrix has, and DIST would not be necessary)
        const earlier = seen.get(source);
        if (earlier !== undefined) {
          throw new FxnnError(
            `${at}.edges[${k}][0]: source ${source} repeats edges[${earlier}] (a neuron has at most one edge from each source)`,
            'edges',
          );
        }
        seen.set(source, k);
        if (!Number.isInteger(source) || source < 0 || source >= previous) {
          throw new FxnnError(
            `${at}.edges[${k}][0]: source ${source} is out of range (${
              l === 0 ? `the network has ${previous} inputs` : `layers[${l - 1}] has ${previous} neurons`
            }; sources are 0 … ${previous - 1})`,
            'edges',
          );
        }
        codeCheck(weight, `${at}.edges[${k}][1]`);
        if (net.weights === 'binary' && weight !== one && weight !== -one) {
          throw new FxnnError(
            `${at}.edges[${k}][1]: ${codeToDecimal(weight, format)} is not a binary weight (weights are "binary": -1 or 1)`,
            'weights',
          );
        }
      });
    });
    previous = layer.neurons.length;
  });
  return net;
}

/** The number of outputs (neurons of the last layer). */
export function outputCount(net: Network): number {
  return net.layers[net.layers.length - 1].neurons.length;
}
