import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import { FxnnError } from '../errors.js';
import { mapCsv, mapMarkdown } from '../expressivity/map.js';
import { expressivityMapParallel } from '../expressivity/map-parallel.js';
import { toJson } from './output.js';

interface ReproduceOptions {
  maxBits: string;
  weights: 'all' | 'binary';
  md?: boolean;
  csv?: boolean;
  json?: boolean;
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
    .action(async (opts: ReproduceOptions & { workers?: string }) => {
      const maxBits = Number(opts.maxBits);
      if (!Number.isInteger(maxBits) || maxBits < 3 || maxBits > 12) {
        throw new FxnnError(`--max-bits: expected 3 to 12, got ${JSON.stringify(opts.maxBits)}`, 'max-bits');
      }
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            { format: 'map [{bar}] {value}/{total} cells' },
            cliProgress.Presets.shades_classic,
          )
        : null;
      const t0 = performance.now();
      let started = false;
      const workers = opts.workers === undefined ? undefined : Number(opts.workers);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) {
        throw new FxnnError(`--workers: expected 1 to 64, got ${JSON.stringify(opts.workers)}`, 'workers');
      }
      const cells = await expressivityMapParallel(
        maxBits,
        opts.weights,
        (done, total) => {
          if (bar && !started) {
            bar.start(total, 0);
            started = true;
          }
          bar?.update(done);
        },
        workers,
      );
      bar?.stop();
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      if (opts.json) console.log(toJson({ cells }));
      else if (opts.csv) console.log(mapCsv(cells));
      else console.log(`${mapMarkdown(cells)}\n\n(${cells.length} cells in ${seconds} s)`);
    });
}
