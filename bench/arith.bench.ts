/**
 * Throughput of ⊗ and ⊕ on the fast path (`fastOps`, safe-integer codes) over 10^7 random code pairs of
 * Q7.8, beside a baseline loop in the same process doing the plain integer work without rounding or
 * overflow: `(a*b) >> 8` for ⊗, `a + b` for ⊕. Every kernel's results are checked on a sample against
 * the BigInt path (`opCodes`); a mismatch fails the run.
 *
 * Each configuration runs in its own child process, so that V8's type feedback from one kernel cannot
 * slow down the next (closures of `fastOps` share their call sites).
 *
 *   npx tsx bench/arith.bench.ts            (or: npm run bench:arith)
 *   npx tsx bench/arith.bench.ts 1000000    (fewer pairs, for a quick look)
 */
import { spawnSync } from 'node:child_process';
import { fastOps } from '../src/core/fast-ops.js';
import { opCodes } from '../src/core/ops.js';
import { parseFormat } from '../src/format.js';
import { makePolicy, type Overflow, ROUNDING_MODES, type Rounding } from '../src/policy.js';

const ROUNDS = 5;
const SAMPLE = 100_000;
const format = parseFormat('Q7.8');

type BenchOp = 'mul' | 'add';
interface Measurement {
  kernel: number;
  baseline: number;
  checked: number;
}

/** Deterministic 32-bit xorshift codes of the format, so every run measures the same pairs. */
function codes(n: number, seed: number): Int32Array {
  const min = Number(format.minCode);
  const span = Number(format.size);
  const out = new Int32Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = min + ((x >>> 0) % span);
  }
  return out;
}

/** Best time of ROUNDS passes after one warm-up pass, as operations per second. */
function best(n: number, pass: () => void): number {
  let seconds = Number.POSITIVE_INFINITY;
  for (let round = 0; round <= ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    pass();
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    if (round > 0) seconds = Math.min(seconds, t);
  }
  return n / seconds;
}

/** One configuration, measured and checked in this process. */
function runChild(op: BenchOp, rounding: Rounding, overflow: Overflow, n: number): Measurement {
  const a = codes(n, 0x9e3779b9 | 0);
  const b = codes(n, 0x85ebca6b | 0);
  const out = new Int32Array(n);
  const shift = format.fracBits;

  // The baseline: the plain integer operation inline, no rounding (the shift floors), no overflow.
  const baseline =
    op === 'mul'
      ? best(n, () => {
          for (let i = 0; i < n; i++) out[i] = (a[i] * b[i]) >> shift;
        })
      : best(n, () => {
          for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
        });
  const stride = Math.max(1, Math.floor(n / SAMPLE));
  for (let i = 0; i < n; i += stride) {
    const exact = op === 'mul' ? (BigInt(a[i]) * BigInt(b[i])) >> BigInt(shift) : BigInt(a[i]) + BigInt(b[i]);
    if (BigInt(out[i]) !== exact) throw new Error(`baseline ${op}: wrong result at pair #${i}`);
  }

  const policy = makePolicy(format, { rounding, overflow });
  const kernel = fastOps(format, policy)[op];
  const ops = best(n, () => {
    for (let i = 0; i < n; i++) out[i] = kernel(a[i], b[i]);
  });
  let checked = 0;
  for (let i = 0; i < n; i += stride) {
    const expected = opCodes(op, BigInt(a[i]), BigInt(b[i]), format, policy).code;
    if (BigInt(out[i]) !== expected) {
      throw new Error(
        `MISMATCH ${op} ${rounding}/${overflow}: pair #${i} (${a[i]}, ${b[i]}) gave ${out[i]}, the BigInt path gives ${expected}`,
      );
    }
    checked++;
  }
  return { kernel: ops, baseline, checked };
}

/** Runs one configuration in a fresh child process (same loader as this one); throws on failure. */
function measure(op: BenchOp, rounding: Rounding, overflow: Overflow, n: number): Measurement {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, import.meta.filename, '--child', op, rounding, overflow, String(n)],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) {
    process.stderr.write(child.stderr);
    throw new Error(`benchmark of ${op} ${rounding}/${overflow} failed (exit ${child.status})`);
  }
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

const millions = (x: number) => `${(x / 1e6).toFixed(1).padStart(7)} M ops/s`;

function main(): void {
  const n = Number(process.argv[2] ?? 10_000_000);
  console.log(
    `fxnn arithmetic benchmark: ${format.spec} (${format.bits} bits), ${n.toLocaleString('en')} random code pairs, ` +
      `best of ${ROUNDS} passes, node ${process.version}`,
  );
  console.log(`${'kernel'.padEnd(34)}${'fast path'.padStart(15)}${'baseline'.padStart(17)}   ratio`);
  const row = (label: string, m: Measurement) =>
    console.log(
      `${label.padEnd(34)}${millions(m.kernel)}  ${millions(m.baseline)}   ${(m.kernel / m.baseline).toFixed(2)}`,
    );
  let checked = 0;
  const mul = measure('mul', 'nearest-even', 'saturate', n);
  row('⊗ nearest-even, saturate (default)', mul);
  const add = measure('add', 'nearest-even', 'saturate', n);
  row('⊕ saturate (default)', add);
  checked += mul.checked + add.checked;
  console.log('');
  for (const rounding of ROUNDING_MODES.filter((r) => r !== 'nearest-even')) {
    const m = measure('mul', rounding, 'saturate', n);
    row(`⊗ ${rounding}, saturate`, m);
    checked += m.checked;
  }
  for (const [op, rounding] of [
    ['mul', 'nearest-even'],
    ['mul', 'floor'],
    ['add', 'nearest-even'],
  ] as const) {
    const m = measure(op, rounding, 'wrap', n);
    row(`${op === 'mul' ? `⊗ ${rounding}` : '⊕'}, wrap`, m);
    checked += m.checked;
  }
  console.log(
    `\nbaseline: (a*b) >> 8 for ⊗ and a + b for ⊕, inline, no rounding or overflow; ratio = fast path / baseline`,
  );
  console.log(`checked: ${checked.toLocaleString('en')} sampled results equal the BigInt path (opCodes)`);
  console.log(
    `summary: ⊗ ${(mul.kernel / 1e6).toFixed(1)} M ops/s vs multiply-and-shift ${(mul.baseline / 1e6).toFixed(1)} M ops/s ` +
      `(ratio ${(mul.kernel / mul.baseline).toFixed(2)}); ⊕ ${(add.kernel / 1e6).toFixed(1)} M ops/s vs a + b ` +
      `${(add.baseline / 1e6).toFixed(1)} M ops/s (ratio ${(add.kernel / add.baseline).toFixed(2)})`,
  );
}

if (process.argv[2] === '--child') {
  const [, , , op, rounding, overflow, n] = process.argv;
  console.log(JSON.stringify(runChild(op as BenchOp, rounding as Rounding, overflow as Overflow, Number(n))));
} else {
  main();
}
