import { roundCodeQuotient } from '../core/ops.js';
import { OverflowError } from '../core/overflow.js';
import { check, FxnnError } from '../errors.js';
import type { Format } from '../format.js';
import { activationLookup } from './activation-lookup.js';
import {
  EXACT_SUM_INT_LIMIT,
  EXACT_SUM_LIMIT,
  type KernelLayer,
  type KernelScratch,
  type LayerKernel,
  layerKernel,
} from './fast-kernel.js';
import { type Network, outputCount } from './network.js';
import { evaluateReference } from './reference-evaluator.js';

/** Formats up to this many bits have a fast evaluator (products of codes stay below 2^47). */
export const FAST_EVALUATOR_BITS = 24;

/** Rows evaluated together by the kernels. */
const DEFAULT_BLOCK = 256;

/** A network compiled to typed arrays and specialised kernels, evaluating many inputs at once. */
export interface CompiledNetwork {
  readonly network: Network;
  readonly inputs: number;
  readonly outputs: number;
  /**
   * Evaluates `n` inputs: `inputs` holds n×d codes row by row, `out` receives n×k codes row by row.
   * Under overflow `error`, throws the `NetworkOverflowError` of the first overflowing row.
   */
  evaluateBatch(inputs: Int32Array, n: number, out: Int32Array): void;
  /** One input, as codes. */
  evaluate(input: readonly bigint[]): bigint[];
}

export interface CompileOptions {
  /** Rows per kernel call (default 256). */
  readonly block?: number;
  /**
   * Exact accumulation: force one kind of sum on every neuron (for tests): 1 doubles, 2 the two-word
   * accumulator (0, 32-bit integers, is only correct where the evaluator would choose it).
   */
  readonly sumKind?: 1 | 2;
}

/** True when `compileNetwork` accepts the network's format. */
export function hasFastEvaluator(net: Network): boolean {
  // the kernels implement saturate, wrap (N = 0) and error on formats with fracBits ≥ 0
  const { overflow, saturationBits } = net.policy;
  return (
    net.format.bits <= FAST_EVALUATOR_BITS &&
    net.format.fracBits >= 0 &&
    (overflow === 'saturate' || overflow === 'wrap' || overflow === 'error') &&
    (saturationBits ?? 0) === 0
  );
}

/**
 * Compiles a network for fast, bit-exact evaluation (the same results as `evaluateReference`) for
 * formats of at most 24 bits.
 */
