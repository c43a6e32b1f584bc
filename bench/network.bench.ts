/**
 * Exhaustive-evaluation throughput, in edge evaluations per second, of the fast evaluator against the
 * same network exported to C and compiled with `cc -O2`, in the same run. The network: 2 inputs in
 * Q2.4 (16,384 inputs), hidden layers 320 → 320 (ReLU), one identity output: 103,360 edges. Both
 * evaluate every input in lexicographic order on one thread; the C side times its loop itself (no
 * process start-up). The checksums of all outputs must agree, or the run fails.
 *
 *   npx tsx bench/network.bench.ts                       (or: npm run bench:network)
 *   npx tsx bench/network.bench.ts exact floor wrap      (accumulation, rounding, overflow)
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportC } from '../src/network/c-export.js';
import { evaluateAll } from '../src/network/exhaustive.js';
import { compileNetwork } from '../src/network/fast-evaluator.js';
import { type Accumulation, makeNetwork, type Network, type Neuron } from '../src/network/network.js';
import { networkSize } from '../src/network/size.js';
import { parseOverflow, parseRounding } from '../src/policy.js';
import { mulberry32 } from '../src/prng.js';

const [accumulation = 'sequential', rounding = 'nearest-even', overflow = 'saturate'] = process.argv.slice(2);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

/** A fixed pseudo-random network (seeded mulberry32: the same network every run). */
function benchNetwork(): Network {
  const random = mulberry32(12345);
  const widths = [2, 320, 320, 1];
  const layers = [];
  for (let l = 1; l < widths.length; l++) {
    const neurons: Neuron[] = [];
    for (let i = 0; i < widths[l]; i++) {
      const edges: Array<readonly [number, bigint]> = [];
      for (let j = 0; j < widths[l - 1]; j++) edges.push([j, BigInt(Math.floor(random() * 9) - 4)]);
      neurons.push({ bias: BigInt(Math.floor(random() * 5) - 2), edges });
    }
    layers.push({ activation: l === widths.length - 1 ? 'identity' : 'relu', neurons });
  }
  return makeNetwork({
    format: 'Q2.4',
    policy: { rounding: parseRounding(rounding), overflow: parseOverflow(overflow) },
    accumulation: accumulation as Accumulation,
    inputs: 2,
    layers,
  });
}

/** Σ (row index + 1)·output over all rows: sensitive to every output and its position. */
function typescriptRun(net: Network): { seconds: number; checksum: bigint } {
  const fast = compileNetwork(net);
  const t0 = performance.now();
  let checksum = 0;
  evaluateAll(
    fast,
    ({ start, rows, outputs }) => {
      for (let r = 0; r < rows; r++)
        checksum = (((checksum + (start + r + 1) * outputs[r]) % 2 ** 40) + 2 ** 40) % 2 ** 40;
    },
    { chunkRows: 4096 },
  );
  return { seconds: (performance.now() - t0) / 1000, checksum: BigInt(checksum) };
}

function cRun(net: Network, dir: string): { seconds: number; checksum: bigint } {
  const driver = `
#include <stdio.h>
#include <time.h>
int main(void) {
  int32_t x[BENCH_INPUTS], y[BENCH_OUTPUTS];
  long long checksum = 0, row = 0;
  struct timespec t0, t1;
  int j;
  for (j = 0; j < BENCH_INPUTS; j++) x[j] = BENCH_MIN_CODE;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (;;) {
    if (bench(x, y) != 0) return 1;
    row++;
    checksum = (((checksum + row * y[0]) % (1LL << 40)) + (1LL << 40)) % (1LL << 40);
    for (j = BENCH_INPUTS - 1; j >= 0; j--) {
      if (x[j] < BENCH_MAX_CODE) { x[j]++; break; }
      x[j] = BENCH_MIN_CODE;
    }
    if (j < 0) break;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%.9f %lld\\n", (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec), checksum);
  return 0;
}
`;
  const source = join(dir, 'bench.c');
  writeFileSync(source, `#define _POSIX_C_SOURCE 199309L\n${exportC(net, { name: 'bench' })}\n${driver}`);
  const exe = join(dir, 'bench');
  execFileSync('cc', ['-std=c99', '-O2', '-o', exe, source]);
  const [seconds, checksum] = execFileSync(exe).toString().trim().split(' ');
  return { seconds: Number(seconds), checksum: BigInt(checksum) };
}

function main(): void {
  const net = benchNetwork();
  const size = networkSize(net);
  const rows = Number(net.format.size) ** net.inputs;
  const edgeEvaluations = size.edges * rows;
  console.log(
    `network: ${net.format.spec}, ${accumulation} accumulation, ${rounding}, ${overflow}; ` +
      `${size.edges} edges, ${size.neurons} neurons, ${rows} inputs → ${edgeEvaluations.toExponential(3)} edge evaluations`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'fxnn-bench-'));
  try {
    let best = { ts: Number.POSITIVE_INFINITY, c: Number.POSITIVE_INFINITY };
    for (let round = 1; round <= ROUNDS; round++) {
      const ts = typescriptRun(net);
      const c = cRun(net, dir);
      if (ts.checksum !== c.checksum) {
        throw new Error(`checksums differ: TypeScript ${ts.checksum}, C ${c.checksum}`);
      }
      best = { ts: Math.min(best.ts, ts.seconds), c: Math.min(best.c, c.seconds) };
      console.log(
        `round ${round}: TypeScript ${ts.seconds.toFixed(3)} s, C -O2 ${c.seconds.toFixed(3)} s (checksums agree: ${ts.checksum})`,
      );
    }
    const tsRate = edgeEvaluations / best.ts;
    const cRate = edgeEvaluations / best.c;
    console.log(`TypeScript (fast evaluator, 1 thread): ${(tsRate / 1e9).toFixed(3)} G edge evaluations/s`);
    console.log(`C (exported, cc -O2, 1 thread):        ${(cRate / 1e9).toFixed(3)} G edge evaluations/s`);
    console.log(`ratio TypeScript / C: ${(tsRate / cRate).toFixed(2)} (goal ≥ 0.5)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
