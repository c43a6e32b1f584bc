import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { BUILTIN_ACTIVATIONS } from '../activations/activation.js';
import { FxnnError } from '../errors.js';
import { type ClaimMap, claimsText, mapLabel, paperClaims } from '../expressivity/claims.js';
import { type MapCell, mapCsv, mapFormats, mapMarkdown } from '../expressivity/map.js';
import { expressivityMapParallel } from '../expressivity/map-parallel.js';
import { mapSvg } from '../expressivity/map-svg.js';
import { type FormatKind, parseFormat } from '../format.js';
import { DEFAULT_MAP_CACHE_DIR, MapCache } from './map-cache.js';
import { toJson } from './output.js';
import { planOutputFile, writeOutputFile } from './output-file.js';
import { checkBudget, formatDuration, PROGRESS_SECONDS, startProgress } from './progress.js';

/**
 * Seconds one thread takes for all cells of one bit count (14 activations × the Qm.n of that many
 * bits), measured as CPU time on this project's 2-core machine (shared, under load): formats of at most
 * 256 values use the exhaustive search (8 bits is its costliest row), larger ones chain certificates
 * (docs/theory.md §9), whose cost grows about linearly with |𝕀|.
 */
const SECONDS_PER_BITS: Readonly<Record<number, number>> = {
  3: 0.2,
  4: 0.5,
  5: 0.8,
  6: 2.1,
  7: 7.5,
  8: 35,
  9: 10,
  10: 15,
  11: 25,
  12: 25,
  13: 30,
  14: 50,
  15: 90,
  16: 150,
};

/** Estimated seconds of one thread for the cells of `bits` total bits. */
export function mapBitsSeconds(bits: number): number {
  return SECONDS_PER_BITS[bits] ?? SECONDS_PER_BITS[16] * 2 ** (bits - 16);
}

/** Estimated seconds of one map up to maxBits on `workers` threads. */
export function mapEstimateSeconds(maxBits: number, workers: number): number {
  let single = 0;
  for (let bits = 3; bits <= maxBits; bits++) single += mapBitsSeconds(bits);
  return single / Math.max(1, workers);
}

/** The largest --max-bits: the expressivity engine's limit (σ_F tables, 16 bits). */
export const MAX_MAP_BITS = 16;

/**
 * Whether a decided cell goes into the cache: every verdict except one stopped by the wall-clock time
 * budget, which depends on the machine and its load (a work budget is deterministic and is cached).
 */
export function cacheable(cell: MapCell): boolean {
  return !/exceeded the time budget/.test(cell.reason);
}

interface ReproduceOptions {
  maxBits: string;
  weights: 'all' | 'binary';
  encoding: 'q' | 'sq' | 'uq';
  accumulation: 'sequential' | 'exact';
  claims?: boolean;
  md?: boolean;
  csv?: boolean;
  json?: boolean;
  force?: boolean;
  /** The cache folder; false with --no-cache. */
  cache?: string | false;
  svg?: string;
}

const ENCODINGS = { q: 'Q', sq: 'SQ', uq: 'UQ' } as const;

