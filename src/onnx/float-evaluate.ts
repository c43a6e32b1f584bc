/**
 * The float model: an MLP chain evaluated in float64 from the exact parameter values (fxnn's own
 * evaluation of the ONNX graph, used by `compare` and `profile`; onnxruntime-node does not install
 * from the npm registry alone). QONNX quantizers act exactly as specified. docs/import.md "compare".
 */
import type { MlpChain } from './mlp-chain.js';
import { applyQuantFloat } from './qonnx-quant.js';

/** The parameters of a chain as doubles (nearest to the exact values; exact for float32 models). */
export interface FloatChain {
  readonly chain: MlpChain;
  readonly weights: ReadonlyArray<Float64Array[] | null>;
  readonly bias: ReadonlyArray<Float64Array | null>;
  readonly alpha: ReadonlyArray<number>;
}

function toDouble(r: { num: bigint; den: bigint }): number {
  return Number(r.num) / Number(r.den);
}

export function floatChain(chain: MlpChain): FloatChain {
  return {
    chain,
    weights: chain.steps.map((s) =>
      s.kind === 'dense' ? s.weights.map((row) => Float64Array.from(row, toDouble)) : null,
    ),
    bias: chain.steps.map((s) => (s.kind === 'dense' ? Float64Array.from(s.bias, toDouble) : null)),
    alpha: chain.steps.map((s) => (s.kind === 'activation' && s.alpha ? toDouble(s.alpha) : 0)),
  };
}

/**
 * Evaluates the chain at one input; `onStep(k, values)` (optional) sees every step's output.
 */
export function evaluateFloat(
  f: FloatChain,
  x: readonly number[],
  onStep?: (step: number, values: Float64Array) => void,
): Float64Array {
  let h = Float64Array.from(x);
  f.chain.steps.forEach((step, k) => {
    if (step.kind === 'dense') {
      const w = f.weights[k]!;
      const b = f.bias[k]!;
      const out = new Float64Array(step.outputs);
      for (let j = 0; j < step.outputs; j++) {
        let acc = b[j];
        const row = w[j];
        for (let i = 0; i < step.inputs; i++) acc += row[i] * h[i];
        out[j] = acc;
      }
      h = out;
    } else if (step.kind === 'activation') {
      const alpha = f.alpha[k];
      h = h.map((v) => {
        switch (step.activation) {
          case 'relu':
            return Math.max(v, 0);
          case 'leaky-relu':
            return v >= 0 ? v : alpha * v;
          case 'sigmoid':
            return 1 / (1 + Math.exp(-v));
          default:
            return Math.tanh(v);
        }
      });
    } else {
      h = h.map((v) => applyQuantFloat(v, step.quant));
    }
    onStep?.(k, h);
  });
  return h;
}
