/**
 * The 16-bit map's cells where σ_F has no zero (docs/theory.md §9.7): every Qm.n of `--min-bits` to
 * `--max-bits` bits × sigmoid, softplus, hard-sigmoid (all weights, default semantics) whose σ_F table
 * never takes the value 0, each decided by `fxnn check` in a fresh process under /usr/bin/time -v (wall
 * time, peak resident memory). Prints a Markdown table and the counts. Needs a build (`npm run build`).
 *   npx tsx bench/idle-chain-cells.bench.ts [--min-bits 9] [--max-bits 16] [--activations sigmoid,softplus]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';

const { values } = parseArgs({
  options: {
    'min-bits': { type: 'string', default: '9' },
    'max-bits': { type: 'string', default: '16' },
    activations: { type: 'string', default: 'sigmoid,softplus,hard-sigmoid' },
  },
});

const cells: Array<[string, string]> = [];
for (let bits = Number(values['min-bits']); bits <= Number(values['max-bits']); bits++)
  for (let m = 0; m < bits; m++)
    for (const activation of values.activations.split(',')) {
      const format = `Q${m}.${bits - 1 - m}`;
      if (!settingOf(makeConfiguration({ format, activation })).sigma.includes(0))
        cells.push([activation, format]);
    }

console.log('| cell | verdict | time (s) | peak memory (MB) |');
console.log('| --- | --- | --- | --- |');
const counts = new Map<string, number>();
let slowest = 0;
let largest = 0;
for (const [activation, format] of cells) {
  const args = [
    '-v',
    'node',
    'bin/fxnn.js',
    'check',
    '--activation',
    activation,
    '--format',
    format,
    '--json',
  ];
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : Number.NaN;
  const mb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN) / 1024;
  let verdict = `exit ${r.status}`;
  try {
    verdict = JSON.parse(r.stdout).verdict;
  } catch {
    verdict += ` ${r.stderr.split('\n')[0]}`;
  }
  counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  slowest = Math.max(slowest, seconds);
  largest = Math.max(largest, mb);
  console.log(`| ${activation} ${format} | ${verdict} | ${seconds.toFixed(1)} | ${mb.toFixed(0)} |`);
}
console.log(
  `\n${cells.length} cells: ${[...counts].map(([v, n]) => `${n} ${v}`).join(', ')}; slowest ${slowest.toFixed(1)} s, largest ${largest.toFixed(0)} MB`,
);
