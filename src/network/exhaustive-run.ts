import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FxnnError } from '../errors.js';
import { exhaustiveRowCount } from './exhaustive.js';
import { type ChunkRunner, type ExhaustiveTask, prepareTask, type TaskResult } from './exhaustive-tasks.js';
import type { FromWorker, ToWorker } from './exhaustive-worker.js';
import type { Network } from './network.js';
import { networkToJson } from './network-json.js';

/** A planned exhaustive run over all of 𝕀^d, with its time estimate. */
export interface ExhaustivePlan {
  readonly rows: number;
  /** Threads the run uses: 1 runs in this thread, more start worker threads. */
  readonly workers: number;
  readonly chunkRows: number;
  /** Measured on a sample in this thread, divided among the workers, plus their start-up. */
  readonly estimatedSeconds: number;
  /**
   * Runs the task on every row in chunks and hands the results over in lexicographic order (at most a
   * few chunks are held at a time: memory does not grow with the number of rows). An error in any
   * chunk rejects with the error of the first failing chunk.
   */
  run(
    onResult: (result: TaskResult, start: number, rows: number) => void | Promise<void>,
    onProgress?: (doneRows: number) => void,
  ): Promise<void>;
}

export interface PlanOptions {
  /** Upper bound on threads (default: the machine's available parallelism). */
  readonly workers?: number;
  /** Runs estimated below this many seconds stay in this thread (default 3: worker start-up would eat the gain). */
  readonly parallelAbove?: number;
  /** Largest chunk of rows handed to a worker (default: about 50 ms of work, measured). */
  readonly maxChunkRows?: number;
}

/**
 * Seconds a worker takes to start: load the code, compile the network, prepare the task (measured
 * when the code still loaded mathjs, about a second of it; kept as a conservative bound).
 */
const WORKER_STARTUP_SECONDS = 1.5;

/** Times the task on a growing sample of the first rows (about 50 ms in all). */
function secondsPerRow(run: ChunkRunner, total: number): number {
  let rows = Math.min(total, 64);
  for (;;) {
    const t0 = performance.now();
    run(0, rows);
    const seconds = (performance.now() - t0) / 1000;
    if (seconds >= 0.05 || rows >= total) return seconds / rows;
    rows = Math.min(total, rows * 4);
  }
}

/**
 * Plans an exhaustive run of a task: prepares it here, measures its speed on a sample, and chooses the
 * number of threads (short runs stay in this thread).
 */
export async function planExhaustive(
  net: Network,
  task: ExhaustiveTask,
  options: PlanOptions = {},
): Promise<ExhaustivePlan> {
  const total = exhaustiveRowCount(net);
  const runner = await prepareTask(net, task);
  const perRow = secondsPerRow(runner, total);
  const single = perRow * total;
  const chunkRows = Math.max(
    256,
    Math.min(options.maxChunkRows ?? 1 << 20, Math.ceil(0.05 / Math.max(perRow, 1e-12) / 256) * 256),
  );
  const chunks = Math.ceil(total / chunkRows);
  const maxWorkers = Math.max(1, Math.min(options.workers ?? availableParallelism(), chunks));
  const workers = single < (options.parallelAbove ?? 2 * WORKER_STARTUP_SECONDS) ? 1 : maxWorkers;
  const estimatedSeconds = workers === 1 ? single : single / workers + WORKER_STARTUP_SECONDS;
  return {
    rows: total,
    workers,
    chunkRows,
    estimatedSeconds,
    run: (onResult, onProgress) =>
      workers === 1
        ? runHere(runner, total, chunkRows, onResult, onProgress)
        : runInWorkers(net, task, total, chunkRows, workers, onResult, onProgress),
  };
}

async function runHere(
  run: ChunkRunner,
  total: number,
  chunkRows: number,
  onResult: (result: TaskResult, start: number, rows: number) => void | Promise<void>,
  onProgress?: (doneRows: number) => void,
): Promise<void> {
  for (let start = 0; start < total; start += chunkRows) {
    const rows = Math.min(chunkRows, total - start);
    await onResult(run(start, rows), start, rows);
    onProgress?.(start + rows);
  }
}

/**
 * Starts the worker script next to this module. When running from TypeScript sources (e.g. under
 * vitest), the thread first registers tsx so that it can load them.
 */
function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./exhaustive-worker.js', self));
  const script = JSON.stringify(new URL('./exhaustive-worker.ts', self).href);
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${script}); });`,
    { eval: true },
  );
}

class WorkerHandle {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (r: TaskResult) => void; reject: (e: Error) => void }
  >();
  readonly ready: Promise<void>;

  constructor(network: unknown, task: ExhaustiveTask) {
    this.worker = startWorker();
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    this.ready.catch(() => {});
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') return readyResolve();
      if (m.type === 'result') {
        this.pending.get(m.id)?.resolve(m.result as TaskResult);
        this.pending.delete(m.id);
        return;
      }
      const error = m.user ? new FxnnError(m.message) : new Error(`exhaustive worker: ${m.message}`);
      if (m.id < 0) return this.failAll(error, readyReject);
      this.pending.get(m.id)?.reject(error);
      this.pending.delete(m.id);
    });
    this.worker.on('error', (e) => this.failAll(e, readyReject));
    this.worker.on('exit', (code) => {
      if (this.pending.size > 0)
        this.failAll(new Error(`exhaustive worker exited with code ${code}`), readyReject);
    });
    this.worker.postMessage({ type: 'init', network, task } satisfies ToWorker);
  }

  private failAll(error: Error, readyReject: (e: Error) => void): void {
    readyReject(error);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  run(id: number, start: number, rows: number): Promise<TaskResult> {
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'chunk', id, start, rows } satisfies ToWorker);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

async function runInWorkers(
  net: Network,
  task: ExhaustiveTask,
  total: number,
  chunkRows: number,
  workers: number,
  onResult: (result: TaskResult, start: number, rows: number) => void | Promise<void>,
  onProgress?: (doneRows: number) => void,
): Promise<void> {
  const json = networkToJson(net);
  const pool = Array.from({ length: workers }, () => new WorkerHandle(json, task));
  const chunks = Math.ceil(total / chunkRows);
  const ahead = 2 * workers;
  const inFlight = new Map<number, Promise<TaskResult>>();
  try {
    await Promise.all(pool.map((w) => w.ready));
    let sent = 0;
    for (let next = 0; next < chunks; next++) {
      while (sent < chunks && sent < next + ahead) {
        const start = sent * chunkRows;
        const promise = pool[sent % workers].run(sent, start, Math.min(chunkRows, total - start));
        promise.catch(() => {}); // observed in order below
        inFlight.set(sent, promise);
        sent++;
      }
      const start = next * chunkRows;
      const rows = Math.min(chunkRows, total - start);
      const result = await inFlight.get(next)!;
      inFlight.delete(next);
      await onResult(result, start, rows);
      onProgress?.(start + rows);
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
