/**
 * `verify` by the sweep (docs/networks.md, "verify"): a version 1 network with one output is evaluated on
 * every input of 𝕀^d at once by `evaluateAllInputs` (the layer-by-layer sweep, bit-exact with
 * `evaluateReference`), then compared with the target input by input in the lexicographic order of
 * `fillInputs` (x1 slowest), which is the sweep's order. Returns null when the sweep does not apply
 * (more than 16 bits, more than `SWEEP_MAX_POINTS` inputs, more than one output, a layer over the sweep's
 * memory bound, or an overflow under `error`, where the dense evaluator's own report is kept): the caller
 * then uses the dense evaluator.
 */
import type { Mismatch } from './exhaustive-tasks.js';
import { type Network, outputCount } from './network.js';
import { evaluateAllInputs, SWEEP_MAX_POINTS, SweepTooLarge } from './sweep-evaluator.js';

export interface AllInputsComparison {
  readonly inputs: number;
  readonly mismatches: number;
  readonly examples: readonly Mismatch[];
}

/** True when `compareOnAllInputs` may run on `net` (the size conditions; overflow is known only after). */
export function sweepApplies(net: Network): boolean {
  if (net.format.bits > 16 || outputCount(net) !== 1) return false;
  return Number(net.format.size) ** net.inputs <= SWEEP_MAX_POINTS;
}

/**
 * Compares `net` with `targetAt` (the target's code at an input, codes in lexicographic order, and its
 * index) on every input; keeps the first `show` mismatches. Null when the sweep does not apply.
 */
export function compareOnAllInputs(
  net: Network,
  targetAt: (x: readonly bigint[], index: number) => number,
  show: number,
  progress?: (layersDone: number, layers: number) => void,
): AllInputsComparison | null {
  if (!sweepApplies(net)) return null;
  let outputs: Int32Array;
  try {
    const r = evaluateAllInputs(net, { progress });
    if (r.overflow?.some((v) => v === 1)) return null;
    outputs = r.outputs[0];
  } catch (e) {
    if (e instanceof SweepTooLarge) return null;
    throw e;
  }
  const d = net.inputs;
  const size = Number(net.format.size);
  const min = Number(net.format.minCode);
  const digits = new Array<number>(d).fill(0);
  const x = new Array<bigint>(d).fill(BigInt(min));
  let mismatches = 0;
  const examples: Mismatch[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const want = targetAt(x, i);
    if (outputs[i] !== want) {
      mismatches++;
      if (examples.length < show)
        examples.push({ index: i, input: digits.map((g) => g + min), network: outputs[i], target: want });
    }
    // the next input (the last coordinate fastest)
    for (let j = d - 1; j >= 0; j--) {
      if (++digits[j] < size) {
        x[j] = BigInt(digits[j] + min);
        break;
      }
      digits[j] = 0;
      x[j] = BigInt(min);
    }
  }
  return { inputs: outputs.length, mismatches, examples };
}
