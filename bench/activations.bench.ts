/**
 * Building whole 16-bit tables of every built-in activation (65,536 points each) with correct
 * rounding (`activationTable`: exact rationals, the double path with error bounds, the decimal
 * fallback), beside a baseline in the same process: the naive table, σ in doubles then rounded as a
 * double (`Math.floor`/`Math.round` of σ(x)·2^n), which is fast and sometimes wrong. Printed per table:
 * the build time, the ratio to the naive time, how many points needed the exact path and the decimal
 * fallback, and how many codes the naive table gets wrong.
 *
 * Every table is checked: 300 random points per table are recomputed through the decimal path alone
 * (exact rationals and decimal intervals, no doubles); a mismatch fails the run.
 *
 *   npx tsx bench/activations.bench.ts                (or: npm run bench:activations)
 *   npx tsx bench/activations.bench.ts Q7.8 floor     (one format, one rounding)
 *   npx tsx bench/activations.bench.ts --sweep        (fallback counts: 7 formats × 16 activations × 8 roundings)
 */

import type { Activation } from '../src/activations/activation.js';
import { erfDouble } from '../src/expression/evaluate-double.js';
import {
  activationTableInfo,
  BUILTIN_ACTIVATIONS,
  makePolicy,
  parseActivation,
  parseFormat,
  ROUNDING_MODES,
  type Rounding,
  roundedActivation,
} from '../src/index.js';
import { mulberry32 } from '../src/prng.js';

const ROUNDS = 3;
const CHECKS = 300;

