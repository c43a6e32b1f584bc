/**
 * The reference evaluator of typed networks (network JSON version 2; docs/networks.md "Version 2"
 * and "hls4ml's dense layer"): BigInt codes, every cast written out, for obviousness. The fast
 * evaluator (typed-fast.ts) is checked against it.
 *
 * Dense (hls4ml latency): acc ← accum(bias); for each edge in order: acc ← accum(acc + accum(w·x));
 * result ← result(acc). `bias: "last"` adds accum(bias) after the edges; `accumulation: "exact"`
 * rounds b + Σ w·x once into accum. Activation: result(σ(x)) correctly rounded, or hls4ml's table.
 */
import { roundActivationAt } from '../activations/rounded.js';
import { type CodeResult, roundScaled } from '../core/ops.js';
import { OverflowError } from '../core/overflow.js';
import { check, FxnnError } from '../errors.js';
import type { FixedType } from '../fixed-type.js';
import type { Format } from '../format.js';
import { hls4mlIndex, hls4mlTable } from '../hls/hls4ml-table.js';
import { codeToDecimal } from '../value.js';
import type { ActivationLayer, DenseLayer, TypedNetwork } from './typed-network.js';

/** Which cast of a layer: dense `bias`, `product`, `sum`, `accumulator` (exact sums), `result`; activation `table` (the entry into table_t is precomputed), `result`. */
export type CastKind = 'input' | 'bias' | 'product' | 'sum' | 'accumulator' | 'result';

/** One cast that overflowed: where, and the rounded code before the overflow step. */
export interface OverflowEvent {
  /** Index in `net.layers` (−1 for the input cast of --round-inputs). */
  readonly layer: number;
  /** The layer's name (the ONNX node name for imported networks). */
  readonly name: string;
  readonly neuron: number;
  readonly cast: CastKind;
  /** For product and sum casts: the edge index. */
  readonly edge?: number;
  readonly type: FixedType;
  /** The rounded value before the overflow step, as an exact decimal. */
  readonly value: string;
}

export interface EvaluationHooks {
  /** Called for every cast that overflowed (wrap, saturate, …; under `error` before the throw). */
  readonly onOverflow?: (event: OverflowEvent) => void;
}

/** The value of a code of format `from`, cast into type `to` (exact value, then rounding, then overflow). */
export function castCode(code: bigint, from: number, to: FixedType): CodeResult {
  return roundScaled(code, 1n, to.format.fracBits - from, to.format, to.policy);
}

function caster(hooks: EvaluationHooks | undefined, layer: number, name: string) {
  return (
    p: bigint,
    fromFrac: number,
    to: FixedType,
    neuron: number,
    cast: CastKind,
    edge?: number,
  ): bigint => {
    let r: CodeResult;
    try {
      r = castCode(p, fromFrac, to);
    } catch (e) {
      if (e instanceof OverflowError) {
        const value = exactDecimal(p, fromFrac, to.format);
        hooks?.onOverflow?.({ layer, name, neuron, cast, edge, type: to, value });
        throw new FxnnError(
          `overflow in ${name} (neuron ${neuron}, ${cast}${edge === undefined ? '' : ` of edge ${edge}`}): ${value} is outside ${to.format.spec}`,
          'overflow',
        );
      }
      throw e;
    }
    if (r.overflowed && hooks?.onOverflow) {
      hooks.onOverflow({
        layer,
        name,
        neuron,
        cast,
        edge,
        type: to,
        value: exactDecimal(p, fromFrac, to.format),
      });
    }
    return r.code;
  };
}

/** p·2^-frac as a decimal, rounded to the target's grid first when it is not on it (for messages). */
function exactDecimal(p: bigint, frac: number, _to: Format): string {
  return codeToDecimal(p, { fracBits: frac } as Format);
}

/** Checks that an input is `net.inputs` codes of the input type. */
export function checkTypedInput(net: TypedNetwork, input: readonly bigint[]): void {
  check(
    input.length === net.inputs,
    () =>
      `input: the network has ${net.inputs} input${net.inputs === 1 ? '' : 's'}, got ${input.length} values`,
    'input',
  );
  const f = net.input.format;
  input.forEach((code, i) => {
    check(
      typeof code === 'bigint' && code >= f.minCode && code <= f.maxCode,
      () => `input x${i + 1}: code ${code} is outside ${f.spec} (codes ${f.minCode} … ${f.maxCode})`,
      'input',
    );
  });
}

