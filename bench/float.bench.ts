/**
 * Float formats on the fast path (docs/float.md §7):
 * 1. ⊗ (every rounding mode) and ⊕ (nearest-even, floor) over random code pairs (3·10^6 by default) of
 *    E4M3, E5M2 (their 2^16-entry tables), fp16 and bf16 (⊗: float-mul-kernel.ts, ⊕: the int32 kernels),
 *    beside a bare table-lookup baseline in the same process, same loop shape and same code stream (see
 *    opBench); prints ops/s and the ratio kernel time / baseline time (the bar for ⊗: within 5×), best
 *    wall-clock pass of 20, and beside it the ratio of CPU times (what a loaded machine distorts least).
 *    Results are checked on a sample against the exact BigInt path.
 * 2. Full 16-bit activation tables (fp16: 63,487 finite inputs, bf16: 65,279) of every built-in
 *    activation in every rounding mode, built cold and timed (the bar: under 0.5 s each); the fp16
 *    tables are checked against the mpmath fixture's 1,050 sampled inputs.
 *
 *   npx tsx bench/float.bench.ts [pairs] [--ops-only | --tables-only]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BUILTIN_ACTIVATIONS, parseActivation } from '../src/activations/activation.js';

import { floatActivationTable } from '../src/float/float-activation.js';
import { floatFastOps } from '../src/float/float-fast.js';
import { classify, type FloatFormat, parseFloatFormat } from '../src/float/float-format.js';
import { floatOp } from '../src/float/float-ops.js';
import { FLOAT_ROUNDINGS, makeFloatPolicy } from '../src/float/float-rounding.js';

const child = process.argv[2] === 'child';
const n = Number((child ? process.argv[6] : process.argv[2]) ?? 3_000_000);
const ROUNDS = 20;

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

/**
 * Best times of `ROUNDS` alternating passes of the baseline and the kernel (interleaved, so that load on
 * a shared machine hits both alike): wall-clock seconds, and the process's CPU seconds (not counting the
 * time the process waits for a core on a loaded machine).
 */
function bestPair(
  baseline: () => void,
  kernel: () => void,
): { wall: [number, number]; cpu: [number, number] } {
  const best = [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
  ];
  const time = (pass: () => void): [number, number] => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    pass();
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    return [wall, (c.user + c.system) / 1e6];
  };
  for (let round = 0; round <= ROUNDS; round++) {
    const tb = time(baseline);
    const tk = time(kernel);
    if (round > 0) {
      const times = [tb[0], tk[0], tb[1], tk[1]];
      for (let i = 0; i < 4; i++) best[i] = Math.min(best[i], times[i]);
    }
  }
  return { wall: [best[0], best[1]], cpu: [best[2], best[3]] };
}

/**
 * One operation on one format: the kernel over n random code pairs against the baseline, a bare lookup
 * with the same loop shape over the same code stream: `out[i] = T[(a[i] << 8) | b[i]]` for 8-bit
 * formats (T: 2^16 entries, the size of their product table), `out[i] = T[a[i] ^ b[i]]` for 16-bit ones
 * (T: 2^16 entries, the size of their decode table). Results are checked on a sample against the exact
 * BigInt path (floatOp).
 */
function opBench(f: FloatFormat, op: 'mul' | 'add', rounding: string): void {
  const policy = makeFloatPolicy({ rounding });
  const a = codes(n, 0x9e3779b9 | 0, f.bits);
  const b = codes(n, 0x85ebca6b | 0, f.bits);
  const out = new Int32Array(n);
  const T = new Uint16Array(65536);
  for (let i = 0; i < 65536; i++) T[i] = (i * 2654435761) >>> 16;
  const kernel = floatFastOps(f, policy)[op];
  const { wall, cpu } =
    f.bits <= 8
      ? bestPair(
          () => {
            for (let i = 0; i < n; i++) out[i] = T[(a[i] << 8) | b[i]];
          },
          () => {
            for (let i = 0; i < n; i++) out[i] = kernel(a[i], b[i]);
          },
        )
      : bestPair(
          () => {
            for (let i = 0; i < n; i++) out[i] = T[a[i] ^ b[i]];
          },
          () => {
            for (let i = 0; i < n; i++) out[i] = kernel(a[i], b[i]);
          },
        );
  const stride = Math.max(1, Math.floor(n / 20000));
  for (let i = 0; i < n; i += stride) {
    const want = floatOp(op, a[i], b[i], f, policy).code;
    if (out[i] !== want && !(classify(want, f) === 'nan' && classify(out[i], f) === 'nan')) {
      throw new Error(`${f.spec} ${op} ${a[i]} ${b[i]}: ${out[i]} != ${want}`);
    }
  }
  const [base, time] = wall;
  console.log(
    `${op === 'mul' ? '⊗' : '⊕'} ${f.spec.padEnd(5)} ${rounding.padEnd(13)} ${(n / time / 1e6).toFixed(1).padStart(7)} M/s   baseline lookup ${(n / base / 1e6).toFixed(1).padStart(7)} M/s   ratio ${(time / base).toFixed(2)}   (CPU time ${(cpu[1] / cpu[0]).toFixed(2)})`,
  );
}

if (child) {
  opBench(parseFloatFormat(process.argv[3]), process.argv[4] as 'mul' | 'add', process.argv[5]);
  process.exit(0);
}
// each configuration in its own process: closures of floatFastOps share call sites, and V8's type
// feedback from one format would slow down the next
let worstRatio = 0;
const tablesOnly = process.argv.includes('--tables-only');
for (const op of tablesOnly ? [] : ['mul', 'add'])
  for (const spec of ['E4M3', 'E5M2', 'fp16', 'bf16'])
    for (const rounding of op === 'mul' ? FLOAT_ROUNDINGS : ['nearest-even', 'floor']) {
      const r = spawnSync(
        process.execPath,
        [...process.execArgv, process.argv[1], 'child', spec, op, rounding, String(n)],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      process.stdout.write(r.stdout);
      if (op === 'mul') worstRatio = Math.max(worstRatio, Number(/ratio ([\d.]+)/.exec(r.stdout)?.[1]));
    }
if (!tablesOnly) console.log(`worst ⊗ ratio: ${worstRatio.toFixed(2)} (bar: 5)`);
if (process.argv.includes('--ops-only')) process.exit(0);

console.log('');
let worst = 0;
const fp16Fixture: { x: number[]; tables: Record<string, Record<string, number[]>> } = JSON.parse(
  readFileSync(new URL('../test/fixtures/float-activations/fp16.json', import.meta.url), 'utf8'),
);
for (const [spec, roundings] of [
  ['fp16', FLOAT_ROUNDINGS],
  ['bf16', FLOAT_ROUNDINGS],
] as const) {
  const f = parseFloatFormat(spec);
  for (const rounding of roundings) {
    const line: string[] = [];
    for (const name of BUILTIN_ACTIVATIONS) {
      const t = floatActivationTable(parseActivation(name), f, makeFloatPolicy({ rounding }));
      worst = Math.max(worst, t.stats.millis);
      if (spec === 'fp16') {
        // the mpmath fixture's sample of fp16 (test/fixtures/float-activations/fp16.json)
        const want = fp16Fixture.tables[name][rounding];
        fp16Fixture.x.forEach((x, i) => {
          const got = t.byCode[x];
          if (got !== want[i] && !(classify(got, f) === 'nan' && classify(want[i], f) === 'nan'))
            throw new Error(`fp16 ${name} ${rounding} at code ${x}: ${got} != ${want[i]} (mpmath)`);
        });
      }
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
