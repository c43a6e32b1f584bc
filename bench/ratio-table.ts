/**
 * The ratio table of issue 13: size ratio (parameters / |𝕀|^d) of the network `construct` picks for
 * random tables (seeds 1–N, mulberry32), for every built-in activation × cell, every network verified on
 * every input by `construct` before its size is counted. Writes a JSON record (`--json`, default
 * bench/ratios.json) that `bench/ratio-report.ts` turns into the docs table and the SVG plot.
 *
 *   npx tsx bench/construct.bench.ts ratios [--table] [--seeds N] [--max-points P] [--big-seeds K]
 *       [--budget S] [--acts a,b] [--cells Q3.4:1,Q2.3:2,Q2.1:3:ceil] [--json FILE]
 *
 * --seeds N       seeds 1–N (default 10)
 * --max-points P  skip the cells with more than P points (default: none skipped)
 * --big-seeds K   at most K seeds on the cells with more than 4096 points (default N)
 * --budget S      per (cell, activation): no further seed once S seconds have passed (default none)
 * --acts, --cells the activations (default every built-in) and cells FORMAT:d[:rounding] (default the
 *                 five of issue 13: Q3.4:1, Q4.3:1, Q7.8:1, Q2.3:2, Q3.4:2)
 * --big-fallback  on cells above 4096 points, also run the seeds where neither two-level construction nor thresholds
 *                 builds (the older constructions then take tens of minutes at 65,536 points: sigmoid
 *                 and hard-sigmoid d = 1 on Q7.8); by default such a cell is "not run" with a note
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { BUILTIN_NAMES } from '../src/activations/builtin-activations.js';
import { CONSTRUCTIONS } from '../src/constructions/registry.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { construct } from '../src/expressivity/construct.js';
import { randomTable } from '../src/prng.js';

/** CPU seconds (user + system) since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

/** Whether `two-level` or `two-level-gadgets` builds a network for the table (neither asks for a certificate). */
/** The constructions whose build is about linear in the points (the others take minutes at 65,536). */
const LINEAR_CONSTRUCTIONS = new Set([
  'two-level',
  'two-level-index',
  'two-level-gadgets',
  'two-level-affine',
  'thresholds',
]);

function twoLevelBuilds(c: ReturnType<typeof makeConfiguration>, table: Int32Array, d: number): boolean {
  const target = {
    s: settingOf(c),
    table,
    d,
    get cert(): never {
      throw new Error('not asked by the two-level constructions');
    },
  };
  return CONSTRUCTIONS.some((k) => LINEAR_CONSTRUCTIONS.has(k.name) && k.plan(target) !== null);
}

/** One (cell, activation) of the table. */
export interface RatioCell {
  readonly format: string;
  readonly d: number;
  readonly rounding: string;
  readonly points: number;
  readonly activation: string;
  readonly seeds: number[];
  readonly parameters: number[];
  readonly ratios: number[];
  readonly min: number | null;
  readonly mean: number | null;
  readonly max: number | null;
  /** The constructions `construct` picked (one per seed). */
  readonly constructions: string[];
  readonly seconds: number;
  /** CPU seconds of this process (user + system) for the cell: wall time is inflated on a shared machine. */
  readonly cpuSeconds?: number;
  /** Why the cell has no network (no certificate, not applicable), or why seeds were cut. */
  readonly note: string | null;
}

export interface RatioRun {
  readonly command: string;
  readonly date: string;
  readonly load: number[];
  readonly seeds: number;
  readonly cells: RatioCell[];
}

const DEFAULT_CELLS = 'Q3.4:1,Q4.3:1,Q7.8:1,Q2.3:2,Q3.4:2';

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

function positive(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < 1)
    fail(`${flag}: expected a positive integer, got ${JSON.stringify(v ?? '')}`);
  return n;
}

/** Parses the flags (argv after `ratios`). */
export function parseRatioArgs(argv: readonly string[]) {
  const o = {
    seeds: 10,
    maxPoints: Number.POSITIVE_INFINITY,
    bigSeeds: Number.POSITIVE_INFINITY,
    budget: Number.POSITIVE_INFINITY,
    acts: [...BUILTIN_NAMES] as string[],
    cells: DEFAULT_CELLS,
    json: 'bench/ratios.json',
    bigFallback: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--table') continue;
    if (a === '--big-fallback') {
      o.bigFallback = true;
      continue;
    }
    i++;
    if (a === '--seeds') o.seeds = positive(a, v);
    else if (a === '--max-points') o.maxPoints = positive(a, v);
    else if (a === '--big-seeds') o.bigSeeds = positive(a, v);
    else if (a === '--budget') o.budget = positive(a, v);
    else if (a === '--acts') {
      o.acts = (v ?? '').split(',');
      for (const act of o.acts)
        if (!(BUILTIN_NAMES as readonly string[]).includes(act))
          fail(`--acts: unknown activation ${JSON.stringify(act)} (built-ins: ${BUILTIN_NAMES.join(', ')})`);
    } else if (a === '--cells') o.cells = v ?? '';
    else if (a === '--json') {
      if (!v) fail('--json: expected a file name');
      o.json = v;
    } else fail(`ratios: unknown option ${JSON.stringify(a)}`);
  }
  const cells = o.cells.split(',').map((cell) => {
    const [format, d, rounding] = cell.split(':');
    const dn = Number(d);
    if (!format || !Number.isInteger(dn) || dn < 1 || dn > 4)
      fail(`--cells: expected FORMAT:d[:rounding] with 1 ≤ d ≤ 4, got ${JSON.stringify(cell)}`);
    try {
      makeConfiguration({ format, activation: 'relu', ...(rounding ? { rounding } : {}) });
    } catch (e) {
      fail(`--cells: ${JSON.stringify(cell)}: ${(e as Error).message}`);
    }
    return { format, d: dn, rounding: rounding ?? 'nearest-even' };
  });
  return { ...o, cells };
}