/** The outputs (codes of the last layer's result type) at one input (codes of the input type). */
export function evaluateTypedReference(
  net: TypedNetwork,
  input: readonly bigint[],
  hooks?: EvaluationHooks,
): bigint[] {
  checkTypedInput(net, input);
  let values: readonly bigint[] = input;
  let frac = net.input.format.fracBits;
  net.layers.forEach((layer, l) => {
    if (layer.kind === 'dense') {
      values = dense(layer, l, values, frac, hooks);
      frac = layer.types.result.format.fracBits;
    } else {
      values = activation(layer, l, values, frac, hooks);
      frac = layer.result.format.fracBits;
    }
  });
  return [...values];
}

function dense(
  layer: DenseLayer,
  l: number,
  x: readonly bigint[],
  xFrac: number,
  hooks: EvaluationHooks | undefined,
): bigint[] {
  const { weight, bias, accum, result } = layer.types;
  const cast = caster(hooks, l, layer.name);
  const accFrac = accum.format.fracBits;
  const productFrac = weight.format.fracBits + xFrac;
  return layer.neurons.map((neuron, i) => {
    let acc: bigint;
    if (layer.accumulation === 'exact') {
      // b + Σ w·x exactly, in units of 2^-E, E = max(bias frac, product frac); one cast into accum
      const e = Math.max(bias.format.fracBits, productFrac);
      let sum = neuron.bias << BigInt(e - bias.format.fracBits);
      for (const [j, w] of neuron.edges) sum += (w * x[j]) << BigInt(e - productFrac);
      acc = cast(sum, e, accum, i, 'accumulator');
    } else {
      acc = layer.bias === 'first' ? cast(neuron.bias, bias.format.fracBits, accum, i, 'bias') : 0n;
      neuron.edges.forEach(([j, w], k) => {
        const product = cast(w * x[j], productFrac, accum, i, 'product', k);
        acc = cast(acc + product, accFrac, accum, i, 'sum', k);
      });
      if (layer.bias === 'last') {
        const b = cast(neuron.bias, bias.format.fracBits, accum, i, 'bias');
        acc = cast(acc + b, accFrac, accum, i, 'sum', neuron.edges.length);
      }
    }
    return cast(acc, accFrac, result, i, 'result');
  });
}

function activation(
  layer: ActivationLayer,
  l: number,
  x: readonly bigint[],
  xFrac: number,
  hooks: EvaluationHooks | undefined,
): bigint[] {
  const cast = caster(hooks, l, layer.name);
  const { table } = layer;
  if (table !== null) {
    const entries = hls4mlTable(table.kind, table.size, table.type);
    const tFrac = table.type.format.fracBits;
    return x.map((c, i) =>
      cast(entries[hls4mlIndex(table.kind, table.size, c, xFrac)], tFrac, layer.result, i, 'result'),
    );
  }
  return x.map((c, i) => {
    const value = xFrac >= 0 ? { num: c, den: 1n << BigInt(xFrac) } : { num: c << BigInt(-xFrac), den: 1n };
    try {
      const r = roundActivationAt(layer.activation, value, layer.result.format, layer.result.policy);
      if (r.overflowed) {
        hooks?.onOverflow?.({
          layer: l,
          name: layer.name,
          neuron: i,
          cast: 'result',
          type: layer.result,
          value: `${layer.activation.key}(${codeToDecimal(c, { fracBits: xFrac } as Format)})`,
        });
      }
      return r.code;
    } catch (e) {
      if (!(e instanceof OverflowError)) throw e;
      hooks?.onOverflow?.({
        layer: l,
        name: layer.name,
        neuron: i,
        cast: 'result',
        type: layer.result,
        value: 'σ(x)',
      });
      throw new FxnnError(
        `overflow in ${layer.name} (value ${i}, result): ${layer.activation.key}(${codeToDecimal(c, { fracBits: xFrac } as Format)}) is outside ${layer.result.format.spec}`,
        'overflow',
      );
    }
  });
}
