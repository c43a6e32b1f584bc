import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import { FxnnError } from '../errors.js';
import { type ClaimMap, claimsText, mapLabel, paperClaims } from '../expressivity/claims.js';
import { mapCsv, mapMarkdown } from '../expressivity/map.js';
import { expressivityMapParallel } from '../expressivity/map-parallel.js';
import type { FormatKind } from '../format.js';
import { toJson } from './output.js';

interface ReproduceOptions {
  maxBits: string;
  weights: 'all' | 'binary';
  encoding: 'q' | 'sq' | 'uq';
  accumulation: 'sequential' | 'exact';
  claims?: boolean;
  md?: boolean;
  csv?: boolean;
  json?: boolean;
}

const ENCODINGS = { q: 'Q', sq: 'SQ', uq: 'UQ' } as const;

export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description("the map of the paper's claims: the verdict of every built-in activation × format Qm.n")
    .option('--max-bits <n>', 'largest total bits (formats from 3 bits)', '8')
    .addOption(new Option('--weights <set>', 'weight set').choices(['all', 'binary']).default('all'))
    .addOption(
      new Option(
        '--encoding <kind>',
        "formats Qm.n (two's complement), SQm.n (symmetric) or UQm.n (unsigned)",
      )
        .choices(['q', 'sq', 'uq'])
        .default('q'),
    )
    .addOption(
      new Option('--accumulation <mode>', 'accumulation')
        .choices(['sequential', 'exact'])
        .default('sequential'),
    )
    .option('--md', 'Markdown table (default)')
    .option('--csv', 'CSV')
    .option('--json', 'JSON {"cells": [...]} (with --claims: {"maxBits", "maps", "claims"})')
    .option(
      '--claims',
      "check the claims C1–C6 of the paper's abstract against the maps (Q and SQ, all and binary weights; one encoding with --encoding)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn reproduce\n  fxnn reproduce --max-bits 6 --weights binary --csv\n  fxnn reproduce --encoding sq --max-bits 7 --accumulation exact\n  fxnn reproduce --claims --max-bits 6',
    )
    .option('--workers <n>', 'worker threads (default: one per core)')
    .action(async (opts: ReproduceOptions & { workers?: string }, cmd: Command) => {
      const maxBits = Number(opts.maxBits);
      if (!Number.isInteger(maxBits) || maxBits < 3 || maxBits > 12) {
        throw new FxnnError(`--max-bits: expected 3 to 12, got ${JSON.stringify(opts.maxBits)}`, 'max-bits');
      }
      const workers = opts.workers === undefined ? undefined : Number(opts.workers);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) {
        throw new FxnnError(`--workers: expected 1 to 64, got ${JSON.stringify(opts.workers)}`, 'workers');
      }
      if (opts.claims && opts.csv) throw new FxnnError('--claims prints text or --json, not --csv', 'claims');
      /** One map on worker threads, with a progress bar on a terminal. */
      const runMap = async (encoding: FormatKind, weights: 'all' | 'binary') => {
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: `${encoding} ${weights} map [{bar}] {value}/{total} cells` },
              cliProgress.Presets.shades_classic,
            )
          : null;
        let started = false;
        const cells = await expressivityMapParallel(
          maxBits,
          weights,
          (done, total) => {
            if (bar && !started) {
              bar.start(total, 0);
              started = true;
            }
            bar?.update(done);
          },
          workers,
          { encoding, accumulation: opts.accumulation },
        );
        bar?.stop();
        return cells;
      };
      const t0 = performance.now();
      if (opts.claims) {
        // Q and SQ, all and binary weights (one encoding when --encoding is given)
        const encodings: FormatKind[] =
          cmd.getOptionValueSource('encoding') === 'cli' ? [ENCODINGS[opts.encoding]] : ['Q', 'SQ'];
        const maps: ClaimMap[] = [];
        for (const encoding of encodings) {
          for (const weights of ['all', 'binary'] as const) {
            maps.push({
              encoding,
              weights,
              accumulation: opts.accumulation,
              cells: await runMap(encoding, weights),
            });
          }
        }
        const claims = paperClaims(maps);
        const seconds = ((performance.now() - t0) / 1000).toFixed(1);
        const cells = maps.reduce((n, m) => n + m.cells.length, 0);
        if (opts.json) console.log(toJson({ maxBits, maps: maps.map(mapLabel), claims }));
        else
          console.log(
            `${claimsText(claims)}\n\n(maps ${maps.map(mapLabel).join(', ')}, formats of 3–${maxBits} bits: ${cells} cells in ${seconds} s)`,
          );
        return;
      }
      const cells = await runMap(ENCODINGS[opts.encoding], opts.weights);
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      if (opts.json) console.log(toJson({ cells }));
      else if (opts.csv) console.log(mapCsv(cells));
      else console.log(`${mapMarkdown(cells)}\n\n(${cells.length} cells in ${seconds} s)`);
    });
}
