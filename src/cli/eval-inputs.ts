/**
 * `fxnn eval net.json --inputs X.csv|X.npy [--round-inputs] --out Y.csv` (docs/networks.md "eval
 * --inputs"): one output row per input row, outputs as exact decimals, streamed (memory flat in the
 * number of rows). CSV rows are d values (an optional first line `x1,…,xd` is a header); .npy files
 * hold a 2-D (n × d) or 1-D (d = 1) array of float32/float64/int.
 */

import { closeSync, createReadStream, openSync, readSync, statSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { check, FxnnError } from '../errors.js';
import type { FixedType } from '../fixed-type.js';
import type { InputRounding } from '../network/input-codes.js';
import { compileTypedNetwork } from '../network/typed-fast.js';
import { outputType, type TypedNetwork, typedOutputCount } from '../network/typed-network.js';
import { batchProcessor, decimalPrinter } from './eval-inputs-batch.js';
import type { FromInputsWorker, ToInputsWorker } from './eval-inputs-worker.js';
import { doubleToCode, readNpyHeader } from './npy.js';
import type { OutputFile } from './output-file.js';
import { OutputClosed } from './text-sink.js';

/** Rows evaluated per batch. */
const BATCH = 4096;

export interface EvalInputsOptions {
  readonly roundInputs: InputRounding;
  /** The planned `--out` file (planOutputFile); without it, standard output. */
  readonly out?: OutputFile;
  /** The network file, read again by worker threads (without it, one thread). */
  readonly networkPath?: string;
  /** Threads for CSV files (default: up to 4 for files of 4 MB or more, else 1). */
  readonly workers?: number;
}

/** CSV files at least this large run on worker threads (when the machine has more than one core). */
const PARALLEL_BYTES = 4 << 20;
/** Rows per batch handed to a worker. */
const WORKER_BATCH = 8192;

/** Evaluates every row of a CSV or .npy file; returns the number of rows. */
export async function evalInputs(net: TypedNetwork, file: string, opts: EvalInputsOptions): Promise<number> {
  const k = typedOutputCount(net);
  const header = `${Array.from({ length: k }, (_, i) => `y${i + 1}`).join(',')}\n`;
  const sink = opts.out === undefined ? stdoutSink() : fileSink(opts.out);
  let headerWritten = false;
  // the header goes out with the first rows, so an error in the first batch prints nothing
  const write = (text: string) => {
    if (!headerWritten) {
      sink.write(header);
      headerWritten = true;
    }
    if (text !== '') sink.write(text);
  };
  let rows = 0;
  try {
    if (file.toLowerCase().endsWith('.npy')) rows = evalNpy(net, file, opts.roundInputs, write);
    else {
      const workers = workerCount(file, opts);
      rows =
        workers > 1 && opts.networkPath !== undefined
          ? await evalCsvParallel(net, opts.networkPath, file, opts.roundInputs, workers, write)
          : await evalCsv(net, file, opts.roundInputs, write);
    }
    write('');
    sink.commit();
  } catch (e) {
    sink.abort();
    if (e instanceof OutputClosed) return rows; // the reader of standard output went away (| head)
    throw e;
  }
  return rows;
}

function workerCount(file: string, opts: EvalInputsOptions): number {
  if (opts.workers !== undefined) return opts.workers;
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return 1; // the reader words the error
  }
  return size >= PARALLEL_BYTES ? Math.min(availableParallelism(), 4) : 1;
}

