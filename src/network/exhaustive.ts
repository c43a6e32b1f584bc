import { check } from '../errors.js';
import {
  type CompiledNetwork,
  compileNetwork,
  FAST_EVALUATOR_BITS,
  hasFastEvaluator,
} from './fast-evaluator.js';
import { fillInputs, inputCount } from './input-space.js';
import type { Network } from './network.js';

/** A run of consecutive inputs of 𝕀^d (lexicographic order) and the network's outputs on them. */
export interface ExhaustiveChunk {
  /** Row index of the first input. */
  readonly start: number;
  readonly rows: number;
  /** rows×d input codes (a buffer reused for the next chunk: copy what you keep). */
  readonly inputs: Int32Array;
  /** rows×k output codes (reused likewise). */
  readonly outputs: Int32Array;
}

export interface EvaluateAllOptions {
  /** Rows per chunk (default 4096). */
  readonly chunkRows?: number;
  /** Evaluate rows start … end−1 only (default: all of 𝕀^d). */
  readonly start?: number;
  readonly end?: number;
}

/** |𝕀|^d as a number, checking that exhaustive evaluation is possible at all. */
export function exhaustiveRowCount(net: Network): number {
  const { format } = net;
  check(
    format.bits <= FAST_EVALUATOR_BITS,
    () =>
      `exhaustive evaluation needs a format of at most ${FAST_EVALUATOR_BITS} bits; ${format.spec} has ${format.bits}`,
    'format',
  );
  check(
    hasFastEvaluator(net),
    () =>
      `exhaustive evaluation of version 1 networks supports overflow saturate, wrap and error on Qm.n formats; this network has ${format.spec}, overflow ${net.policy.overflow}${net.policy.saturationBits ? ` (N = ${net.policy.saturationBits})` : ''}`,
    'overflow',
  );
  const total = inputCount(format, net.inputs);
  check(
    total <= BigInt(Number.MAX_SAFE_INTEGER),
    () => `exhaustive evaluation: ${format.spec}^${net.inputs} has ${total} inputs, more than 2^53`,
    'inputs',
  );
  return Number(total);
}

function compiled(net: Network | CompiledNetwork): CompiledNetwork {
  return 'evaluateBatch' in net ? net : compileNetwork(net);
}

/**
 * Evaluates the network on every input of 𝕀^d in lexicographic order of codes (x1 varies slowest),
 * handing the outputs over chunk by chunk: memory stays constant however many inputs there are.
 */
export function evaluateAll(
  network: Network | CompiledNetwork,
  onChunk: (chunk: ExhaustiveChunk) => void,
  options: EvaluateAllOptions = {},
): void {
  const fast = compiled(network);
  const net = fast.network;
  const total = exhaustiveRowCount(net);
  const first = options.start ?? 0;
  const end = options.end ?? total;
  check(
    Number.isSafeInteger(first) && Number.isSafeInteger(end) && 0 <= first && first <= end && end <= total,
    () => `evaluateAll: rows ${first} … ${end} are not within 0 … ${total}`,
    'rows',
  );
  const chunkRows = Math.max(1, Math.min(options.chunkRows ?? 4096, Math.max(1, end - first)));
  const inputs = new Int32Array(chunkRows * net.inputs);
  const outputs = new Int32Array(chunkRows * fast.outputs);
  for (let start = first; start < end; start += chunkRows) {
    const rows = Math.min(chunkRows, end - start);
    fillInputs(net.format, net.inputs, start, rows, inputs);
    fast.evaluateBatch(inputs, rows, outputs);
    onChunk({ start, rows, inputs, outputs });
  }
}

/**
 * All outputs on all of 𝕀^d at once (rows×k codes, lexicographic order): for small domains such as
 * the 1-input gadgets of a certificate. Refuses more than `maxRows` inputs (default 2^24).
 */
export function evaluateAllOutputs(network: Network | CompiledNetwork, maxRows = 2 ** 24): Int32Array {
  const fast = compiled(network);
  const total = exhaustiveRowCount(fast.network);
  check(
    total <= maxRows,
    () => `evaluateAllOutputs: ${total} inputs exceed the limit of ${maxRows}; stream with evaluateAll`,
    'inputs',
  );
  const all = new Int32Array(total * fast.outputs);
  evaluateAll(fast, ({ start, rows, outputs }) => {
    all.set(outputs.subarray(0, rows * fast.outputs), start * fast.outputs);
  });
  return all;
}
