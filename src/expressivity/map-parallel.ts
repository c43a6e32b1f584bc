import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BUILTIN_ACTIVATIONS } from '../activations/activation.js';
import { FxnnError } from '../errors.js';
import { parseFormat } from '../format.js';
import { expressivityMap, type MapCell, type MapOptions, mapFormats } from './map.js';

/**
 * `expressivityMap` on worker threads (Node only; one per core by default). Cells are handed out one at
 * a time, so slow cells do not hold up a worker's queue; the result is in the same order as the
 * sequential map. Falls back to the sequential map where no compiled worker script exists (running from
 * TypeScript sources).
 */
export async function expressivityMapParallel(
  maxBits: number,
  weights: 'all' | 'binary',
  onCell?: (done: number, total: number) => void,
  workers = availableParallelism(),
  options: MapOptions = {},
): Promise<MapCell[]> {
  const script = new URL('./map-worker.js', import.meta.url);
  if (workers < 2 || !import.meta.url.endsWith('.js'))
    return expressivityMap(maxBits, weights, onCell, options);
  const jobs: Array<{ activation: string; format: string }> = [];
  for (const activation of BUILTIN_ACTIVATIONS)
    for (const format of mapFormats(maxBits, options.encoding)) jobs.push({ activation, format });
  // slow cells (most bits) first, so the tail is short
  const order = jobs
    .map((_, i) => i)
    .sort((a, b) => bitsOf(jobs[b].format) - bitsOf(jobs[a].format) || a - b);
  const cells: MapCell[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    const pool = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(script));
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
        onCell?.(++done, jobs.length);
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
