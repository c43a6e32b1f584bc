/**
 * Verdicts above 16 bits (docs/theory.md §9.5): 11 activations × 4 formats (ap_fixed<24,8> and
 * ap_fixed<32,16>, each saturating with AP_RND and in ap_fixed's default AP_TRN/AP_WRAP) × {all, binary}
 * weights. Each cell runs in its own process (so its peak resident memory is its own) and prints the
 * verdict, the time of `decide` and the peak RSS. A cell fails the run when it takes more than 60 s or
 * 1 GB, or when a `universal` verdict comes without a certificate or the linear-unit theorem.
 *
 *   npx tsx bench/wide.bench.ts                 (the whole table)
 *   npx tsx bench/wide.bench.ts --cell sigmoid 'ap_fixed<24,8,AP_RND,AP_SAT>' all   (one cell, JSON)
 *   npx tsx bench/wide.bench.ts --error         (Q7.16 and Q15.16 under overflow error, nearest-up and nearest-even)
 *   npx tsx bench/wide.bench.ts --error-signed  (the same with nearest-away and nearest-zero: Lemma G′)
 *   npx tsx bench/wide.bench.ts --error-exact   (nearest-even with exact accumulation: Lemma G with a bias parity)
 *
 * A format may carry a policy after a slash: 'Q7.16/error/nearest-up' (overflow, rounding), and an
 * accumulation after a third: 'Q7.16/error/nearest-even/exact'.
 */
import { execFileSync } from 'node:child_process';
import { makeConfiguration } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { BAR_ACTIVATIONS } from './bar-activations.js';

const ACTIVATIONS = BAR_ACTIVATIONS;
const FORMATS = [
  'ap_fixed<24,8,AP_RND,AP_SAT>',
  'ap_fixed<32,16,AP_RND,AP_SAT>',
  'ap_fixed<24,8>',
  'ap_fixed<32,16>',
];
const ERROR_FORMATS = [
  'Q7.16/error/nearest-up',
  'Q15.16/error/nearest-up',
  'Q7.16/error/nearest-even',
  'Q15.16/error/nearest-even',
];
const SIGNED_ERROR_FORMATS = [
  'Q7.16/error/nearest-away',
  'Q15.16/error/nearest-away',
  'Q7.16/error/nearest-zero',
  'Q15.16/error/nearest-zero',
];
const EXACT_ERROR_FORMATS = ['Q7.16/error/nearest-even/exact', 'Q15.16/error/nearest-even/exact'];
const WEIGHTS = ['all', 'binary'];

function cell(activation: string, spec: string, weights: string): void {
  const [format, overflow, rounding, accumulation] = spec.split('/');
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const v = decide(
    makeConfiguration({
      activation,
      format,
      weights,
      ...(overflow ? { overflow } : {}),
      ...(rounding ? { rounding } : {}),
      ...(accumulation ? { accumulation } : {}),
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rss = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify({
      verdict: v.verdict,
      seconds,
      cpuSeconds,
      rss,
      reason: v.reason,
      certificate: v.certificate,
    }),
  );
}

const args = process.argv.slice(2);
if (args[0] === '--cell') {
  cell(args[1], args[2], args[3]);
} else {
  if (args[0] === '--error') FORMATS.splice(0, FORMATS.length, ...ERROR_FORMATS);
  if (args[0] === '--error-signed') FORMATS.splice(0, FORMATS.length, ...SIGNED_ERROR_FORMATS);
  if (args[0] === '--error-exact') FORMATS.splice(0, FORMATS.length, ...EXACT_ERROR_FORMATS);
  const rows: string[] = [];
  let failures = 0;
  const head = `| activation | ${FORMATS.flatMap((f) => WEIGHTS.map((w) => `${f} ${w}`)).join(' | ')} |`;
  rows.push(head, `|${' --- |'.repeat(1 + FORMATS.length * WEIGHTS.length)}`);
  const counts = new Map<string, number>();
  let worstT = 0;
  let worstM = 0;
  for (const a of ACTIVATIONS) {
    const cells: string[] = [];
    for (const f of FORMATS)
      for (const w of WEIGHTS) {
        const out = execFileSync(
          process.execPath,
          [...process.execArgv, import.meta.filename, '--cell', a, f, w],
          {
            encoding: 'utf8',
          },
        );
        const r = JSON.parse(out.trim().split('\n').pop() as string);
        const mb = r.rss / 2 ** 20;
        worstT = Math.max(worstT, r.seconds);
        worstM = Math.max(worstM, mb);
        counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
        if (r.seconds > 60 || mb > 1024) failures++;
        if (r.verdict === 'universal' && !r.certificate && !/linear-unit condition holds/.test(r.reason))
          failures++;
        const mark = r.verdict === 'universal' ? '✓' : r.verdict === 'not-universal' ? '✗' : '?';
        cells.push(`${mark} ${r.seconds.toFixed(1)} s (cpu ${r.cpuSeconds.toFixed(1)}) ${mb.toFixed(0)} MB`);
        process.stderr.write(
          `${a} ${f} ${w}: ${r.verdict} ${r.seconds.toFixed(2)} s cpu ${r.cpuSeconds.toFixed(2)} s ${mb.toFixed(0)} MB\n`,
        );
      }
    rows.push(`| ${a} | ${cells.join(' | ')} |`);
  }
  console.log(rows.join('\n'));
  console.log(
    `\n${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}; slowest decide ${worstT.toFixed(2)} s, largest peak RSS ${worstM.toFixed(0)} MB (✓ universal, ? undetermined; wall time of decide with its CPU time, peak RSS of the cell's process)`,
  );
  if (failures > 0) {
    console.error(`${failures} cells over the bars`);
    process.exit(1);
  }
}