export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description("the map of the paper's claims: the verdict of every built-in activation × format Qm.n")
    .option('--max-bits <n>', `largest total bits, 3 to ${MAX_MAP_BITS} (formats from 3 bits)`, '8')
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
      '\nExamples:\n  fxnn reproduce\n  fxnn reproduce --max-bits 6 --weights binary --csv\n  fxnn reproduce --encoding sq --max-bits 7 --accumulation exact\n  fxnn reproduce --claims --max-bits 6\n  fxnn reproduce --svg map.svg\n  fxnn reproduce --max-bits 16 --svg map-16bit.svg',
    )
    .option('--workers <n>', 'worker threads (default: one per core)')
    .option('--force', 'run even when the estimate exceeds ten minutes')
    .option('--cache <dir>', `the folder of the result cache (default: ${DEFAULT_MAP_CACHE_DIR})`)
    .option('--no-cache', 'decide every cell; neither read nor write the cache')
    .option('--svg <file>', 'also write the map as an SVG heat map (formats × activations, colour = verdict)')
    .action(async (opts: ReproduceOptions & { workers?: string }, cmd: Command) => {
      const maxBits = Number(opts.maxBits);
      if (!Number.isInteger(maxBits) || maxBits < 3 || maxBits > MAX_MAP_BITS) {
        throw new FxnnError(
          `--max-bits: expected 3 to ${MAX_MAP_BITS}, got ${JSON.stringify(opts.maxBits)}`,
          'max-bits',
        );
      }
      const workers = opts.workers === undefined ? undefined : Number(opts.workers);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) {
        throw new FxnnError(`--workers: expected 1 to 64, got ${JSON.stringify(opts.workers)}`, 'workers');
      }
      if (opts.claims && opts.csv) throw new FxnnError('--claims prints text or --json, not --csv', 'claims');
      if (opts.claims && opts.svg) throw new FxnnError('--svg draws one map, not --claims', 'svg');
      const svgFile = planOutputFile(opts.svg, '--svg');
      const cacheDir = opts.cache === false ? undefined : (opts.cache ?? DEFAULT_MAP_CACHE_DIR);
      // the estimate, before any work: refused beyond ten minutes unless --force
      const encodings: FormatKind[] = !opts.claims
        ? [ENCODINGS[opts.encoding]]
        : cmd.getOptionValueSource('encoding') === 'cli'
          ? [ENCODINGS[opts.encoding]]
          : ['Q', 'SQ'];
      const mapCount = opts.claims ? 2 * encodings.length : 1;
      // the caches of the maps to run (one per encoding × weights), opened before the estimate
      const caches = new Map<string, MapCache>();
      const cacheOf = (encoding: FormatKind, weights: 'all' | 'binary') => {
        if (cacheDir === undefined) return undefined;
        const name = `${encoding}-${weights}-${opts.accumulation}`;
        if (!caches.has(name)) caches.set(name, new MapCache(cacheDir, name));
        return caches.get(name);
      };
      const mapsToRun: Array<[FormatKind, 'all' | 'binary']> = opts.claims
        ? encodings.flatMap((e) =>
            (['all', 'binary'] as const).map((w): [FormatKind, 'all' | 'binary'] => [e, w]),
          )
        : [[ENCODINGS[opts.encoding], opts.weights]];
      /** The fraction of the estimated work not in the cache (1 without a cache). */
      let uncached = 0;
      let allWork = 0;
      for (const [encoding, weights] of mapsToRun) {
        const cache = cacheOf(encoding, weights);
        for (const format of mapFormats(maxBits, encoding)) {
          const bits = parseFormat(format).bits;
          for (const activation of BUILTIN_ACTIVATIONS) {
            const w = mapBitsSeconds(bits) / (bits * BUILTIN_ACTIVATIONS.length);
            allWork += w;
            if (!cache?.has(activation, format, weights, opts.accumulation)) uncached += w;
          }
        }
      }
      const threads = workers ?? availableParallelism();
      const on = ` on ${threads} thread${threads === 1 ? '' : 's'}`;
      const perMap = BUILTIN_ACTIVATIONS.length * mapFormats(maxBits, encodings[0]).length;
      const estimate = (mapCount * mapEstimateSeconds(maxBits, threads) * uncached) / allWork;
      const what = `--max-bits ${maxBits} is ${mapCount * perMap} cells (${mapCount > 1 ? `${mapCount} maps of ` : ''}${BUILTIN_ACTIVATIONS.length} activations × every format of 3 to ${maxBits} bits)`;
      checkBudget('reproduce', what, estimate, opts.force, on);
      if (estimate >= PROGRESS_SECONDS)
        process.stderr.write(
          `reproduce: ${mapCount * perMap} cells, about ${formatDuration(estimate)}${on} (estimate)\n`,
        );
      /**
       * One map on worker threads, with progress in estimated work (a cell of b bits weighs its share of
       * mapBitsSeconds(b)): a bar on a terminal, a line per tenth otherwise.
       */
      const runMap = async (encoding: FormatKind, weights: 'all' | 'binary') => {
        const label = mapCount > 1 ? `reproduce ${encoding} ${weights}` : 'reproduce';
        const work = mapEstimateSeconds(maxBits, 1);
        let doneCells = 0;
        let doneWork = 0;
        const cache = cacheOf(encoding, weights);
        const hitsBefore = cache?.hits ?? 0;
        const progress = startProgress(label, Math.round(work * 1000), 'ms of estimated work', {
          estimatedSeconds: estimate / mapCount,
          count: (done) =>
            `${Math.min(100, Math.floor(done / (10 * work)))}% of the estimated work, ${doneCells}/${perMap} cells`,
        });
        let saved = performance.now();
        const cells = await expressivityMapParallel(
          maxBits,
          weights,
          (done, _total, cell) => {
            doneCells = done;
            // cells are cached as they come (saved every 30 s), so an interrupted run keeps its work
            if (cache && cacheable(cell)) {
              cache.set(cell, opts.accumulation);
              if (performance.now() - saved > 30_000) {
                cache.save();
                saved = performance.now();
              }
            }
            const bits = parseFormat(cell.format).bits;
            doneWork += mapBitsSeconds(bits) / (bits * BUILTIN_ACTIVATIONS.length);
            progress.update(Math.min(Math.round(doneWork * 1000), Math.round(work * 1000) - 1));
          },
          workers,
          {
            encoding,
            accumulation: opts.accumulation,
            cached:
              cache && ((activation, format) => cache.get(activation, format, weights, opts.accumulation)),
          },
        );
        progress.stop();
        if (cache) {
          for (const cell of cells) if (cacheable(cell)) cache.set(cell, opts.accumulation);
          cache.save();
        }
        total += cells.length;
        decided += cells.length - ((cache?.hits ?? 0) - hitsBefore);
        return cells;
      };
      const t0 = performance.now();
      /** Cells decided in this run (the others were read from the cache). */
      let decided = 0;
      let total = 0;
      const cacheNote = () =>
        cacheDir === undefined ? '' : `; ${decided} decided, ${total - decided} from the cache ${cacheDir}`;
      if (opts.claims) {
        // Q and SQ, all and binary weights (one encoding when --encoding is given)
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
            `${claimsText(claims)}\n\n(maps ${maps.map(mapLabel).join(', ')}, formats of 3–${maxBits} bits: ${cells} cells in ${seconds} s${cacheNote()})`,
          );
        return;
      }
      const cells = await runMap(ENCODINGS[opts.encoding], opts.weights);
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      if (svgFile)
        writeOutputFile(
          svgFile,
          mapSvg(
            cells,
            `fxnn reproduce: ${ENCODINGS[opts.encoding]} formats of 3–${maxBits} bits, ${opts.weights} weights, ${opts.accumulation} accumulation`,
          ),
        );
      if (opts.json) console.log(toJson({ cells }));
      else if (opts.csv) console.log(mapCsv(cells));
      else console.log(`${mapMarkdown(cells)}\n\n(${cells.length} cells in ${seconds} s${cacheNote()})`);
      if (cacheDir !== undefined && (opts.json || opts.csv))
        process.stderr.write(`reproduce: ${cells.length} cells in ${seconds} s${cacheNote()}\n`);
    });
}
