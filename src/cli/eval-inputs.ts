/**
 * `fxnn eval net.json --inputs X.csv|X.npy [--round-inputs] --out Y.csv` (docs/networks.md "eval
 * --inputs"): one output row per input row, outputs as exact decimals, streamed (memory flat in the
 * number of rows). CSV rows are d values (an optional first line `x1,…,xd` is a header); .npy files
 * hold a 2-D (n × d) or 1-D (d = 1) array of float32/float64/int.
 */
import { closeSync, createReadStream, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { check, FxnnError } from '../errors.js';
import type { FixedType } from '../fixed-type.js';
import type { Format } from '../format.js';
import { textToCode } from '../network/input-codes.js';
import { compileTypedNetwork } from '../network/typed-fast.js';
import { outputType, type TypedNetwork } from '../network/typed-network.js';
import { codeToDecimal } from '../value.js';
import { doubleToCode, readNpyHeader } from './npy.js';

/** Rows evaluated per batch. */
const BATCH = 4096;

/** A decimal printer for codes of a format (cached for formats of at most 2^16 values). */
function decimalPrinter(format: Format): (code: number) => string {
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

/** A file written to `path.tmp-…` and renamed at the end (a failure leaves `path` untouched). */
function atomicFile(path: string): { write(text: string): void; commit(): void; abort(): void } {
  const tmp = `${path}.tmp-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    throw new FxnnError(
      `--out: cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      'out',
    );
  }
  let open = true;
  return {
    write: (text) => {
      writeSync(fd, text);
    },
    commit: () => {
      closeSync(fd);
      open = false;
      renameSync(tmp, path);
    },
    abort: () => {
      if (open) closeSync(fd);
      open = false;
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    },
  };
}

export interface EvalInputsOptions {
  readonly roundInputs: boolean;
  readonly out?: string;
}

/** Evaluates every row of a CSV or .npy file; returns the number of rows. */
export async function evalInputs(net: TypedNetwork, file: string, opts: EvalInputsOptions): Promise<number> {
  const fast = compileTypedNetwork(net);
  const d = net.inputs;
  const k = fast.outputs;
  const print = decimalPrinter(outputType(net).format);
  const header = `${Array.from({ length: k }, (_, i) => `y${i + 1}`).join(',')}\n`;
  const sink = opts.out === undefined ? stdoutSink() : atomicFile(opts.out);
  const inputs = new Float64Array(BATCH * d);
  const outputs = new Float64Array(BATCH * k);
  let rows = 0;
  let pending = 0;
  const flush = () => {
    if (pending === 0) return;
    fast.evaluateRows(inputs, pending, outputs);
    const lines: string[] = new Array(pending);
    for (let r = 0; r < pending; r++) {
      let line = print(outputs[r * k]);
      for (let i = 1; i < k; i++) line += `,${print(outputs[r * k + i])}`;
      lines[r] = line;
    }
    sink.write(`${lines.join('\n')}\n`);
    pending = 0;
  };
  try {
    sink.write(header);
    const push = (row: number, codes: (j: number) => number) => {
      for (let j = 0; j < d; j++) inputs[pending * d + j] = codes(j);
      pending++;
      rows = row;
      if (pending === BATCH) flush();
    };
    if (file.toLowerCase().endsWith('.npy')) readNpyRows(file, d, net.input, opts.roundInputs, push);
    else await readCsvRows(file, d, net.input, opts.roundInputs, push);
    flush();
    sink.commit();
  } catch (e) {
    sink.abort();
    throw e;
  }
  return rows;
}

function stdoutSink(): { write(text: string): void; commit(): void; abort(): void } {
  return {
    write: (text) => {
      try {
        writeSync(1, text);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          // a non-blocking pipe is full: retry until it drains
          let rest = Buffer.from(text);
          while (rest.length > 0) {
            try {
              const n = writeSync(1, rest);
              rest = rest.subarray(n);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
            }
          }
        } else throw e;
      }
    },
    commit: () => {},
    abort: () => {},
  };
}

async function readCsvRows(
  file: string,
  d: number,
  type: FixedType,
  round: boolean,
  push: (row: number, codes: (j: number) => number) => void,
): Promise<void> {
  let stream: ReturnType<typeof createReadStream>;
  try {
    stream = createReadStream(file, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
  } catch (e) {
    throw new FxnnError(
      `--inputs: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      'inputs',
    );
  }
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let row = 0;
  let first = true;
  for await (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',');
    const isFirst = first;
    first = false;
    if (isFirst && /^[A-Za-z_"]/.test(cells[0].trim())) {
      check(
        cells.length === d,
        () =>
          `--inputs ${file}: the header has ${cells.length} column${cells.length === 1 ? '' : 's'}; the network has ${d} input${d === 1 ? '' : 's'} (x1…x${d})`,
        'inputs',
      );
      continue;
    }
    const index = row + 1;
    row = index;
    if (cells.length !== d) {
      throw new FxnnError(
        `--inputs ${file}: row ${index} (line ${lineNo}) has ${cells.length} value${cells.length === 1 ? '' : 's'}; the network has ${d} input${d === 1 ? '' : 's'}`,
        'inputs',
      );
    }
    push(index, (j) =>
      textToCode(cells[j].trim(), type, round, `--inputs ${file}: row ${index} (line ${lineNo}), x${j + 1}`),
    );
  }
}

function readNpyRows(
  file: string,
  d: number,
  type: FixedType,
  round: boolean,
  push: (row: number, codes: (j: number) => number) => void,
): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new FxnnError(
      `--inputs: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      'inputs',
    );
  }
  try {
    const h = readNpyHeader(fd, file);
    const cols = h.shape.length === 1 ? 1 : h.shape[1];
    check(
      cols === d,
      () =>
        `--inputs ${file}: the array has ${cols} column${cols === 1 ? '' : 's'} (shape [${h.shape.join(', ')}]); the network has ${d} input${d === 1 ? '' : 's'}`,
      'inputs',
    );
    const n = h.shape[0];
    const rowBytes = d * h.itemSize;
    const chunkRows = Math.max(1, Math.floor((1 << 20) / rowBytes));
    const buf = Buffer.alloc(chunkRows * rowBytes);
    let offset = h.dataOffset;
    for (let start = 0; start < n; start += chunkRows) {
      const rows = Math.min(chunkRows, n - start);
      const want = rows * rowBytes;
      const got = readSync(fd, buf, 0, want, offset);
      check(
        got === want,
        () => `--inputs ${file}: the file ends before row ${start + Math.floor(got / rowBytes) + 1} of ${n}`,
        'inputs',
      );
      offset += want;
      for (let r = 0; r < rows; r++) {
        const index = start + r + 1;
        push(index, (j) => {
          const v = h.read(buf, (r * d + j) * h.itemSize);
          return doubleToCode(v, type, round, `--inputs ${file}: row ${index}, x${j + 1}`);
        });
      }
    }
  } finally {
    closeSync(fd);
  }
}
