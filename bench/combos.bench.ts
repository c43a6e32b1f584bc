/**
 * Issue 12 item 1 across the modes: `fxnn check` on 16-bit formats for every built-in × every rounding mode ×
 * every overflow mode the expressivity engine accepts (saturate, wrap, error; `check` rejects the others
 * with one line), with the accumulation, bias order and weight set rotated. The full product (14 × 8 × 3 ×
 * 2 × 2 × 2 × formats) is too large to run, so this is a covering design (docs/theory.md §10.6):
 *
 * - every (activation, rounding, overflow) triple is run in `--passes` cells (default 2), one per pass;
 * - pass i runs the triple (a, r, o) with the combination c = (a + r + 2·o + 4·i) mod 8 of
 *   (weights = bit 2, accumulation = bit 0, bias = bit 1), so for each (activation, overflow) the eight
 *   roundings meet all eight combinations in every pass, and the two passes give every triple both weight
 *   sets;
 * - the format is the (a + 3·r + 5·i)-th (cyclically) of those that take the overflow: Q7.8, Q3.12, Q0.15,
 *   SQ7.8 (no wrap), UQ8.8 and ap_fixed<16,6> (with --rounding/--overflow given explicitly), skipping
 *   the cells another helper owns (sigmoid and softplus on Q3.12, softplus on Q0.15) and, for binary weights,
 *   the formats where ±1 are not values (Q0.15, UQ8.8: `not-applicable`).
 *
 * `--random N --seed S` (seed default 1) runs instead the first N cells drawn uniformly from the FULL product
 * (bench/random-cells.ts: every Q, SQ, UQ, ap_fixed, ap_ufixed, ap_int, ap_uint spelling of 3 to 16 bits
 * with every valid integer/fraction split × every overflow `check` takes for it × 14 × 8 roundings × weights
 * × accumulation × bias; docs/theory.md §10.6), into bench/combos-random.jsonl unless `--out` is given; the
 * draws of a seed are a prefix of any longer run, so `--random 100` then `--random 400` runs 300 more.
 * `--list` prints the cells' commands and runs nothing.
 *
 * Each cell runs in a fresh process under /usr/bin/time (wall time, user + system CPU time, peak resident
 * memory) with a hard timeout; one JSON line per cell goes to `--out` (appended; cells already there are
 * skipped, so a run can
 * be resumed; `--redo` runs again the cells whose verdict was not decided, e.g. after an engine change;
 * `--redo-slow S` runs again the cells whose last measured time exceeds S seconds, to re-measure them; the
 * new line is appended and the summary reads the last line of each cell). At the end it prints counts per
 * group (format or, for random cells, kind and width; overflow, weights, rounding, accumulation and bias,
 * activation: ✓, ✗, ?, n/a, err = an exit without a verdict), the slowest cell, the largest peak memory, and
 * every cell that is ?, err, above 10 s or above 1 GB with its command. Needs a build
 * (`npm run build`) and GNU time. Usage:
 *   npx tsx bench/combos.bench.ts [--passes 0,1] [--out bench/combos-16.jsonl] [--timeout 120] [--summary]
 *     [--redo] [--redo-slow S] [--formats 16|wide] [--activations a,b,…]
 *   npx tsx bench/combos.bench.ts --random 400 --seed 1 [--out bench/combos-random.jsonl] [--summary] [--list]
 *
 * `--formats wide` (issue 12 item 3, docs/theory.md §9.5 "Every mode above 16 bits") runs the same design
 * on 24- and 32-bit formats, where every verdict comes from the analytic lemmas: ap_fixed<24,8> and
 * ap_fixed<32,16> (their modes given explicitly), SQ7.16, SQ15.16, UQ16.16 and Q3.20 (20 fraction bits),
 * with the bar's 11 activations (relu, sigmoid, tanh, silu, gelu, elu, softplus, mish, leaky-relu,
 * hard-swish, identity) unless `--activations` says otherwise; default output bench/combos-wide.jsonl.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BUILTIN_NAMES } from '../src/activations/builtin-activations.js';
import { ROUNDING_MODES } from '../src/core/rounding.js';
import { cellCommand, randomCells } from './random-cells.js';

const parsed = (() => {
  try {
    return parseArgs({
      options: {
        passes: { type: 'string', default: '0,1' },
        out: { type: 'string' },
        random: { type: 'string' },
        seed: { type: 'string', default: '1' },
        list: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '120' },
        summary: { type: 'boolean', default: false },
        redo: { type: 'boolean', default: false },
        'redo-slow': { type: 'string' },
        activations: { type: 'string' },
        formats: { type: 'string', default: '16' },
      },
    });
  } catch (e) {
    console.error(`error: ${(e as Error).message.split('\n')[0]}`);
    process.exit(2);
  }
})();
const { values } = parsed;
if (values.formats !== '16' && values.formats !== 'wide') {
  console.error(`error: --formats must be 16 or wide, not ${values.formats}`);
  process.exit(2);
}
const wide = values.formats === 'wide';

const ACTIVATIONS = BUILTIN_NAMES;
const ROUNDINGS = ROUNDING_MODES;
const OVERFLOWS = ['saturate', 'wrap', 'error'];
const FORMATS: Record<string, string[]> = wide
  ? {
      saturate: ['ap_fixed<24,8>', 'ap_fixed<32,16>', 'SQ7.16', 'UQ16.16', 'Q3.20', 'SQ15.16'],
      wrap: ['ap_fixed<24,8>', 'ap_fixed<32,16>', 'UQ16.16', 'Q3.20'],
      error: ['ap_fixed<24,8>', 'ap_fixed<32,16>', 'SQ7.16', 'UQ16.16', 'Q3.20', 'SQ15.16'],
    }
  : {
      saturate: ['Q7.8', 'Q3.12', 'Q0.15', 'SQ7.8', 'UQ8.8', 'ap_fixed<16,6>'],
      wrap: ['Q7.8', 'Q3.12', 'Q0.15', 'UQ8.8', 'ap_fixed<16,6>'],
      error: ['Q7.8', 'Q3.12', 'Q0.15', 'SQ7.8', 'UQ8.8', 'ap_fixed<16,6>'],
    };
/** The bar's activations (issue 12), the default of `--formats wide`. */
const BAR = [
  'relu',
  'sigmoid',
  'tanh',
  'silu',
  'gelu',
  'elu',
  'softplus',
  'mish',
  'leaky-relu',
  'hard-swish',
  'identity',
];
/** Cells owned by another helper (softplus16): sigmoid/softplus on Q3.12, softplus on Q0.n. */
const excluded = (activation: string, format: string) =>
  (format === 'Q3.12' && (activation === 'sigmoid' || activation === 'softplus')) ||
  (format === 'Q0.15' && activation === 'softplus');
