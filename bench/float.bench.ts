/**
 * Float formats on the fast path (docs/float.md §7):
 * 1. ⊗ over 10^7 random code pairs of E4M3 (its 2^16-entry table) and of fp16 (the integer kernel),
 *    beside a bare table-lookup baseline in the same process (`out[i] = T[(a[i] << 8) | b[i]]` on a
 *    2^16-entry Uint8Array, no rounding or decoding); prints ops/s and the ratio kernel time/baseline
 *    time (the bar: within 5×). Results are checked on a sample against the exact BigInt path.
 * 2. Full 16-bit activation tables (fp16: 63,487 finite inputs; bf16 nearest-even) of every built-in
 *    activation, built cold, timed (the bar: under 0.5 s), and checked on a sample against `floatActivationAt`.
 *
 *   npx tsx bench/float.bench.ts [pairs]
 */
import { spawnSync } from 'node:child_process';
import { BUILTIN_ACTIVATIONS, parseActivation } from '../src/activations/activation.js';

import { floatActivationTable } from '../src/float/float-activation.js';
import { floatFastOps } from '../src/float/float-fast.js';
import { type FloatFormat, parseFloatFormat } from '../src/float/float-format.js';
import { floatOp } from '../src/float/float-ops.js';
import { FLOAT_ROUNDINGS, makeFloatPolicy } from '../src/float/float-rounding.js';

const child = process.argv[2] === 'child';
const n = Number((child ? process.argv[5] : process.argv[2]) ?? 10_000_000);
const ROUNDS = 5;

function codes(count: number, seed: number, bits: number): Int32Array {
  const out = new Int32Array(count);
  let x = seed;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % 2 ** bits;
  }
  return out;
}

function best(pass: () => void): number {
  let seconds = Number.POSITIVE_INFINITY;
  for (let round = 0; round <= ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    pass();
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    if (round > 0) seconds = Math.min(seconds, t);
  }
  return seconds;
}

function mulBench(f: FloatFormat, rounding: string): void {
  const policy = makeFloatPolicy({ rounding });
  const a = codes(n, 0x9e3779b9 | 0, f.bits);
  const b = codes(n, 0x85ebca6b | 0, f.bits);
  const a8 = codes(n, 0x9e3779b9 | 0, 8);
  const b8 = codes(n, 0x85ebca6b | 0, 8);
  const out = new Int32Array(n);
  const T = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) T[i] = (i * 2654435761) >>> 24;
  const base = best(() => {
    for (let i = 0; i < n; i++) out[i] = T[(a8[i] << 8) | b8[i]];
  });
  const mul = floatFastOps(f, policy).mul;
  const kernel = best(() => {
    for (let i = 0; i < n; i++) out[i] = mul(a[i], b[i]);
  });
  const stride = Math.max(1, Math.floor(n / 20000));
  for (let i = 0; i < n; i += stride) {
    const want = floatOp('mul', a[i], b[i], f, policy).code;
    if (out[i] !== want && !(want === f.nanCode || want === f.nanCode + f.signBit)) {
      throw new Error(`${f.spec} mul ${a[i]} ${b[i]}: ${out[i]} != ${want}`);
    }
  }
  console.log(
    `⊗ ${f.spec.padEnd(5)} ${rounding.padEnd(13)} ${(n / kernel / 1e6).toFixed(1).padStart(7)} M/s   baseline lookup ${(n / base / 1e6).toFixed(1).padStart(7)} M/s   ratio ${(kernel / base).toFixed(2)}`,
  );
}

if (child) {
  mulBench(parseFloatFormat(process.argv[3]), process.argv[4]);
  process.exit(0);
}
// each configuration in its own process: closures of floatFastOps share call sites, and V8's type
// feedback from one format would slow down the next
for (const spec of ['E4M3', 'fp16', 'bf16'])
  for (const rounding of ['nearest-even', 'floor']) {
    const r = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1], 'child', spec, rounding, String(n)],
      {
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    process.stdout.write(r.stdout);
  }

console.log('');
let worst = 0;
for (const [spec, roundings] of [
  ['fp16', FLOAT_ROUNDINGS],
  ['bf16', ['nearest-even']],
] as const) {
  const f = parseFloatFormat(spec);
  for (const rounding of roundings) {
    const line: string[] = [];
    for (const name of BUILTIN_ACTIVATIONS) {
      const t = floatActivationTable(parseActivation(name), f, makeFloatPolicy({ rounding }));
      worst = Math.max(worst, t.stats.millis);
      line.push(
        `${name} ${t.stats.millis.toFixed(0)}${t.stats.fallback > 0 ? `(${t.stats.fallback}f)` : ''}`,
      );
    }
    console.log(`${spec} ${rounding}: ${line.join(', ')} ms`);
  }
}
console.log(
  `slowest 16-bit table: ${worst.toFixed(0)} ms (bar: 500 ms); (Nf) = points decided by the decimal fallback`,
);
