/**
 * `fxnn compare`: the float model (the ONNX graph in float64, float-evaluate.ts) against the imported
 * fixed-point network (the v2 reference evaluator) on the same inputs (docs/import.md "compare").
 * Inputs are cast into the network's input type by that type's modes, as hls4ml's test bench casts
 * its float inputs to input_t. Reported: per output the largest and mean |fixed − float|, argmax
 * agreement, and per layer the overflow events (casts that wrapped or saturated) with the first
 * input row that caused one.
 */
import { roundRational } from '../core/ops.js';
import { toNumber } from '../core/rational.js';
import { check } from '../errors.js';
import { compileTypedNetwork } from '../network/typed-fast.js';
import { outputType, type TypedNetwork, typedOutputCount } from '../network/typed-network.js';
import type { OverflowEvent } from '../network/typed-reference.js';
import { evaluateFloat, floatChain } from './float-evaluate.js';
import type { MlpChain } from './mlp-chain.js';
import type { InputRows } from './read-inputs-csv.js';

export interface LayerOverflows {
  readonly layer: number;
  readonly name: string;
  /** Casts that overflowed, over all rows. */
  readonly events: number;
  /** Rows with at least one. */
  readonly rows: number;
  readonly first: { readonly line: number; readonly event: OverflowEvent } | null;
}

export interface CompareReport {
  readonly rows: number;
  readonly outputs: ReadonlyArray<{
    readonly maxAbs: number;
    readonly meanAbs: number;
    readonly maxLine: number;
  }>;
  /** Rows where the largest output is the same (first index on ties); null for one output. */
  readonly argmaxAgree: number | null;
  readonly overflows: readonly LayerOverflows[];
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (v[j] > v[best]) best = j;
  return best;
}

export function compareModels(
  chain: MlpChain,
  net: TypedNetwork,
  rows: InputRows,
  onProgress?: (done: number) => void,
): CompareReport {
  check(
    chain.inputs === net.inputs,
    () => `the model has ${chain.inputs} inputs, the network ${net.inputs}`,
    'network',
  );
  const f = floatChain(chain);
  const k = typedOutputCount(net);
  const out = outputType(net).format;
  const sums = new Array(k).fill(0);
  const maxAbs = new Array(k).fill(0);
  const maxLine = new Array(k).fill(0);
  let agree = 0;
  const layers: Array<{ events: number; rows: number; first: LayerOverflows['first'] }> = Array.from(
    { length: net.layers.length + 1 },
    () => ({ events: 0, rows: 0, first: null }),
  );
  const inType = net.input;
  let line = 0;
  let touched = new Set<number>();
  const note = (event: OverflowEvent) => {
    const slot = layers[event.layer + 1];
    slot.events++;
    if (!touched.has(event.layer)) {
      touched.add(event.layer);
      slot.rows++;
    }
    if (!slot.first) slot.first = { line, event };
  };
  // the compiled evaluator re-runs rows with an overflow on the reference, which reports each cast
  const compiled = compileTypedNetwork(net, { hooks: { onOverflow: note } });
  rows.exact.forEach((x, r) => {
    line = rows.lines[r];
    touched = new Set<number>();
    const codes = x.map((v, i) => {
      const c = roundRational(v.num, v.den, inType.format, inType.policy);
      if (c.overflowed) {
        note({
          layer: -1,
          name: 'input',
          neuron: i,
          cast: 'input',
          type: inType,
          value: String(toNumber(v)),
        });
      }
      return c.code;
    });
    const fixed = compiled.evaluate(codes).map((c) => toNumber({ num: c, den: 1n }) * 2 ** -out.fracBits);
    const float = evaluateFloat(f, rows.float[r]);
    for (let j = 0; j < k; j++) {
      const e = Math.abs(fixed[j] - float[j]);
      sums[j] += e;
      if (e > maxAbs[j]) {
        maxAbs[j] = e;
        maxLine[j] = line;
      }
    }
    if (argmax(fixed) === argmax(float)) agree++;
    if (onProgress && r % 256 === 255) onProgress(r + 1);
  });
  const n = rows.exact.length;
  return {
    rows: n,
    outputs: maxAbs.map((m, j) => ({ maxAbs: m, meanAbs: sums[j] / n, maxLine: maxLine[j] })),
    argmaxAgree: k > 1 ? agree : null,
    overflows: layers.map((s, l) => ({
      layer: l - 1,
      name: l === 0 ? 'input' : net.layers[l - 1].name || `layers[${l - 1}]`,
      ...s,
    })),
  };
}