/** Formats where ±1 are not both values (binary weights are `not-applicable` there). */
const noUnitPair = (format: string) => ['Q0.15', 'UQ8.8', 'UQ16.16'].includes(format);

interface Cell {
  pass?: number;
  draw?: number;
  seed?: number;
  kind?: string;
  bits?: number;
  activation: string;
  format: string;
  rounding: string;
  overflow: string;
  weights: string;
  accumulation: string;
  bias: string;
}
const key = (c: Cell) =>
  [c.activation, c.format, c.rounding, c.overflow, c.weights, c.accumulation, c.bias].join(' ');

const wholeNumber = (name: string, text: string | undefined, least: number) => {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < least) {
    console.error(`error: --${name} must be a whole number ≥ ${least}, not ${text}`);
    process.exit(2);
  }
  return n;
};
const random = values.random === undefined ? undefined : wholeNumber('random', values.random, 1);
const seed = wholeNumber('seed', values.seed, 0);
const outFile =
  values.out ??
  (random !== undefined
    ? 'bench/combos-random.jsonl'
    : wide
      ? 'bench/combos-wide.jsonl'
      : 'bench/combos-16.jsonl');

const cells: Cell[] = [];
const only = values.activations?.split(',') ?? (wide ? BAR : undefined);
if (random !== undefined) {
  const seen = new Set<string>();
  for (const cell of randomCells(random, seed))
    if ((!only || only.includes(cell.activation)) && !seen.has(key(cell))) {
      seen.add(key(cell));
      cells.push(cell);
    }
}
for (const pass of random === undefined ? values.passes.split(',').map(Number) : [])
  for (const [a, activation] of ACTIVATIONS.entries()) {
    if (only && !only.includes(activation)) continue;
    for (const [r, rounding] of ROUNDINGS.entries())
      for (const [o, overflow] of OVERFLOWS.entries()) {
        const c = (a + r + 2 * o + 4 * pass) % 8;
        const formats = FORMATS[overflow] ?? [];
        let f = (a + 3 * r + 5 * pass) % formats.length;
        const weights = c & 4 ? 'binary' : 'all';
        // binary weights need ±1 as values: not on Q0.15 nor UQ8.8 (not-applicable there), so the next format
        while (
          excluded(activation, formats[f] ?? '') ||
          (weights === 'binary' && noUnitPair(formats[f] ?? ''))
        )
          f = (f + 1) % formats.length;
        cells.push({
          pass,
          activation,
          format: formats[f] ?? '',
          rounding,
          overflow,
          weights,
          accumulation: c & 1 ? 'exact' : 'sequential',
          bias: c & 2 ? 'first' : 'last',
        });
      }
  }

