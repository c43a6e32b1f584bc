/**
 * One batch of `eval --inputs` CSV rows: split, check, turn into codes (input-codes.ts), evaluate
 * (typed-fast.ts) and format as exact decimals. The same function runs in-process and on the worker
 * threads of large files (eval-inputs-worker.ts), so both give the same bytes.
 */

import { FxnnError } from '../errors.js';
import type { Format } from '../format.js';
import type { InputRounding } from '../network/input-codes.js';
import { textToCode } from '../network/input-codes.js';
import { compileTypedNetwork } from '../network/typed-fast.js';
import { outputType, type TypedNetwork } from '../network/typed-network.js';
import { codeToDecimal } from '../value.js';

/** A decimal printer for codes of a format (cached for formats of at most 2^16 values). */
export function decimalPrinter(format: Format): (code: number) => string {
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

/** Rows `lines[i]` (trimmed, non-empty) at file lines `lineNos[i]`, numbered from `firstRow`: the output text. */
export type BatchProcessor = (
  lines: readonly string[],
  lineNos: readonly number[],
  firstRow: number,
) => string;

export function batchProcessor(net: TypedNetwork, file: string, round: InputRounding): BatchProcessor {
  const fast = compileTypedNetwork(net);
  const d = net.inputs;
  const k = fast.outputs;
  const print = decimalPrinter(outputType(net).format);
  let inputs = new Float64Array(0);
  let outputs = new Float64Array(0);
  return (lines, lineNos, firstRow) => {
    const n = lines.length;
    if (inputs.length < n * d) {
      inputs = new Float64Array(n * d);
      outputs = new Float64Array(n * k);
    }
    for (let r = 0; r < n; r++) {
      const cells = lines[r].split(',');
      const index = firstRow + r;
      if (cells.length !== d) {
        throw new FxnnError(
          `--inputs ${file}: row ${index} (line ${lineNos[r]}) has ${cells.length} value${cells.length === 1 ? '' : 's'}; the network has ${d} input${d === 1 ? '' : 's'}`,
          'inputs',
        );
      }
      for (let j = 0; j < d; j++) {
        inputs[r * d + j] = textToCode(
          cells[j].trim(),
          net.input,
          round,
          `--inputs ${file}: row ${index} (line ${lineNos[r]}), x${j + 1}`,
        );
      }
    }
    fast.evaluateRows(inputs, n, outputs);
    const out: string[] = new Array(n);
    for (let r = 0; r < n; r++) {
      let line = print(outputs[r * k]);
      for (let i = 1; i < k; i++) line += `,${print(outputs[r * k + i])}`;
      out[r] = line;
    }
    return n === 0 ? '' : `${out.join('\n')}\n`;
  };
}
