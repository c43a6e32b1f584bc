import { OverflowError } from '../core/overflow.js';
import { check } from '../errors.js';
import type { Format } from '../format.js';
import { expressionTarget } from '../target/target-function.js';
import { codeToDecimal } from '../value.js';
import { compileNetwork } from './fast-evaluator.js';
import { fillInputs } from './input-space.js';
import { type Network, outputCount } from './network.js';

/**
 * What to do with each chunk of an exhaustive run: hand back the output codes, format CSV rows, or
 * compare with a target expression. Tasks are plain data so that worker threads can run them too.
 */
export type ExhaustiveTask =
  | { readonly kind: 'outputs' }
  | { readonly kind: 'csv' }
  | { readonly kind: 'compare-fn'; readonly expression: string; readonly examples: number };

/** One input where the network and the target differ (codes). */
export interface Mismatch {
  readonly index: number;
  readonly input: readonly number[];
  readonly network: number;
  readonly target: number;
}

export interface CompareResult {
  readonly mismatches: number;
  /** The first mismatches of the chunk (at most the task's `examples`). */
  readonly examples: readonly Mismatch[];
}

/**
 * The CSV lines of a chunk. Under overflow `error` a row that overflows is kept, its outputs written
 * `overflow`, and counted (the first one's message kept): the table is never cut short.
 */
export interface CsvResult {
  readonly text: string;
  readonly overflows: number;
  readonly firstOverflow: string | null;
}

/** `outputs`: rows×k codes; `csv`: the chunk's CSV lines; `compare-fn`: the chunk's mismatches. */
export type TaskResult = Int32Array | CsvResult | CompareResult;

/** Runs a task on rows start … start+rows−1 of 𝕀^d. */
export type ChunkRunner = (start: number, rows: number) => TaskResult;

/** Exact decimal of a code, cached for formats of at most 2^16 values. */
export function decimalsOf(format: Format): (code: number) => string {
  if (format.size > 65536n) return (code) => codeToDecimal(BigInt(code), format);
  const min = Number(format.minCode);
  const cache = new Array<string | undefined>(Number(format.size));
  return (code) => {
    let s = cache[code - min];
    if (s === undefined) {
      s = codeToDecimal(BigInt(code), format);
      cache[code - min] = s;
    }
    return s;
  };
}

/** Prepares a task for a network (in this thread): compiles the network, loads the target. */
export async function prepareTask(net: Network, task: ExhaustiveTask): Promise<ChunkRunner> {
  const fast = compileNetwork(net);
  const d = net.inputs;
  const k = outputCount(net);
  let inputs = new Int32Array(0);
  let outputs = new Int32Array(0);
  const evaluate = (start: number, rows: number) => {
    if (inputs.length < rows * d) {
      inputs = new Int32Array(rows * d);
      outputs = new Int32Array(rows * k);
    }
    fillInputs(net.format, d, start, rows, inputs);
    fast.evaluateBatch(inputs, rows, outputs);
  };
  switch (task.kind) {
    case 'outputs':
      return (start, rows) => {
        evaluate(start, rows);
        return outputs.slice(0, rows * k);
      };
    case 'csv': {
      const decimal = decimalsOf(net.format);
      const one = new Int32Array(k);
      return (start, rows) => {
        // under overflow `error` a chunk with an overflowing row is evaluated again row by row
        let failed: Uint8Array | null = null;
        let overflows = 0;
        let firstOverflow: string | null = null;
        try {
          evaluate(start, rows);
        } catch (e) {
          if (!(e instanceof OverflowError)) throw e;
          failed = new Uint8Array(rows);
          for (let r = 0; r < rows; r++) {
            try {
              fast.evaluateBatch(inputs.subarray(r * d, (r + 1) * d), 1, one);
              outputs.set(one, r * k);
            } catch (e2) {
              if (!(e2 instanceof OverflowError)) throw e2;
              failed[r] = 1;
              overflows++;
              firstOverflow ??= e2.message;
            }
          }
        }
        const lines = new Array<string>(rows);
        const fields = new Array<string>(d + k);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < d; j++) fields[j] = decimal(inputs[r * d + j]);
          for (let i = 0; i < k; i++) fields[d + i] = failed?.[r] ? 'overflow' : decimal(outputs[r * k + i]);
          lines[r] = fields.join(',');
        }
        return { text: `${lines.join('\n')}\n`, overflows, firstOverflow };
      };
    }
    default: {
      check(k === 1, () => `verify: the network has ${k} outputs; a target function has one`, 'fn');
      const target = await expressionTarget(task.expression, net.format, net.policy, d);
      return (start, rows) => {
        evaluate(start, rows);
        let mismatches = 0;
        const examples: Mismatch[] = [];
        const x = new Array<bigint>(d);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < d; j++) x[j] = BigInt(inputs[r * d + j]);
          const t = Number(target.codeAt(x));
          if (t !== outputs[r]) {
            mismatches++;
            if (examples.length < task.examples) {
              examples.push({
                index: start + r,
                input: Array.from(inputs.subarray(r * d, (r + 1) * d)),
                network: outputs[r],
                target: t,
              });
            }
          }
        }
        return { mismatches, examples };
      };
    }
  }
}
