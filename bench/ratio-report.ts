/**
 * Turns the JSON records of `bench/construct.bench.ts ratios` (bench/ratio-table.ts) into the ratio
 * table of docs/construction.md (markdown, between `<!-- ratio-table -->` and `<!-- /ratio-table -->`)
 * and an SVG plot: ratio (log scale) against |𝕀|^d (log scale), one mark per activation and cell (the mean,
 * with a bar from min to max over the seeds).
 *
 *   npx tsx bench/ratio-report.ts RUN.json [MORE.json …] [--docs docs/construction.md] [--svg docs/ratios.svg]
 *
 * Later files take precedence for the same (cell, activation). Without --docs the table is printed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { RatioCell, RatioRun } from './ratio-table.js';

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

const files: string[] = [];
let docs: string | null = null;
let svg: string | null = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--docs') docs = argv[++i] ?? fail('--docs: expected a file name');
  else if (argv[i] === '--svg') svg = argv[++i] ?? fail('--svg: expected a file name');
  else if (argv[i].startsWith('--')) fail(`unknown option ${JSON.stringify(argv[i])}`);
  else files.push(argv[i]);
}
if (files.length === 0) fail('expected at least one JSON file written by `bench/construct.bench.ts ratios`');

const runs: RatioRun[] = files.map((f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as RatioRun;
  } catch (e) {
    return fail(`${f}: ${(e as Error).message}`);
  }
});
const cellKey = (c: { format: string; d: number; rounding: string }) =>
  `${c.format} d = ${c.d}${c.rounding === 'nearest-even' ? '' : ` (${c.rounding})`}`;
const byKey = new Map<string, RatioCell>();
for (const run of runs) for (const c of run.cells) byKey.set(`${cellKey(c)}|${c.activation}`, c);
const all = [...byKey.values()];
const cellOrder = [...new Map(all.map((c) => [cellKey(c), c])).values()].sort(
  (a, b) => a.points - b.points || a.d - b.d || a.format.localeCompare(b.format),
);
const acts = [...new Set(all.map((c) => c.activation))];

/** The markdown table: one row per activation, one column per cell. */
function table(): string {
  const head = ['activation', ...cellOrder.map((c) => `${cellKey(c)}, ${c.points} points`)];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  const short: Record<string, string> = {
    'two-level': '2l',
    'two-level-index': '2li',
    boxes: 'b',
    rows: 'r',
    columns: 'c',
    steps: 's',
  };
  for (const act of acts) {
    const row = [act];
    for (const cell of cellOrder) {
      const c = byKey.get(`${cellKey(cell)}|${act}`);
      if (!c) row.push('not run');
      else if (c.mean === null) row.push('—');
      else {
        const how = [...new Set(c.constructions)].map((m) => short[m] ?? m).join('+');
        const n = c.seeds.length;
        row.push(
          n === 1
            ? `${c.mean.toFixed(2)} (${how}, 1 seed)`
            : `${c.min!.toFixed(2)} / ${c.mean.toFixed(2)} / ${c.max!.toFixed(2)} (${how}${n === runs[0].seeds ? '' : `, ${n} seeds`})`,
        );
      }
    }
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}

const COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
  '#8c6d31',
  '#843c39',
];

/** The plot: one column per cell, in order of |𝕀|^d; y = ratio on a log scale. */
function plot(): string {
  const L = 60;
  const R = 170;
  const T = 20;
  const B = 64;
  const slot = 92;
  const W = L + R + slot * cellOrder.length;
  const H = 440;
  const done = all.filter((c) => c.mean !== null);
  const ys = done.flatMap((c) => [c.min!, c.max!]);
  const yLo = 1;
  const yHi = Math.max(2, ...ys) * 1.1;
  const Y = (r: number) => T + (1 - Math.log(r / yLo) / Math.log(yHi / yLo)) * (H - T - B);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    '<title>Size ratio (parameters / |𝕀|^d) of the networks construct picks for random tables, per activation and cell</title>',
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ];
  for (const r of [1, 1.25, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64].filter((r) => r <= yHi)) {
    out.push(
      `<line x1="${L}" x2="${W - R}" y1="${Y(r).toFixed(1)}" y2="${Y(r).toFixed(1)}" stroke="${r === 1 ? '#000' : '#ddd'}"/>`,
      `<text x="${L - 6}" y="${(Y(r) + 4).toFixed(1)}" text-anchor="end">${r}</text>`,
    );
  }
  out.push(
    `<text x="${L + 4}" y="${(Y(1) - 4).toFixed(1)}" fill="#000">counting lower bound (ratio 1)</text>`,
    `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">parameters / |𝕀|^d (log scale)</text>`,
    `<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">cells in order of |𝕀|^d</text>`,
  );
  const xOf = new Map<string, number>();
  cellOrder.forEach((c, i) => {
    const x = L + slot * (i + 0.5);
    xOf.set(cellKey(c), x);
    if (i > 0)
      out.push(`<line x1="${L + slot * i}" x2="${L + slot * i}" y1="${T}" y2="${H - B}" stroke="#f0f0f0"/>`);
    out.push(
      `<text x="${x}" y="${H - B + 16}" text-anchor="middle">${cellKey(c).replace(/ \(.*\)/, '')}${c.rounding === 'nearest-even' ? '' : '*'}</text>`,
      `<text x="${x}" y="${H - B + 30}" text-anchor="middle" fill="#555">${c.points} points</text>`,
    );
  });
  if (cellOrder.some((c) => c.rounding !== 'nearest-even'))
    out.push(
      `<text x="${L}" y="${H - 6}" fill="#555">* ${[...new Set(cellOrder.filter((c) => c.rounding !== 'nearest-even').map((c) => c.rounding))].join(', ')} rounding</text>`,
    );
  acts.forEach((act, a) => {
    const color = COLORS[a % COLORS.length];
    const dx = (a - (acts.length - 1) / 2) * 5;
    for (const c of done.filter((c) => c.activation === act)) {
      const x = (xOf.get(cellKey(c))! + dx).toFixed(1);
      out.push(
        `<line x1="${x}" x2="${x}" y1="${Y(c.min!).toFixed(1)}" y2="${Y(c.max!).toFixed(1)}" stroke="${color}" stroke-width="1.5"/>`,
        `<circle cx="${x}" cy="${Y(c.mean!).toFixed(1)}" r="3.2" fill="${color}"><title>${act}, ${cellKey(c)}: ${c.min!.toFixed(3)} / ${c.mean!.toFixed(3)} / ${c.max!.toFixed(3)} over ${c.seeds.length} seeds (${[...new Set(c.constructions)].join(', ')})</title></circle>`,
      );
    }
    const ly = T + 14 * a + 6;
    out.push(
      `<circle cx="${W - R + 16}" cy="${ly}" r="3.2" fill="${color}"/>`,
      `<text x="${W - R + 26}" y="${ly + 4}">${act}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const md = table();
if (docs) {
  const text = readFileSync(docs, 'utf8');
  const start = '<!-- ratio-table -->';
  const end = '<!-- /ratio-table -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) fail(`${docs}: no ${start} … ${end} markers`);
  writeFileSync(docs, `${text.slice(0, i + start.length)}\n${md}\n${text.slice(j)}`);
  console.log(`wrote the table into ${docs}`);
} else console.log(md);
if (svg) {
  writeFileSync(svg, plot());
  console.log(`wrote ${svg}`);
}
