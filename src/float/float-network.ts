/**
 * Networks over a float format (docs/float.md §6): network JSON version 1 whose `format` is a float
 * spec (`"E4M3"`, `"fp16"`, …). One format, one policy (`rounding` of the five float modes, `overflow`
 * infinity | saturate | error), `accumulation` sequential (the bias `last` or `first`, edges in order,
 * each w ⊗ h and each ⊕ rounded) or exact (b + Σ w·h computed exactly, rounded once). Weights and biases
 * are finite values of the format (−0 allowed).
 */
import { type Activation, parseActivation } from '../activations/activation.js';
import { check, FxnnError, quote } from '../errors.js';
import { type FloatFormat, parseFloatFormat } from './float-format.js';
import {
  FLOAT_OVERFLOWS,
  FLOAT_ROUNDINGS,
  type FloatPolicy,
  floatCodeText,
  makeFloatPolicy,
} from './float-rounding.js';
import { exactFloatCode } from './float-value.js';

export interface FloatNeuron {
  readonly bias: number;
  readonly edges: ReadonlyArray<readonly [number, number]>;
}
export interface FloatLayer {
  readonly activation: Activation;
  readonly neurons: readonly FloatNeuron[];
}
export interface FloatNetwork {
  readonly kind: 'float';
  readonly format: FloatFormat;
  readonly policy: FloatPolicy;
  readonly accumulation: 'sequential' | 'exact';
  readonly bias: 'last' | 'first';
  readonly inputs: number;
  readonly layers: readonly FloatLayer[];
}

const FIELDS = [
  'fxnn',
  'format',
  'rounding',
  'overflow',
  'accumulation',
  'bias',
  'weights',
  'inputs',
  'layers',
];

function oneOf(path: string, v: unknown, allowed: readonly string[], dflt: string): string {
  if (v === undefined) return dflt;
  check(
    typeof v === 'string' && allowed.includes(v),
    () =>
      `${path}: ${quote(JSON.stringify(v))} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
    path,
  );
  return v as string;
}

/** True when parsed network JSON names a float format. */
export function isFloatNetworkJson(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const f = (data as { format?: unknown }).format;
  return typeof f === 'string' && /^\s*(E\d+M\d+|fp16|bf16)/i.test(f);
}

/** Validates float network JSON (an object already parsed); one-line errors naming the path. */
export function parseFloatNetworkJson(data: Record<string, unknown>): FloatNetwork {
  check(
    data.fxnn === 1,
    () => `fxnn: unknown version ${JSON.stringify(data.fxnn)} (this fxnn reads version 1)`,
    'fxnn',
  );
  for (const key of Object.keys(data))
    check(FIELDS.includes(key), () => `unknown field ${JSON.stringify(key)}`, key);
  let format: FloatFormat;
  try {
    format = parseFloatFormat(data.format as string);
  } catch (e) {
    throw new FxnnError(`format: ${(e as Error).message}`, 'format');
  }
  const policy = makeFloatPolicy({
    rounding: oneOf('rounding', data.rounding, FLOAT_ROUNDINGS, 'nearest-even'),
    overflow: oneOf('overflow', data.overflow, FLOAT_OVERFLOWS, 'infinity'),
  });
  const accumulation = oneOf('accumulation', data.accumulation, ['sequential', 'exact'], 'sequential') as
    | 'sequential'
    | 'exact';
  const bias = oneOf('bias', data.bias, ['last', 'first'], 'last') as 'last' | 'first';
  const weights = oneOf('weights', data.weights, ['all', 'binary'], 'all');
  const inputs = data.inputs;
  check(
    typeof inputs === 'number' && Number.isInteger(inputs) && inputs >= 1,
    () => `inputs: expected a whole number ≥ 1, got ${JSON.stringify(inputs)}`,
    'inputs',
  );
  check(
    Array.isArray(data.layers) && data.layers.length > 0,
    () => 'layers: a network needs at least one layer',
    'layers',
  );
  let width = inputs as number;
  const layers = (data.layers as unknown[]).map((layer, l): FloatLayer => {
    const where = `layers[${l}]`;
    check(
      typeof layer === 'object' && layer !== null && !Array.isArray(layer),
      () => `${where}: expected a layer object`,
      where,
    );
    const { activation, neurons, ...rest } = layer as Record<string, unknown>;
    for (const key of Object.keys(rest))
      check(false, () => `${where}: unknown field ${JSON.stringify(key)}`, where);
    let act: Activation;
    try {
      act = parseActivation(activation);
    } catch (e) {
      throw new FxnnError(`${where}.activation: ${(e as Error).message}`, 'activation');
    }
    check(
      Array.isArray(neurons) && neurons.length > 0,
      () => `${where}.neurons: a layer needs at least one neuron`,
      where,
    );
    const out = (neurons as unknown[]).map((neuron, i): FloatNeuron => {
      const at = `${where}.neurons[${i}]`;
      check(
        typeof neuron === 'object' && neuron !== null,
        () => `${at}: expected { "bias": …, "edges": […] }`,
        at,
      );
      const n = neuron as { bias?: unknown; edges?: unknown };
      check(n.bias !== undefined, () => `${at}.bias: missing field`, at);
      check(Array.isArray(n.edges), () => `${at}.edges: expected an array of edges`, at);
      const value = (v: unknown, what: string): number => {
        check(
          typeof v === 'string' || typeof v === 'number',
          () => `${what}: expected a decimal string or a number`,
          what,
        );
        const c = exactFloatCode(v as string, format, what, true);
        if (weights === 'binary' && what.endsWith('[1]')) {
          check(
            floatCodeText(c, format) === '1' || floatCodeText(c, format) === '-1',
            () =>
              `${what}: ${floatCodeText(c, format)} is not a binary weight (weights are "binary": -1 or 1)`,
            what,
          );
        }
        return c;
      };
      const edges = (n.edges as unknown[]).map((edge, k): readonly [number, number] => {
        const e = `${at}.edges[${k}]`;
        check(Array.isArray(edge) && edge.length === 2, () => `${e}: an edge is a pair [source, weight]`, e);
        const [source, w] = edge as [unknown, unknown];
        check(
          typeof source === 'number' && Number.isInteger(source) && source >= 0 && source < width,
          () => `${e}[0]: source ${JSON.stringify(source)} is out of range (sources are 0 … ${width - 1})`,
          e,
        );
        return [source as number, value(w, `${e}[1]`)];
      });
      return { bias: value(n.bias, `${at}.bias`), edges };
    });
    width = out.length;
    return { activation: act, neurons: out };
  });
  return { kind: 'float', format, policy, accumulation, bias, inputs: inputs as number, layers };
}

/** The JSON v1 object of a float network (values as exact decimals, `-0` kept). */
export function floatNetworkToJson(net: FloatNetwork): Record<string, unknown> {
  const f = net.format;
  return {
    fxnn: 1,
    format: f.spec,
    rounding: net.policy.rounding,
    overflow: net.policy.overflow,
    accumulation: net.accumulation,
    bias: net.bias,
    weights: 'all',
    inputs: net.inputs,
    layers: net.layers.map((layer) => ({
      activation: layer.activation.json,
      neurons: layer.neurons.map((n) => ({
        bias: floatCodeText(n.bias, f),
        edges: n.edges.map(([s, w]) => [s, floatCodeText(w, f)]),
      })),
    })),
  };
}
