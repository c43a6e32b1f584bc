/**
 * `construct` on the ✓ cells of a scan file (bench/small-cells.jsonl by default; docs/construction.md,
 * "Certificates the compiler cannot cut into boxes"): for each cell, `decide` (which names the kind of the
 * certificate that decided it, from the start of its reason), then `construct` in process on a random table
 * over 𝕀 (seed 7), which verifies the network on every input. One JSON line per cell goes to `--out`
 * (kind, `built` or the error line, the construction, ms); the summary counts cells and failures per kind.
 *   npx tsx bench/construct-every-cell.bench.ts --bits 3 [--sample N --seed S] [--in F] --out F [--summary]
 * (3 bits: 9,482 ✓ cells, about 2–4 minutes under load.)
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { construct } from '../src/expressivity/construct.js';
import { decide } from '../src/expressivity/verdict.js';
import { mulberry32, randomTable } from '../src/prng.js';

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        in: { type: 'string', default: 'bench/small-cells.jsonl' },
        out: { type: 'string', default: '/tmp/construct-every-cell.jsonl' },
        bits: { type: 'string', default: '3' },
        sample: { type: 'string' },
        seed: { type: 'string', default: '1' },
        summary: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    console.error(`error: ${(e as Error).message.split('\n')[0]}`);
    process.exit(2);
  }
})();
const bits = values.bits.split(',').map(Number);
if (bits.some((b) => !Number.isInteger(b) || b < 2 || b > 8)) {
  console.error(`error: --bits takes widths from 2 to 8 (comma-separated), not ${values.bits}`);
  process.exit(2);
}
const sample = values.sample === undefined ? null : Number(values.sample);
if (sample !== null && !(Number.isInteger(sample) && sample > 0)) {
  console.error(`error: --sample takes a positive number of cells, not ${values.sample}`);
  process.exit(2);
}

interface Row {
  activation: string;
  format: string;
  rounding: string;
  overflow: string;
  weights: string;
  accumulation: string;
  bias: string;
  bits: number;
  verdict: string;
}
const key = (r: Row) =>
  [r.activation, r.format, r.rounding, r.overflow, r.weights, r.accumulation, r.bias].join(' ');
const lines = (f: string) =>
  existsSync(f)
    ? readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
const last = new Map<string, Row>();
for (const r of lines(values.in) as Row[]) last.set(key(r), r);
let cells = [...last.values()].filter((r) => r.verdict === 'universal' && bits.includes(r.bits));
if (sample !== null) {
  const next = mulberry32(Number(values.seed));
  const picked = new Set<number>();
  while (picked.size < Math.min(sample, cells.length)) picked.add(Math.floor(next() * cells.length));
  cells = [...picked].map((i) => cells[i]);
}
/** The kind of certificate, from the start of the verdict's reason ("a paired idle certificate (…"). */
const kindOf = (reason: string) =>
  reason
    .replace(/\(.*$/s, '')
    .replace(/[;:,].*$/s, '')
    .slice(0, 70)
    .trim();
if (!values.summary) {
  const done = new Set((lines(values.out) as Row[]).map(key));
  let i = 0;
  for (const r of cells) {
    if (done.has(key(r))) continue;
    const c = makeConfiguration(r);
    const v = decide(c);
    const s = settingOf(c);
    let result = 'built';
    let method = '';
    const t = performance.now();
    try {
      method = construct(c, randomTable(s.size, s.min, s.size, 7), 1).method;
    } catch (e) {
      result = `error: ${(e as Error).message.slice(0, 200)}`;
    }
    const ms = Math.round(performance.now() - t);
    appendFileSync(
      values.out,
      `${JSON.stringify({ ...r, kind: kindOf(v.reason), verdictNow: v.verdict, construct: result, method, ms })}\n`,
    );
    if (++i % 200 === 0) process.stderr.write(`${i}/${cells.length} cells\n`);
  }
}
const rows = (lines(values.out) as Array<Row & { kind: string; construct: string }>).filter((r) =>
  bits.includes(r.bits),
);
const per = new Map<string, { cells: number; failed: number; example: string }>();
for (const r of rows) {
  const p = per.get(r.kind) ?? { cells: 0, failed: 0, example: '' };
  p.cells++;
  if (r.construct !== 'built') {
    p.failed++;
    p.example ||= `${key(r)}: ${r.construct.slice(0, 120)}`;
  }
  per.set(r.kind, p);
}
console.log('| kind (start of the reason) | ✓ cells | construct failed |');
console.log('| --- | --- | --- |');
for (const [k, p] of [...per].sort((a, b) => b[1].cells - a[1].cells))
  console.log(`| ${k} | ${p.cells} | ${p.failed} |`);
const failed = rows.filter((r) => r.construct !== 'built').length;
console.log(`all: ${rows.length} ✓ cells, construct failed on ${failed}`);
for (const [k, p] of per) if (p.example) console.log(`  ${k}: e.g. ${p.example}`);
