/**
 * Networks with per-layer fixed-point types (network JSON version 2, docs/networks.md "Version 2"):
 * dense layers with hls4ml's `weight`, `bias`, `accum`, `result` types, and activation layers that
 * read the previous layer's values and write their own `result` type (correctly rounded, or hls4ml's
 * lookup table for sigmoid/tanh). A version 1 network is one of these with every type = its format.
 */
import { type Activation, parseActivation } from '../activations/activation.js';
import { check, FxnnError } from '../errors.js';
import { type FixedType, makeFixedType } from '../fixed-type.js';
import type { Format } from '../format.js';
import type { HlsTableKind } from '../hls/hls4ml-table.js';
import type { Accumulation, BiasOrder, Network, Neuron } from './network.js';

export interface DenseTypes {
  readonly weight: FixedType;
  readonly bias: FixedType;
  readonly accum: FixedType;
  readonly result: FixedType;
}

/** A dense layer: biases are codes of `types.bias`, weights codes of `types.weight`. */
export interface DenseLayer {
  readonly kind: 'dense';
  readonly name: string;
  readonly types: DenseTypes;
  readonly accumulation: Accumulation;
  readonly bias: BiasOrder;
  readonly neurons: readonly Neuron[];
}

/** hls4ml's lookup table of a sigmoid or tanh layer. */
export interface HlsTable {
  readonly kind: HlsTableKind;
  readonly size: number;
  readonly type: FixedType;
}

/** An elementwise activation layer: result ← cast_result(σ(x)), or hls4ml's table when `table` is set. */
export interface ActivationLayer {
  readonly kind: 'activation';
  readonly name: string;
  readonly activation: Activation;
  readonly result: FixedType;
  readonly table: HlsTable | null;
}

export type TypedLayer = DenseLayer | ActivationLayer;

export interface TypedNetwork {
  /** The JSON version it was read from (1: every type is the one format). */
  readonly version: 1 | 2;
  readonly inputs: number;
  /** The type inputs are values of (and are rounded into with --round-inputs). */
  readonly input: FixedType;
  readonly layers: readonly TypedLayer[];
  /** The version 1 network this one was made from (the v1 evaluators are used for it). */
  readonly v1: Network | null;
}

/** The number of values a layer produces given the width of the layer before it. */
export function layerWidth(layer: TypedLayer, previous: number): number {
  return layer.kind === 'dense' ? layer.neurons.length : previous;
}

/** The number of outputs. */
export function typedOutputCount(net: TypedNetwork): number {
  let width = net.inputs;
  for (const layer of net.layers) width = layerWidth(layer, width);
  return width;
}

/** The type of the values a layer produces. */
export function layerResultType(layer: TypedLayer): FixedType {
  return layer.kind === 'dense' ? layer.types.result : layer.result;
}

/** The type of the network's outputs. */
export function outputType(net: TypedNetwork): FixedType {
  return layerResultType(net.layers[net.layers.length - 1]);
}

/**
 * A version 1 network as a typed network: each v1 layer is a dense layer (every type = the format
 * and policy; its accumulation and bias order) followed by an activation layer into the format.
 */
export function typedFromV1(net: Network): TypedNetwork {
  const t = makeFixedType(net.format, net.policy);
  const layers: TypedLayer[] = [];
  net.layers.forEach((layer, l) => {
    layers.push(
      Object.freeze({
        kind: 'dense',
        name: `layers[${l}]`,
        types: Object.freeze({ weight: t, bias: t, accum: t, result: t }),
        accumulation: net.accumulation,
        bias: net.bias,
        neurons: layer.neurons,
      } as const),
    );
    layers.push(
      Object.freeze({
        kind: 'activation',
        name: `layers[${l}].activation`,
        activation: layer.activation,
        result: t,
        table: null,
      } as const),
    );
  });
  return Object.freeze({ version: 1, inputs: net.inputs, input: t, layers: Object.freeze(layers), v1: net });
}

/** The activation names accepted in version 2 beyond fxnn's own (hls4ml/Keras spellings). */
export function parseLayerActivation(spec: unknown): Activation {
  if (spec === 'linear') return parseActivation('identity');
  return parseActivation(spec);
}

function codeIn(code: bigint, format: Format, path: string): void {
  if (code < format.minCode || code > format.maxCode) {
    throw new FxnnError(
      `${path}: code ${code} is outside ${format.spec} (codes ${format.minCode} … ${format.maxCode})`,
      path,
    );
  }
}

/**
 * Checks a typed network's structure: at least one input and one layer; dense layers non-empty with
 * each source an index of the previous layer's values, at most one edge per source, codes of their
 * types; activation layers defined on every real (a lookup-table activation over one format is a
 * version 1 construct).
 */
export function validateTypedNetwork(net: TypedNetwork): TypedNetwork {
  check(
    Number.isSafeInteger(net.inputs) && net.inputs >= 1,
    () => `inputs: expected a whole number ≥ 1, got ${net.inputs}`,
    'inputs',
  );
  check(net.layers.length >= 1, () => 'layers: a network needs at least one layer', 'layers');
  let previous = net.inputs;
  net.layers.forEach((layer, l) => {
    if (layer.kind === 'activation') {
      check(
        layer.activation.domain === null || net.version === 1,
        () =>
          `layers[${l}].activation: ${layer.activation.key} is a table over ${layer.activation.domain?.spec}; version 2 layers need activations defined on every real`,
        'activation',
      );
      return;
    }
    check(
      layer.neurons.length >= 1,
      () => `layers[${l}].neurons: a layer needs at least one neuron`,
      'layers',
    );
    layer.neurons.forEach((neuron, i) => {
      const at = `layers[${l}].neurons[${i}]`;
      codeIn(neuron.bias, layer.types.bias.format, `${at}.bias`);
      const seen = new Map<number, number>();
      neuron.edges.forEach(([source, weight], k) => {
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
            `${at}.edges[${k}][0]: source ${source} is out of range (the layer reads ${previous} values; sources are 0 … ${previous - 1})`,
            'edges',
          );
        }
        codeIn(weight, layer.types.weight.format, `${at}.edges[${k}][1]`);
      });
    });
    previous = layer.neurons.length;
  });
  return net;
}
