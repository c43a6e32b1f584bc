import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BUILTIN_ACTIVATIONS } from '../activations/activation.js';
import { FxnnError } from '../errors.js';
import { parseFormat } from '../format.js';
import { expressivityMap, type MapCell, type MapOptions, mapCell, mapFormats } from './map.js';

/** Options of the parallel map: the map's semantics, and optionally a cache of cells already decided. */
export interface ParallelMapOptions extends MapOptions {
  /** A cell already decided (from a cache), or undefined: such cells are reported first, not decided. */
  readonly cached?: (activation: string, format: string) => MapCell | undefined;
}

/**
 * `expressivityMap` on worker threads (Node only; one per core by default). Cells are handed out one at
 * a time, so slow cells do not hold up a worker's queue; the result is in the same order as the
 * sequential map. Falls back to the sequential map where no compiled worker script exists (running from
 * TypeScript sources).
 */
export async function expressivityMapParallel(
  maxBits: number,
  weights: 'all' | 'binary',
  onCell?: (done: number, total: number, cell: MapCell) => void,
  workers = availableParallelism(),
  options: ParallelMapOptions = {},
): Promise<MapCell[]> {
  const script = new URL('./map-worker.js', import.meta.url);
  const sequential = workers < 2 || !import.meta.url.endsWith('.js');
  if (sequential && !options.cached) return expressivityMap(maxBits, weights, onCell, options);
  const jobs: Array<{ activation: string; format: string }> = [];
  for (const activation of BUILTIN_ACTIVATIONS)
    for (const format of mapFormats(maxBits, options.encoding)) jobs.push({ activation, format });
  const cells: MapCell[] = new Array(jobs.length);
  let done = 0;
  // cells from the cache first, then the others are decided
  const pending: number[] = [];
  for (let i = 0; i < jobs.length; i++) {
    const hit = options.cached?.(jobs[i].activation, jobs[i].format);
    if (hit) {
      cells[i] = hit;
      onCell?.(++done, jobs.length, hit);
    } else pending.push(i);
  }
  if (sequential) {
    for (const i of pending) {
      cells[i] = mapCell(jobs[i].activation, jobs[i].format, weights, options.accumulation);
      onCell?.(++done, jobs.length, cells[i]);
    }
    return cells;
  }
  if (pending.length === 0) return cells;
  // slow cells (most bits) first, so the tail is short
  const order = pending.sort((a, b) => bitsOf(jobs[b].format) - bitsOf(jobs[a].format) || a - b);
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    const pool = Array.from({ length: Math.min(workers, order.length) }, () => new Worker(script));
    let live = pool.length;
    const feed = (w: Worker) => {
      if (next < order.length) {
        const index = order[next++];
        w.postMessage({ index, ...jobs[index], weights, accumulation: options.accumulation ?? 'sequential' });
      } else w.postMessage(null);
    };
    for (const w of pool) {
      w.on('message', (m: { index: number; cell?: MapCell; error?: string }) => {
        if (m.error !== undefined) {
          for (const p of pool) void p.terminate();
          reject(new FxnnError(`map cell ${jobs[m.index].activation} × ${jobs[m.index].format}: ${m.error}`));
          return;
        }
        cells[m.index] = m.cell as MapCell;
        onCell?.(++done, jobs.length, m.cell as MapCell);
        feed(w);
      });
      w.on('error', reject);
      w.on('exit', () => {
        if (--live === 0) resolve();
      });
      feed(w);
    }
  });
  return cells;
}

function bitsOf(spec: string): number {
  return parseFormat(spec).bits;
}
