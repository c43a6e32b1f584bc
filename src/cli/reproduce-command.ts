import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { BUILTIN_ACTIVATIONS } from '../activations/activation.js';
import { FxnnError } from '../errors.js';
import { mapCsv, mapFormats, mapMarkdown } from '../expressivity/map.js';
import { expressivityMapParallel } from '../expressivity/map-parallel.js';
import { parseFormat } from '../format.js';
import { toJson } from './output.js';
import { checkBudget, formatDuration, PROGRESS_SECONDS, startProgress } from './progress.js';

/**
 * Seconds one thread takes for all cells of one bit count (14 activations × the Qm.n of that many
 * bits), measured on this project's 2-core machine under load: 3–6 bits take seconds, 7 bits about a
 * minute, 8 bits about 4 minutes; beyond, each bit is taken to multiply the time by 4 (DIST alone is
 * quadratic in |𝕀|, and |𝕀| doubles).
 */
const SECONDS_PER_BITS: Readonly<Record<number, number>> = { 3: 6, 4: 4.4, 5: 4.6, 6: 7.7, 7: 65, 8: 226 };

/** Estimated seconds of one thread for the cells of `bits` total bits. */
export function mapBitsSeconds(bits: number): number {
  return SECONDS_PER_BITS[bits] ?? SECONDS_PER_BITS[8] * 4 ** (bits - 8);
}

/** Estimated seconds of the map up to maxBits on `workers` threads. */
export function mapEstimateSeconds(maxBits: number, workers: number): number {
  let single = 0;
  for (let bits = 3; bits <= maxBits; bits++) single += mapBitsSeconds(bits);
  return single / Math.max(1, workers);
}

interface ReproduceOptions {
  maxBits: string;
  weights: 'all' | 'binary';
  md?: boolean;
  csv?: boolean;
  json?: boolean;
  force?: boolean;
}

export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description("the map of the paper's claims: the verdict of every built-in activation × format Qm.n")
    .option('--max-bits <n>', 'largest total bits (formats from 3 bits)', '8')
    .addOption(new Option('--weights <set>', 'weight set').choices(['all', 'binary']).default('all'))
    .option('--md', 'Markdown table (default)')
    .option('--csv', 'CSV')
    .option('--json', 'JSON {"cells": [...]}')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn reproduce\n  fxnn reproduce --max-bits 6 --weights binary --csv',
    )
    .option('--workers <n>', 'worker threads (default: one per core)')
    .option('--force', 'run even when the estimate exceeds ten minutes')
    .action(async (opts: ReproduceOptions & { workers?: string }) => {
      const maxBits = Number(opts.maxBits);
      if (!Number.isInteger(maxBits) || maxBits < 3 || maxBits > 12) {
        throw new FxnnError(`--max-bits: expected 3 to 12, got ${JSON.stringify(opts.maxBits)}`, 'max-bits');
      }
      const workers = opts.workers === undefined ? undefined : Number(opts.workers);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) {
        throw new FxnnError(`--workers: expected 1 to 64, got ${JSON.stringify(opts.workers)}`, 'workers');
      }
      const threads = workers ?? availableParallelism();
      const cells = BUILTIN_ACTIVATIONS.length * mapFormats(maxBits).length;
      const estimate = mapEstimateSeconds(maxBits, threads);
      const what = `--max-bits ${maxBits} is ${cells} cells (${BUILTIN_ACTIVATIONS.length} activations × every Qm.n of 3 to ${maxBits} bits)`;
      checkBudget(
        'reproduce',
        what,
        estimate,
        opts.force,
        ` on ${threads} thread${threads === 1 ? '' : 's'}`,
      );
      if (estimate >= PROGRESS_SECONDS)
        process.stderr.write(
          `reproduce: ${cells} cells, about ${formatDuration(estimate)} on ${threads} thread${threads === 1 ? '' : 's'} (estimate)\n`,
        );
      // progress in estimated work: a cell of b bits weighs its share of mapBitsSeconds(b)
      const perCell = (format: string) => {
        const bits = parseFormat(format).bits;
        return mapBitsSeconds(bits) / (bits * BUILTIN_ACTIVATIONS.length);
      };
      const work = estimate * threads;
      const progress = startProgress('reproduce', Math.round(work * 1000), 'ms of estimated work', {
        estimatedSeconds: estimate,
        count: (done) =>
          `${Math.min(100, Math.floor(done / (10 * work)))}% of the estimated work, ${doneCells}/${cells} cells`,
      });
      let doneCells = 0;
      let doneWork = 0;
      const t0 = performance.now();
      const result = await expressivityMapParallel(
        maxBits,
        opts.weights,
        (done, _total, cell) => {
          doneCells = done;
          doneWork += perCell(cell.format);
          progress.update(Math.min(Math.round(doneWork * 1000), Math.round(work * 1000) - 1));
        },
        workers,
      );
      progress.stop();
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      if (opts.json) console.log(toJson({ cells: result }));
      else if (opts.csv) console.log(mapCsv(result));
      else console.log(`${mapMarkdown(result)}\n\n(${result.length} cells in ${seconds} s)`);
    });
}