interface Result extends Cell {
  verdict: string;
  seconds: number;
  /** user + system CPU seconds (absent in lines written before it was measured) */
  cpu?: number;
  kb: number;
  reason?: string;
}
const done = new Map<string, Result>();
if (existsSync(outFile))
  for (const line of readFileSync(outFile, 'utf8').split('\n'))
    if (line.trim()) {
      const r = JSON.parse(line) as Result;
      done.set(key(r), r);
    }

const redoSlow = values['redo-slow'] === undefined ? Number.POSITIVE_INFINITY : Number(values['redo-slow']);
if (!(redoSlow >= 0)) {
  console.error(`error: --redo-slow must be a number of seconds ≥ 0, not ${values['redo-slow']}`);
  process.exit(2);
}

if (values.list) {
  for (const cell of cells) console.log(cellCommand(cell));
  process.exit(0);
}

if (!values.summary) {
  let i = 0;
  for (const cell of cells) {
    i++;
    const before = done.get(key(cell));
    const decided = before && ['universal', 'not-universal', 'not-applicable'].includes(before.verdict);
    const slow = before !== undefined && before.seconds > redoSlow;
    if (before && !slow && (decided || !values.redo)) continue;
    const args = ['-f', '%e %U %S %M', 'node', 'bin/fxnn.js', 'check', '--activation', cell.activation];
    args.push('--format', cell.format, '--rounding', cell.rounding, '--overflow', cell.overflow);
    args.push('--weights', cell.weights, '--accumulation', cell.accumulation, '--bias', cell.bias, '--json');
    const t0 = Date.now();
    const p = spawnSync('/usr/bin/time', args, {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      timeout: Number(values.timeout) * 1000,
      killSignal: 'SIGKILL',
    });
    const m = /([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(p.stderr ?? '');
    const seconds = m ? Number(m[1]) : (Date.now() - t0) / 1000;
    // user + system CPU seconds: the wall time on a loaded machine is inflated, the CPU time much less
    const cpu = m ? Math.round((Number(m[2]) + Number(m[3])) * 100) / 100 : Number.NaN;
    const kb = m ? Number(m[4]) : Number.NaN;
    let verdict = p.signal ? `killed ${p.signal}` : `exit ${p.status}`;
    let reason: string | undefined;
    try {
      const out = JSON.parse(p.stdout);
      verdict = out.verdict;
      if (verdict !== 'universal') reason = String(out.reason).slice(0, 400);
    } catch {
      reason = (p.stderr ?? '').split('\n').find((l) => l.startsWith('error')) ?? '';
    }
    const result: Result = { ...cell, verdict, seconds, cpu, kb, reason };
    done.set(key(cell), result);
    appendFileSync(outFile, `${JSON.stringify(result)}\n`);
    console.log(
      `${i}/${cells.length} ${key(cell)}: ${verdict} ${seconds.toFixed(1)} s (${cpu} s CPU) ${(kb / 1024).toFixed(0)} MB`,
    );
  }
}

const results = cells.map((c) => done.get(key(c))).filter((r): r is Result => r !== undefined);
const mark = (v: string) =>
  v === 'universal'
    ? '✓'
    : v === 'not-universal'
      ? '✗'
      : v === 'not-applicable'
        ? 'n/a'
        : v === 'undetermined'
          ? '?'
          : 'err';
const tally = (rs: Result[]) => {
  const n = { '✓': 0, '✗': 0, '?': 0, 'n/a': 0, err: 0 };
  for (const r of rs) n[mark(r.verdict)]++;
  const slow = rs.filter((r) => r.seconds > 10).length;
  const big = rs.filter((r) => r.kb > 1024 * 1024).length;
  const times = rs.map((r) => r.seconds).sort((x, y) => x - y);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  const maxT = Math.max(...times);
  const maxMB = Math.max(...rs.map((r) => r.kb)) / 1024;
  const cpus = rs.map((r) => r.cpu).filter((c): c is number => c !== undefined && !Number.isNaN(c));
  const maxCpu = cpus.length > 0 ? Math.max(...cpus).toFixed(1) : '–';
  return `| ${rs.length} | ${n['✓']} | ${n['✗']} | ${n['?']} | ${n['n/a']} | ${n.err} | ${median.toFixed(1)} | ${maxT.toFixed(1)} | ${maxCpu} | ${slow} | ${maxMB.toFixed(0)} | ${big} |`;
};
console.log(
  '\n| group | cells | ✓ | ✗ | ? | n/a | err | median time (s) | max time (s) | max CPU (s) | cells > 10 s | max peak RSS (MB) | cells > 1 GB |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const width = (bits: number | undefined) =>
  bits === undefined ? '?' : bits <= 8 ? '3–8 bits' : bits <= 12 ? '9–12 bits' : '13–16 bits';
const groups: Array<[string, (r: Result) => string]> =
  random === undefined
    ? [
        ['format, overflow', (r) => `${r.format}, ${r.overflow}`],
        ['overflow', (r) => r.overflow],
        ['format', (r) => r.format],
      ]
    : [
        ['kind, overflow', (r) => `${r.kind}, ${r.overflow}`],
        ['width', (r) => width(r.bits)],
        ['kind', (r) => r.kind ?? '?'],
        ['overflow', (r) => r.overflow],
      ];
groups.push(
  ['weights', (r) => r.weights],
  ['rounding', (r) => r.rounding],
  ['accumulation, bias', (r) => `${r.accumulation}, ${r.bias}`],
  ['activation', (r) => r.activation],
);
for (const [name, by] of groups)
  for (const g of [...new Set(results.map(by))].sort())
    console.log(`| ${name} ${g} ${tally(results.filter((r) => by(r) === g))}`);
console.log(`| all ${tally(results)}`);
const slowest = results.reduce((x, y) => (y.seconds > x.seconds ? y : x), results[0] as Result);
const biggest = results.reduce((x, y) => (y.kb > x.kb ? y : x), results[0] as Result);
if (slowest) console.log(`slowest: ${key(slowest)}: ${slowest.seconds} s`);
if (biggest) console.log(`largest: ${key(biggest)}: ${(biggest.kb / 1024).toFixed(0)} MB`);
for (const r of results.filter(
  (x) => ['?', 'err'].includes(mark(x.verdict)) || x.seconds > 10 || x.kb > 1024 * 1024,
))
  console.log(
    `${mark(r.verdict)} ${key(r)} (${r.seconds} s, ${r.cpu ?? '–'} s CPU, ${(r.kb / 1024).toFixed(0)} MB): ${r.reason ?? ''}\n    ${cellCommand(r)}`,
  );