const NAIVE: Record<string, (x: number) => number> = {
  identity: (x) => x,
  relu: (x) => Math.max(0, x),
  'leaky-relu': (x) => (x >= 0 ? x : 0.01 * x),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  softplus: (x) => (x > 30 ? x : Math.log1p(Math.exp(x))),
  silu: (x) => x / (1 + Math.exp(-x)),
  mish: (x) => x * Math.tanh(x > 30 ? x : Math.log1p(Math.exp(x))),
  gelu: (x) => 0.5 * x * (1 + erfDouble(x / Math.SQRT2)),
  'gelu-tanh': (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
  'hard-sigmoid': (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  'hard-swish': (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  step: (x) => (x >= 0 ? 1 : 0),
};

let fresh = 0;
/** The same function under a new key, so that the table cache does not answer. */
function uncached(act: Activation): Activation {
  return { ...act, key: `${act.key}#bench${fresh++}` };
}
function decimalOnly(act: Activation): Activation {
  return { ...uncached(act), kernel: { exact: act.kernel.exact, enclose: act.kernel.enclose } };
}

function naiveTable(
  f: (x: number) => number,
  min: number,
  size: number,
  n: number,
  mode: Rounding,
  lo: number,
  hi: number,
) {
  const out = new Int32Array(size);
  const scale = 2 ** n;
  const round = mode === 'floor' ? Math.floor : (v: number) => Math.round(v);
  for (let i = 0; i < size; i++) {
    const c = round(f((min + i) / scale) * scale);
    out[i] = Math.min(Math.max(c, lo), hi);
  }
  return out;
}

function best(pass: () => void): number {
  let ms = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    pass();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

const args = process.argv.slice(2);

/** How often the decimal fallback is needed: every 16-bit table of a wide sweep, once each. */
function sweep(): void {
  const specs = ['Q7.8', 'Q3.12', 'UQ8.8', 'Q0.15', 'Q15.0', 'SQ7.8', 'Q11.4'];
  const names = [...BUILTIN_ACTIVATIONS, 'elu:alpha=0.1', 'leaky-relu:alpha=0.2'];
  const t = { tables: 0, double: 0, exact: 0, fallback: 0, ms: 0, worst: 0 };
  const where: string[] = [];
  for (const spec of specs) {
    const format = parseFormat(spec);
    for (const name of names) {
      for (const rounding of ROUNDING_MODES) {
        const { stats } = activationTableInfo(
          uncached(parseActivation(name)),
          format,
          makePolicy(format, { rounding }),
        );
        t.tables++;
        t.double += stats.double;
        t.exact += stats.exact;
        t.fallback += stats.fallback;
        t.ms += stats.millis;
        t.worst = Math.max(t.worst, stats.millis);
        if (stats.fallback > 0)
          where.push(`  ${name} ${spec} ${rounding}: ${stats.fallback} (≤ ${stats.maxDigits} digits)`);
      }
    }
  }
  console.log(
    `${t.tables} tables, ${t.tables * 65536} points: ${t.double} double path, ${t.exact} exact, ${t.fallback} decimal fallback; ` +
      `${(t.ms / 1000).toFixed(1)} s in all, mean ${(t.ms / t.tables).toFixed(0)} ms, slowest ${t.worst.toFixed(0)} ms`,
  );
  if (where.length > 0) console.log(`fallback needed in:\n${where.join('\n')}`);
}
if (args[0] === '--sweep') {
  sweep();
  process.exit(0);
}
const formats = (args[0] ? [args[0]] : ['Q7.8', 'Q3.12', 'UQ8.8']).map(parseFormat);
const roundings = (args[1] ? [args[1]] : ['nearest-even', 'floor']) as Rounding[];

let failures = 0;
const random = mulberry32(12345);

console.log('format  rounding      activation     table ms  naive ms  ratio  exact  fallback  naive wrong');
const totals = { ms: 0, naive: 0, tables: 0, fallback: 0, worstMs: 0 };
for (const format of formats) {
  if (Number(format.size) !== 65536) throw new Error(`${format.spec} is not a 16-bit format`);
  const min = Number(format.minCode);
  const size = Number(format.size);
  for (const rounding of roundings) {
    const policy = makePolicy(format, { rounding });
    for (const name of BUILTIN_ACTIVATIONS) {
      const act = parseActivation(name);
      let info = activationTableInfo(uncached(act), format, policy);
      const ms = best(() => {
        info = activationTableInfo(uncached(act), format, policy);
      });
      let naive = new Int32Array(0);
      const naiveMs = best(() => {
        naive = naiveTable(NAIVE[name], min, size, format.fracBits, rounding, min, Number(format.maxCode));
      });
      const table = info.table;
      let wrong = 0;
      for (let i = 0; i < size; i++) if (naive[i] !== table[i]) wrong++;
      // check sample points through the decimal path alone
      const slow = roundedActivation(decimalOnly(act), format, policy);
      for (let k = 0; k < CHECKS; k++) {
        const i = Math.floor(random() * size);
        const expected = slow.apply(BigInt(min + i));
        if (BigInt(table[i]) !== expected) {
          failures++;
          console.error(
            `MISMATCH ${name} ${format.spec} ${rounding} at code ${min + i}: ${table[i]} vs ${expected}`,
          );
        }
      }
      const s = info.stats;
      totals.ms += ms;
      totals.naive += naiveMs;
      totals.tables++;
      totals.fallback += s.fallback;
      totals.worstMs = Math.max(totals.worstMs, ms);
      console.log(
        `${format.spec.padEnd(7)} ${rounding.padEnd(13)} ${name.padEnd(14)} ${ms.toFixed(1).padStart(8)}  ${naiveMs.toFixed(1).padStart(8)}  ${(ms / naiveMs).toFixed(1).padStart(5)}  ${String(s.exact).padStart(5)}  ${String(s.fallback).padStart(8)}  ${String(wrong).padStart(11)}`,
      );
    }
  }
}
console.log(
  `\n${totals.tables} tables of 65,536 points: ${totals.ms.toFixed(0)} ms in all (slowest ${totals.worstMs.toFixed(0)} ms, mean ${(totals.ms / totals.tables).toFixed(1)} ms); ` +
    `naive double tables ${totals.naive.toFixed(0)} ms (ratio ${(totals.ms / totals.naive).toFixed(1)}); decimal fallback ${totals.fallback} points in all`,
);
if (failures > 0) {
  console.error(`${failures} checked points disagree with the decimal path`);
  process.exit(1);
}
console.log(`checked ${totals.tables * CHECKS} random points against the decimal path: all equal`);
