/**
 * Every distinct cell of `fxnn check` on small formats (issue 12 item 1: "every format … every mode";
 * docs/theory.md §10.6, "Every cell of 3 to 5 bits"). The random samples of `bench/combos.bench.ts --random`
 * bound the share of undetermined cells; this scan lists them all on the widths it covers:
 *
 *   every Qm.n, SQm.n (m + n + 1 = W) and UQm.n (m + n = W) of each width W in `--bits`
 *     × every overflow `check` takes for it (saturate, wrap, error; no wrap on SQ)
 *     × 14 built-ins × 8 roundings × weights (all, binary) × accumulation × bias order.
 *
 * The ap_fixed/ap_ufixed/ap_int/ap_uint spellings name the same configurations as their Qm.n twins (the
 * random samples exercise them through the CLI), so they are not repeated here. The cells run in this one
 * process through `decide` (no process per cell: a 5-bit cell takes about 60 ms), so the time per cell is
 * the verdict's own time without Node's start-up, and the peak memory of one cell is not isolated (the
 * heap after it and the process's peak are recorded): the bar's 10 s / 1 GB per process is measured by
 * `bench/combos.bench.ts`. One JSON line per cell goes to `--out`
 * (default bench/small-cells.jsonl; appended, and cells already there are skipped, so a run resumes;
 * `--redo` runs again the cells whose verdict was `undetermined`, the new line wins). Each line records the
 * wall and CPU milliseconds of `decide`, the heap in use after it and the process's peak resident set so
 * far. Full enumeration takes widths up to 8 bits; `--sample N --seed S` draws N cells uniformly from the
 * cells of the widths given, up to 16 bits (issue 12 item 1: "every format up to 16 bits"). The summary prints
 * counts per width and overflow, the slowest cell, and every undetermined cell grouped by (activation,
 * format, overflow, weights) with its roundings, accumulations and bias orders. Usage:
 *   npx tsx bench/small-cells.bench.ts [--bits 3,4,5] [--out bench/small-cells.jsonl] [--redo] [--summary]
 *   npx tsx bench/small-cells.bench.ts --bits 9,10,11,12 --sample 600 --seed 11 --out bench/small-cells-9-12.jsonl
 * `--formats RE` keeps the formats whose name matches RE whole (the sample is drawn from those cells only).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BUILTIN_NAMES } from '../src/activations/builtin-activations.js';
import { ROUNDING_MODES } from '../src/core/rounding.js';
import { makeConfiguration } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { mulberry32 } from '../src/prng.js';

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        bits: { type: 'string', default: '3,4,5' },
        out: { type: 'string', default: 'bench/small-cells.jsonl' },
        redo: { type: 'boolean', default: false },
        summary: { type: 'boolean', default: false },
        sample: { type: 'string' },
        formats: { type: 'string' },
        seed: { type: 'string', default: '1' },
      },
    });
  } catch (e) {
    console.error(`error: ${(e as Error).message.split('\n')[0]}`);
    process.exit(2);
  }
})();
const widths = values.bits.split(',').map(Number);
const sample = values.sample === undefined ? null : Number(values.sample);
/** Every cell of a width is enumerated up to 8 bits; 9 to 16 bits only through `--sample` (131 formats × 14 × 8 × 8 per width). */
const MAX_FULL_BITS = 8;
const MAX_SAMPLE_BITS = 16;
for (const w of widths) {
  if (!Number.isInteger(w) || w < 2 || w > MAX_SAMPLE_BITS) {
    const range = sample === null ? `2 to ${MAX_FULL_BITS}` : `2 to ${MAX_SAMPLE_BITS} with --sample`;
    console.error(`error: --bits takes widths from ${range} (comma-separated), not ${values.bits}`);
    process.exit(2);
  }
  if (w > MAX_FULL_BITS && sample === null) {
    console.error(
      `error: --bits takes widths from 2 to ${MAX_FULL_BITS} (comma-separated), not ${values.bits}`,
    );
    process.exit(2);
  }
}
const seed = Number(values.seed);
if (sample !== null && !(Number.isInteger(sample) && sample > 0 && sample <= 1e6)) {
  console.error(`error: --sample takes a number of cells from 1 to 1000000, not ${values.sample}`);
  process.exit(2);
}
/** `--formats RE`: only the formats whose name matches RE whole (e.g. `SQ\\d+\\.[01]`), to aim a sample at a class. */
const only = (() => {
  if (values.formats === undefined) return null;
  try {
    return new RegExp(`^(?:${values.formats})$`);
  } catch {
    console.error(`error: --formats takes a regular expression over format names, not ${values.formats}`);
    process.exit(2);
  }
})();
if (!Number.isInteger(seed)) {
  console.error(`error: --seed takes an integer, not ${values.seed}`);
  process.exit(2);
}

interface Cell {
  activation: string;
  format: string;
  rounding: string;
  overflow: string;
  weights: string;
  accumulation: string;
  bias: string;
}
interface Row extends Cell {
  bits: number;
  verdict: string;
  /** Wall-clock time of `decide`. */
  ms: number;
  /** CPU time (user + system) of `decide`; absent on the rows of older runs. */
  cpuMs?: number;
  /** V8 heap in use right after the cell, before any collection (MB): a floor of the cell's peak heap. */
  heapMB?: number;
  /** The process's peak resident set so far (MB): a cell that raises it set the new peak. */
  maxRssMB?: number;
  reason?: string;
}