export function compileNetwork(net: Network, options: CompileOptions = {}): CompiledNetwork {
  const { format, policy } = net;
  check(
    hasFastEvaluator(net),
    () =>
      `the fast evaluator supports formats of at most ${FAST_EVALUATOR_BITS} bits with overflow saturate, wrap or error; ${format.spec} has ${format.bits}, overflow ${policy.overflow} (use evaluateReference)`,
    'format',
  );
  const block = options.block ?? DEFAULT_BLOCK;
  const kernel: LayerKernel = layerKernel({
    format,
    rounding: policy.rounding,
    overflow: policy.overflow,
    accumulation: net.accumulation,
    bias: net.bias,
    block,
  });
  const maxAbs = Math.max(-Number(format.minCode), Number(format.maxCode));
  const unit = 2 ** format.fracBits;
  const finishWide = wideFinisher(net);
  const layers: KernelLayer[] = net.layers.map((layer) => {
    const width = layer.neurons.length;
    let edges = 0;
    for (const neuron of layer.neurons) edges += neuron.edges.length;
    const edgeStart = new Int32Array(width + 1);
    const sourceOffset = new Int32Array(edges);
    const weight = new Int32Array(edges);
    const bias = new Int32Array(width);
    const sumKind = net.accumulation === 'exact' ? new Uint8Array(width) : null;
    let e = 0;
    layer.neurons.forEach((neuron, i) => {
      edgeStart[i] = e;
      bias[i] = Number(neuron.bias);
      let bound = Math.abs(bias[i]) * unit;
      for (const [source, w] of neuron.edges) {
        sourceOffset[e] = source * block;
        weight[e] = Number(w);
        bound += Math.abs(weight[e]) * maxAbs;
        e++;
      }
      if (sumKind !== null) {
        sumKind[i] = options.sumKind ?? (bound < EXACT_SUM_INT_LIMIT ? 0 : bound < EXACT_SUM_LIMIT ? 1 : 2);
      }
    });
    edgeStart[width] = e;
    const { table, lookup } = activationLookup(layer.activation, format, policy);
    return { width, edgeStart, sourceOffset, weight, bias, table, lookup, sumKind, finishWide };
  });
  const d = net.inputs;
  const k = outputCount(net);
  const maxWidth = Math.max(d, ...layers.map((l) => l.width));
  // Two value buffers used alternately, plus the accumulators.
  const buffers = [new Int32Array(maxWidth * block), new Int32Array(maxWidth * block)];
  const scratch: KernelScratch = {
    acc: new Float64Array(block),
    hi: new Float64Array(block),
    iacc: new Int32Array(block),
  };
  const min = Number(format.minCode);
  const max = Number(format.maxCode);

  const evaluateBatch = (inputs: Int32Array, n: number, out: Int32Array): void => {
    check(
      Number.isInteger(n) && n >= 0 && inputs.length >= n * d && out.length >= n * k,
      () => `evaluateBatch: ${n} rows need ${n * d} input codes and room for ${n * k} outputs`,
      'inputs',
    );
    for (let start = 0; start < n; start += block) {
      const rows = Math.min(block, n - start);
      let current = buffers[0];
      for (let r = 0; r < rows; r++) {
        const base = (start + r) * d;
        for (let j = 0; j < d; j++) {
          const c = inputs[base + j];
          if (c < min || c > max) throw badInput(format, start + r, j, c);
          current[j * block + r] = c;
        }
      }
      let bad = 0;
      for (let l = 0; l < layers.length; l++) {
        const next = current === buffers[0] ? buffers[1] : buffers[0];
        bad |= kernel(layers[l], current, next, rows, scratch);
        current = next;
      }
      if (bad !== 0) throwFirstOverflow(net, inputs, start, rows);
      for (let r = 0; r < rows; r++) {
        const base = (start + r) * k;
        for (let i = 0; i < k; i++) out[base + i] = current[i * block + r];
      }
    }
  };

  return {
    network: net,
    inputs: d,
    outputs: k,
    evaluateBatch,
    evaluate(input: readonly bigint[]): bigint[] {
      check(
        input.length === d,
        () => `input: the network has ${d} input${d === 1 ? '' : 's'}, got ${input.length} values`,
        'input',
      );
      const codes = new Int32Array(d);
      input.forEach((c, j) => {
        check(
          c >= format.minCode && c <= format.maxCode,
          () =>
            `input x${j + 1}: code ${c} is outside ${format.spec} (codes ${format.minCode} … ${format.maxCode})`,
          'input',
        );
        codes[j] = Number(c);
      });
      const out = new Int32Array(k);
      evaluateBatch(codes, 1, out);
      return Array.from(out, (c) => BigInt(c));
    },
  };
}

function badInput(format: Format, row: number, j: number, code: number): FxnnError {
  return new FxnnError(
    `inputs: row ${row}, x${j + 1}: code ${code} is outside ${format.spec} (codes ${format.minCode} … ${format.maxCode})`,
    'inputs',
  );
}

/**
 * A kernel reported an overflow under mode `error` somewhere in rows start … start+rows−1: the
 * reference evaluator, run on those rows in order, throws the error of the first one.
 */
function throwFirstOverflow(net: Network, inputs: Int32Array, start: number, rows: number): never {
  const d = net.inputs;
  for (let r = start; r < start + rows; r++) {
    const input = Array.from(inputs.subarray(r * d, (r + 1) * d), (c) => BigInt(c));
    evaluateReference(net, input);
  }
  throw new Error('fast evaluator: a kernel reported an overflow that the reference evaluator does not see');
}

/** Rounds an exact sum hi + lo (units of 2^-2n) into the format with BigInt; NaN for an overflow error. */
function wideFinisher(net: Network): (hi: number, lo: number) => number {
  const { format, policy } = net;
  const unit = 1n << BigInt(format.fracBits);
  return (hi, lo) => {
    try {
      return Number(roundCodeQuotient(BigInt(hi) + BigInt(lo), unit, format, policy).code);
    } catch (e) {
      if (e instanceof OverflowError) return Number.NaN;
      throw e;
    }
  };
}