export function runRatioTable(argv: readonly string[]): RatioRun {
  const o = parseRatioArgs(argv);
  const cells: RatioCell[] = [];
  const jobs = o.cells.flatMap((cell) => o.acts.map((activation) => ({ ...cell, activation })));
  console.log(
    `## size ratios for random tables (seeds 1–${o.seeds}: min / mean / max of parameters / |𝕀|^d; every network verified on every input)`,
  );
  const started = performance.now();
  jobs.forEach(({ format, d, rounding, activation }, j) => {
    const c = makeConfiguration({ format, activation, rounding: rounding as 'nearest-even' });
    const size = Number(c.format.size);
    const points = size ** d;
    const tag = `${format} d=${d}${rounding === 'nearest-even' ? '' : ` ${rounding}`} ${activation}`;
    const base = { format, d, rounding, points, activation };
    if (points > o.maxPoints) {
      console.error(
        `[${j + 1}/${jobs.length}] ${tag}: skipped (${points} points > --max-points ${o.maxPoints})`,
      );
      return;
    }
    const nSeeds = points > 4096 ? Math.min(o.seeds, o.bigSeeds) : o.seeds;
    const seeds: number[] = [];
    const parameters: number[] = [];
    const ratios: number[] = [];
    const constructions: string[] = [];
    let note: string | null = null;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let seed = 1; seed <= nSeeds; seed++) {
      if ((performance.now() - t0) / 1000 > o.budget) {
        note = `seeds ${seed}–${nSeeds} not run (--budget ${o.budget} s)`;
        break;
      }
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      const table = randomTable(points, Number(c.format.minCode), size, seed);
      if (points > 4096 && !o.bigFallback && !twoLevelBuilds(c, table, d)) {
        note = `not run: neither two-level construction nor thresholds builds this table (the older ones take tens of minutes at ${points} points; --big-fallback runs them)`;
        console.error(`[${j + 1}/${jobs.length}] ${tag}: ${note}`);
        break;
      }
      try {
        const r = construct(c, table, d);
        seeds.push(seed);
        parameters.push(r.size.parameters);
        ratios.push(r.ratio);
        constructions.push(r.method);
        console.error(
          `[${j + 1}/${jobs.length}] ${tag} seed ${seed}: ratio ${r.ratio.toFixed(3)} (${r.method}, ${((performance.now() - t1) / 1000).toFixed(1)} s, cpu ${cpuSince(c1).toFixed(1)} s; ${((performance.now() - started) / 1000).toFixed(0)} s in all)`,
        );
      } catch (e) {
        note = (e as Error).message;
        console.error(`[${j + 1}/${jobs.length}] ${tag}: ${note}`);
        break;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpuSeconds = cpuSince(cpu0);
    const mean = ratios.length ? ratios.reduce((a, b) => a + b, 0) / ratios.length : null;
    const cell: RatioCell = {
      ...base,
      seeds,
      parameters,
      ratios,
      min: ratios.length ? Math.min(...ratios) : null,
      mean,
      max: ratios.length ? Math.max(...ratios) : null,
      constructions,
      seconds,
      cpuSeconds,
      note,
    };
    cells.push(cell);
    console.log(
      ratios.length
        ? `${tag.padEnd(26)} ratio ${cell.min!.toFixed(3)} / ${mean!.toFixed(3)} / ${cell.max!.toFixed(3)} over ${seeds.length} seeds (lower bound |𝕀|^d = ${points} parameters; ${[...new Set(constructions)].join(', ')}; ${seconds.toFixed(1)} s, cpu ${cpuSeconds.toFixed(1)} s)${note ? `; ${note}` : ''}`
        : `${tag.padEnd(26)} no network: ${note}`,
    );
  });
  const run: RatioRun = {
    command: `npx tsx bench/construct.bench.ts ratios ${argv.join(' ')}`.trim(),
    date: new Date().toISOString(),
    load: loadavg().map((x) => Number(x.toFixed(2))),
    seeds: o.seeds,
    cells,
  };
  writeFileSync(o.json, `${JSON.stringify(run, null, 1)}\n`);
  console.log(`wrote ${o.json}`);
  return run;
}