function cellsOf(w: number): Cell[] {
  const pairs: Array<[string, string]> = [];
  for (let m = 0; m <= w - 1; m++) {
    for (const o of ['saturate', 'wrap', 'error']) pairs.push([`Q${m}.${w - 1 - m}`, o]);
    for (const o of ['saturate', 'error']) pairs.push([`SQ${m}.${w - 1 - m}`, o]);
  }
  for (let m = 0; m <= w; m++)
    for (const o of ['saturate', 'wrap', 'error']) pairs.push([`UQ${m}.${w - m}`, o]);
  const out: Cell[] = [];
  for (const [format, overflow] of pairs.filter(([f]) => only === null || only.test(f)))
    for (const activation of BUILTIN_NAMES)
      for (const rounding of ROUNDING_MODES)
        for (const weights of ['all', 'binary'])
          for (const accumulation of ['sequential', 'exact'])
            for (const bias of ['last', 'first'])
              out.push({ activation, format, rounding, overflow, weights, accumulation, bias });
  return out;
}

const key = (c: Cell) =>
  [c.activation, c.format, c.rounding, c.overflow, c.weights, c.accumulation, c.bias].join(' ');
const last = new Map<string, Row>();
if (existsSync(values.out)) {
  for (const line of readFileSync(values.out, 'utf8').split('\n')) {
    if (line.trim()) {
      const r = JSON.parse(line) as Row;
      last.set(key(r), r);
    }
  }
}

/** The cells to run per width: all of them, or the draws of `--sample` grouped by width. */
function plan(): Array<[number, Cell[]]> {
  if (sample === null) return widths.map((w) => [w, cellsOf(w)]);
  const all = widths.flatMap((w) => cellsOf(w).map((c) => [w, c] as [number, Cell]));
  const next = mulberry32(seed);
  const drawn = Array.from({ length: sample }, () => all[Math.floor(next() * all.length)] as [number, Cell]);
  return widths.map((w) => [w, drawn.filter(([v]) => v === w).map(([, c]) => c)]);
}

if (!values.summary) {
  for (const [w, planned] of plan()) {
    const cells = planned.filter((c) => {
      const r = last.get(key(c));
      return !r || (values.redo && r.verdict === 'undetermined');
    });
    const t0 = performance.now();
    let done = 0;
    for (const c of cells) {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const v = decide(makeConfiguration(c));
      const ms = Math.round(performance.now() - t);
      const used = process.cpuUsage(cpu);
      const row: Row = {
        ...c,
        bits: w,
        verdict: v.verdict,
        ms,
        cpuMs: Math.round((used.user + used.system) / 1000),
        heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
        maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      };
      if (v.verdict === 'undetermined') row.reason = v.reason.slice(0, 400);
      appendFileSync(values.out, `${JSON.stringify(row)}\n`);
      last.set(key(c), row);
      done++;
      if (done % (w > MAX_FULL_BITS ? 25 : 500) === 0 || done === cells.length) {
        const s = (performance.now() - t0) / 1000;
        process.stderr.write(
          `${w} bits: ${done}/${cells.length} cells, ${s.toFixed(0)} s, about ${((s / done) * (cells.length - done)).toFixed(0)} s left\n`,
        );
      }
    }
  }
}

const rows = [...last.values()].filter(
  (r) => widths.includes(r.bits) && (only === null || only.test(r.format)),
);
if (sample !== null) console.log(`a uniform sample (seed ${seed}) of the cells of ${widths.join(', ')} bits`);
const mark: Record<string, string> = {
  universal: '✓',
  'not-universal': '✗',
  undetermined: '?',
  'not-applicable': 'n/a',
};
const tally = (rs: Row[]) =>
  Object.entries(mark)
    .map(([v, m]) => `${rs.filter((r) => r.verdict === v).length} ${m}`)
    .join(' ');
console.log(`| width | overflow | cells | ${Object.values(mark).join(' | ')} | slowest (ms) |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const w of widths) {
  for (const o of ['saturate', 'wrap', 'error']) {
    const rs = rows.filter((r) => r.bits === w && r.overflow === o);
    const counts = Object.keys(mark).map((v) => rs.filter((r) => r.verdict === v).length);
    console.log(
      `| ${w} | ${o} | ${rs.length} | ${counts.join(' | ')} | ${Math.max(0, ...rs.map((r) => r.ms))} |`,
    );
  }
}
console.log(`all: ${rows.length} cells, ${tally(rows)}`);
const slowest = rows.reduce<Row | null>((a, r) => (a && a.ms >= r.ms ? a : r), null);
if (slowest) console.log(`slowest: ${key(slowest)}: ${slowest.ms} ms`);
const timed = rows.filter((r) => r.cpuMs !== undefined).sort((a, b) => (b.cpuMs ?? 0) - (a.cpuMs ?? 0));
if (timed.length > 0) {
  const slow = timed.filter((r) => (r.cpuMs ?? 0) > 10_000);
  const peak = Math.max(...timed.map((r) => r.maxRssMB ?? 0));
  console.log(
    `CPU time per cell (${timed.length} timed): median ${timed[timed.length >> 1]?.cpuMs} ms, ${slow.length} over 10 s; peak resident ${peak} MB`,
  );
  for (const r of timed.slice(0, 5))
    console.log(`  ${key(r)}: ${r.cpuMs} ms CPU, ${r.ms} ms wall, ${r.verdict}, heap ${r.heapMB} MB after`);
}
const groups = new Map<string, Row[]>();
for (const r of rows.filter((r) => r.verdict === 'undetermined')) {
  const g = `${r.activation} ${r.format} ${r.overflow} ${r.weights}`;
  groups.set(g, [...(groups.get(g) ?? []), r]);
}
for (const [g, rs] of groups) {
  console.log(`? ${g}: ${rs.map((r) => `${r.rounding}/${r.accumulation}/${r.bias}`).join(', ')}`);
  console.log(`    ${rs[0]?.reason?.slice(0, 200)}`);
}