/** The CSV's data rows in batches: trimmed lines and their line numbers (the optional header checked). */
async function* csvBatches(
  file: string,
  d: number,
  batch: number,
): AsyncGenerator<{ lines: string[]; lineNos: number[]; firstRow: number }> {
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
  const input = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let row = 0;
  let first = true;
  let lines: string[] = [];
  let lineNos: number[] = [];
  for await (const raw of input) {
    lineNo++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (first) {
      first = false;
      if (/^[A-Za-z_"]/.test(line)) {
        const columns = line.split(',').length;
        check(
          columns === d,
          () =>
            `--inputs ${file}: the header has ${columns} column${columns === 1 ? '' : 's'}; the network has ${d} input${d === 1 ? '' : 's'} (x1…x${d})`,
          'inputs',
        );
        continue;
      }
    }
    lines.push(line);
    lineNos.push(lineNo);
    if (lines.length === batch) {
      yield { lines, lineNos, firstRow: row + 1 };
      row += lines.length;
      lines = [];
      lineNos = [];
    }
  }
  if (lines.length > 0) yield { lines, lineNos, firstRow: row + 1 };
}

async function evalCsv(
  net: TypedNetwork,
  file: string,
  round: InputRounding,
  write: (text: string) => void,
): Promise<number> {
  const run = batchProcessor(net, file, round);
  let rows = 0;
  for await (const b of csvBatches(file, net.inputs, BATCH)) {
    write(run(b.lines, b.lineNos, b.firstRow));
    rows += b.lines.length;
  }
  return rows;
}

function startInputsWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./eval-inputs-worker.js', self));
  const script = JSON.stringify(new URL('./eval-inputs-worker.ts', self).href);
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${script}); });`,
    {
      eval: true,
    },
  );
}

/** The CSV on `workers` threads: batches in flight round-robin, results written in order. */
async function evalCsvParallel(
  net: TypedNetwork,
  networkPath: string,
  file: string,
  round: InputRounding,
  workers: number,
  write: (text: string) => void,
): Promise<number> {
  const pool = Array.from({ length: workers }, () => startInputsWorker());
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (e: Error) => void }>();
  for (const w of pool) {
    w.postMessage({ type: 'init', network: networkPath, file, round } satisfies ToInputsWorker);
    w.on('message', (m: FromInputsWorker) => {
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      if (m.type === 'result') p.resolve(m.text);
      else p.reject(m.user ? new FxnnError(m.message, 'inputs') : new Error(m.message));
    });
    w.on('error', (e) => {
      for (const p of waiting.values()) p.reject(e);
      waiting.clear();
    });
  }
  const inFlight: Array<Promise<string>> = [];
  let id = 0;
  let rows = 0;
  try {
    for await (const b of csvBatches(file, net.inputs, WORKER_BATCH)) {
      const worker = pool[id % workers];
      const job = new Promise<string>((resolve, reject) => waiting.set(id, { resolve, reject }));
      job.catch(() => {}); // awaited in order below; an early failure must not be unhandled
      worker.postMessage({ type: 'batch', id, ...b } satisfies ToInputsWorker);
      inFlight.push(job);
      id++;
      rows += b.lines.length;
      while (inFlight.length >= 2 * workers) write(await (inFlight.shift() as Promise<string>));
    }
    while (inFlight.length > 0) write(await (inFlight.shift() as Promise<string>));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return rows;
}

/** Output text held before standard output is written to (so that a bad row prints nothing). */
const STDOUT_HOLD = 64 << 20;

/**
 * Standard output: the text is held until the whole input has been read (a row error then prints
 * nothing), up to STDOUT_HOLD characters; beyond that it streams (docs/networks.md "eval --inputs").
 */
function stdoutSink(): { write(text: string): void; commit(): void; abort(): void } {
  let held: string[] | null = [];
  let size = 0;
  const put = (text: string) => {
    // writeSync may write part of the text (pipes) or find a non-blocking pipe full (EAGAIN): loop
    let rest = Buffer.from(text);
    while (rest.length > 0) {
      try {
        rest = rest.subarray(writeSync(1, rest));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') throw new OutputClosed();
        if (code !== 'EAGAIN') throw e;
      }
    }
  };
  const release = () => {
    if (held === null) return;
    const all = held.join('');
    held = null;
    if (all !== '') put(all);
  };
  return {
    write: (text) => {
      if (held === null) return put(text);
      held.push(text);
      size += text.length;
      if (size > STDOUT_HOLD) release();
    },
    commit: release,
    abort: () => {
      held = null;
    },
  };
}

/** `--out`: the safe output file (a temporary file renamed at the end; an error leaves no file). */
function fileSink(file: OutputFile): { write(text: string): void; commit(): void; abort(): void } {
  return { write: (text) => file.write(text), commit: () => file.commit(), abort: () => file.abort() };
}

/** A .npy file, in-process: rows read in chunks, evaluated in batches. */
function evalNpy(
  net: TypedNetwork,
  file: string,
  round: InputRounding,
  write: (text: string) => void,
): number {
  const fast = compileTypedNetwork(net);
  const d = net.inputs;
  const k = fast.outputs;
  const print = decimalPrinter(outputType(net).format);
  const inputs = new Float64Array(BATCH * d);
  const outputs = new Float64Array(BATCH * k);
  let pending = 0;
  let rows = 0;
  const flush = () => {
    if (pending === 0) return;
    fast.evaluateRows(inputs, pending, outputs);
    const lines: string[] = new Array(pending);
    for (let r = 0; r < pending; r++) {
      let line = print(outputs[r * k]);
      for (let i = 1; i < k; i++) line += `,${print(outputs[r * k + i])}`;
      lines[r] = line;
    }
    write(`${lines.join('\n')}\n`);
    pending = 0;
  };
  readNpyRows(file, d, net.input, round, (row, codes) => {
    for (let j = 0; j < d; j++) inputs[pending * d + j] = codes(j);
    pending++;
    rows = row;
    if (pending === BATCH) flush();
  });
  flush();
  return rows;
}

function readNpyRows(
  file: string,
  d: number,
  type: FixedType,
  round: InputRounding,
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
