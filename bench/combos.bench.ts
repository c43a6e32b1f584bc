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
 * Each cell runs in a fresh process under /usr/bin/time (wall time, peak resident memory) with a hard
 * timeout; one JSON line per cell goes to `--out` (appended; cells already there are skipped, so a run can
 * be resumed; `--redo` runs again the cells whose verdict was not decided, e.g. after an engine change;
 * `--redo-slow S` runs again the cells whose last measured time exceeds S seconds, to re-measure them; the
 * new line is appended and the summary reads the last line of each cell). At the end it prints counts per
 * pass, per format and per overflow, the slowest cell and the largest peak memory. Needs a build
 * (`npm run build`) and GNU time. Usage:
 *   npx tsx bench/combos.bench.ts [--passes 0,1] [--out bench/combos-16.jsonl] [--timeout 120] [--summary]
 *     [--redo] [--redo-slow S] [--formats 16|wide] [--activations a,b,…]
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

const { values } = parseArgs({
  options: {
    passes: { type: 'string', default: '0,1' },
    out: { type: 'string', default: 'bench/combos-16.jsonl' },
    timeout: { type: 'string', default: '120' },
    summary: { type: 'boolean', default: false },
    redo: { type: 'boolean', default: false },
    'redo-slow': { type: 'string' },
    activations: { type: 'string' },
    formats: { type: 'string', default: '16' },
  },
});
if (values.formats !== '16' && values.formats !== 'wide') {
  console.error(`error: --formats must be 16 or wide, not ${values.formats}`);
  process.exit(2);
}
const wide = values.formats === 'wide';
if (wide && values.out === 'bench/combos-16.jsonl') values.out = 'bench/combos-wide.jsonl';

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
  pass: number;
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

const cells: Cell[] = [];
const only = values.activations?.split(',') ?? (wide ? BAR : undefined);
for (const pass of values.passes.split(',').map(Number))
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
  kb: number;
  reason?: string;
}
const done = new Map<string, Result>();
if (existsSync(values.out))
  for (const line of readFileSync(values.out, 'utf8').split('\n'))
    if (line.trim()) {
      const r = JSON.parse(line) as Result;
      done.set(key(r), r);
    }

const redoSlow = values['redo-slow'] === undefined ? Number.POSITIVE_INFINITY : Number(values['redo-slow']);
if (!(redoSlow >= 0)) {
  console.error(`error: --redo-slow must be a number of seconds ≥ 0, not ${values['redo-slow']}`);
  process.exit(2);
}

if (!values.summary) {
  let i = 0;
  for (const cell of cells) {
    i++;
    const before = done.get(key(cell));
    const decided = before && ['universal', 'not-universal', 'not-applicable'].includes(before.verdict);
    const slow = before !== undefined && before.seconds > redoSlow;
    if (before && !slow && (decided || !values.redo)) continue;
    const args = ['-f', '%e %M', 'node', 'bin/fxnn.js', 'check', '--activation', cell.activation];
    args.push('--format', cell.format, '--rounding', cell.rounding, '--overflow', cell.overflow);
    args.push('--weights', cell.weights, '--accumulation', cell.accumulation, '--bias', cell.bias, '--json');
    const t0 = Date.now();
    const p = spawnSync('/usr/bin/time', args, {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      timeout: Number(values.timeout) * 1000,
      killSignal: 'SIGKILL',
    });
    const m = /([\d.]+) (\d+)\s*$/.exec(p.stderr ?? '');
    const seconds = m ? Number(m[1]) : (Date.now() - t0) / 1000;
    const kb = m ? Number(m[2]) : Number.NaN;
    let verdict = p.signal ? `killed ${p.signal}` : `exit ${p.status}`;
    let reason: string | undefined;
    try {
      const out = JSON.parse(p.stdout);
      verdict = out.verdict;
      if (verdict !== 'universal') reason = String(out.reason).slice(0, 400);
    } catch {
      reason = (p.stderr ?? '').split('\n').find((l) => l.startsWith('error')) ?? '';
    }
    const result: Result = { ...cell, verdict, seconds, kb, reason };
    done.set(key(cell), result);
    appendFileSync(values.out, `${JSON.stringify(result)}\n`);
    console.log(
      `${i}/${cells.length} ${key(cell)}: ${verdict} ${seconds.toFixed(1)} s ${(kb / 1024).toFixed(0)} MB`,
    );
  }
}

const results = cells.map((c) => done.get(key(c))).filter((r): r is Result => r !== undefined);
const mark = (v: string) =>
  v === 'universal' ? '✓' : v === 'not-universal' ? '✗' : v === 'not-applicable' ? 'n/a' : '?';
const tally = (rs: Result[]) => {
  const n = { '✓': 0, '✗': 0, '?': 0, 'n/a': 0 };
  for (const r of rs) n[mark(r.verdict)]++;
  const slow = rs.filter((r) => r.seconds > 10).length;
  const times = rs.map((r) => r.seconds).sort((x, y) => x - y);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  const maxT = Math.max(...times);
  const maxMB = Math.max(...rs.map((r) => r.kb)) / 1024;
  return `| ${rs.length} | ${n['✓']} | ${n['✗']} | ${n['?']} | ${n['n/a']} | ${median.toFixed(1)} | ${maxT.toFixed(1)} | ${slow} | ${maxMB.toFixed(0)} |`;
};
console.log(
  '\n| group | cells | ✓ | ✗ | ? | n/a | median time (s) | max time (s) | cells > 10 s | max peak RSS (MB) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const groups: Array<[string, (r: Result) => string]> = [
  ['format, overflow', (r) => `${r.format}, ${r.overflow}`],
  ['overflow', (r) => r.overflow],
  ['format', (r) => r.format],
  ['weights', (r) => r.weights],
  ['rounding', (r) => r.rounding],
  ['accumulation, bias', (r) => `${r.accumulation}, ${r.bias}`],
  ['activation', (r) => r.activation],
];
for (const [name, by] of groups)
  for (const g of [...new Set(results.map(by))].sort())
    console.log(`| ${name} ${g} ${tally(results.filter((r) => by(r) === g))}`);
console.log(`| all ${tally(results)}`);
const slowest = results.reduce((x, y) => (y.seconds > x.seconds ? y : x), results[0] as Result);
const biggest = results.reduce((x, y) => (y.kb > x.kb ? y : x), results[0] as Result);
if (slowest) console.log(`slowest: ${key(slowest)}: ${slowest.seconds} s`);
if (biggest) console.log(`largest: ${key(biggest)}: ${(biggest.kb / 1024).toFixed(0)} MB`);
for (const r of results.filter((x) => mark(x.verdict) === '?' || x.seconds > 10))
  console.log(`${mark(r.verdict)} ${key(r)} (${r.seconds} s): ${r.reason ?? ''}`);
