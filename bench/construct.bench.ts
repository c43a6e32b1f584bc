/**
 * Construction figures (issue 5's bars), each checked: every network is verified on every input by
 * `construct` before its size is printed.
 *   npx tsx bench/construct.bench.ts            all sections
 *   npx tsx bench/construct.bench.ts certs      certificates only
 *   npx tsx bench/construct.bench.ts ratios [--table] [--seeds N] [--max-points P] [--big-seeds K] [--budget S] [--big-fallback]
 *       [--acts a,b] [--cells FORMAT:d[:rounding],…] [--json FILE]   the ratio table of issue 13 for every
 *       built-in (bench/ratio-table.ts; JSON for bench/ratio-report.ts)
 *   npx tsx bench/construct.bench.ts ratios N [acts] [cells]  the same for chosen activations and cells,
 *       seeds 1–N, e.g. `ratios 3 relu,elu Q3.4:1,Q2.3:2` (cells FORMAT:d; default the five of issue 13);
 *       a 6th argument forces one construction (`ratios 3 gelu Q3.4:1 two-level-gadgets`)
 *   npx tsx bench/construct.bench.ts sweep [binary]  every activation × Q2.3, Q3.4, Q4.3 × d = 1, 2 (minutes)
 *   npx tsx bench/construct.bench.ts idle       idle-set certificates (σ_F without a zero): sigmoid, softplus,
 *                                               hard-sigmoid × Q0.2, Q0.3, Q1.3 × d = 1, 2, seeds 1–3
 * Sizes are parameters (edges + biases); the ratio is against the lower bound |𝕀|^d of THEORY §5.3.
 */
import { certificateFor } from '../src/expressivity/certificates.js';
import { makeConfiguration } from '../src/expressivity/configuration.js';
import { construct } from '../src/expressivity/construct.js';
import { parseFormat } from '../src/format.js';
import { makePolicy } from '../src/policy.js';
import { randomTable } from '../src/prng.js';
import { expressionTarget } from '../src/target/target-function.js';
import { runRatioTable } from './ratio-table.js';

const only = process.argv[2];
const ACTS = ['sigmoid', 'relu', 'elu', 'softplus', 'silu', 'mish', 'gelu', 'tanh', 'identity'];

if (!only || only === 'certs') {
  console.log('## certificates (nearest-even, saturate, sequential, bias last)');
  for (const weights of ['all', 'binary'] as const) {
    for (const format of ['Q2.3', 'Q3.4', 'Q4.3']) {
      const row: string[] = [];
      for (const activation of ACTS) {
        const t0 = performance.now();
        const { report } = certificateFor(makeConfiguration({ format, activation, weights }));
        row.push(
          `${activation} ${report.certificate ? '✓' : '–'} ${((performance.now() - t0) / 1000).toFixed(1)}s`,
        );
      }
      console.log(`${weights.padEnd(6)} ${format}: ${row.join(' | ')}`);
    }
  }
}

if (only === 'ratios' && (process.argv[3] === undefined || process.argv[3].startsWith('--'))) {
  runRatioTable(process.argv.slice(3));
} else if (!only || only === 'ratios') {
  // `ratios N [acts] [cells]`: seeds 1–N (default 10), activations (comma-separated, default all),
  // cells FORMAT:d (comma-separated; default issue 13's five, of which Q7.8 d = 1 and Q3.4 d = 2 have
  // 65,536 points each and take long for the activations whose best construction is boxes or rows)
  const seeds = Array.from({ length: Number(process.argv[3] ?? 10) }, (_, i) => i + 1);
  const acts = process.argv[4] ? process.argv[4].split(',') : ACTS;
  const cells = (process.argv[5] ?? 'Q3.4:1,Q4.3:1,Q7.8:1,Q2.3:2,Q3.4:2').split(',').map((cell) => {
    const [format, d] = cell.split(':');
    return [format, Number(d)] as const;
  });
  console.log(
    `\n## size ratios for random tables (seeds ${seeds[0]}–${seeds[seeds.length - 1]}: min / mean / max; parameters / |𝕀|^d)`,
  );
  for (const [format, d] of cells) {
    for (const activation of acts) {
      const c = makeConfiguration({ format, activation });
      const size = Number(c.format.size);
      const ratios: number[] = [];
      const methods = new Set<string>();
      const t0 = performance.now();
      try {
        for (const seed of seeds) {
          const forced = process.argv[6];
          const r = construct(
            c,
            randomTable(size ** d, Number(c.format.minCode), size, seed),
            d,
            forced ? { construction: forced } : {},
          );
          ratios.push(r.ratio);
          methods.add(r.method);
        }
      } catch (e) {
        console.log(`${format} d=${d} ${activation.padEnd(9)} ${(e as Error).message}`);
        continue;
      }
      const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
      console.log(
        `${format} d=${d} ${activation.padEnd(9)} ratio ${Math.min(...ratios).toFixed(2)} / ${mean.toFixed(2)} / ${Math.max(...ratios).toFixed(2)} (lower bound ${size ** d} parameters; ${[...methods].join(', ')}; ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
      console.log(`  per seed: ${ratios.map((x) => x.toFixed(3)).join(' ')}`);
    }
  }
}

if (!only || only === 'smooth') {
  console.log('\n## smooth target with compression: sin(3*x1)*cos(2*x2) on Q2.3 (|𝕀|² = 4096)');
  const f = parseFormat('Q2.3');
  const target = await expressionTarget('sin(3*x1)*cos(2*x2)', f, makePolicy(f), 2);
  for (const activation of ['relu', 'sigmoid', 'tanh']) {
    const r = construct(makeConfiguration({ format: 'Q2.3', activation }), target, 2);
    console.log(
      `${activation.padEnd(8)} ${r.size.parameters} parameters (${r.method}, ${r.boxes} boxes/classes), ratio ${r.ratio.toFixed(2)}`,
    );
  }
}

if (!only || only === 'big') {
  console.log('\n## random d = 2 table on Q3.4 (65,536 points), relu');
  const c = makeConfiguration({ format: 'Q3.4', activation: 'relu' });
  const t0 = performance.now();
  const r = construct(c, randomTable(65536, -128, 256, 9), 2);
  const total = performance.now() - t0;
  const m = r.millis;
  console.log(
    `total ${(total / 1000).toFixed(1)} s: certificate ${(m.certificate / 1000).toFixed(1)} s, compile ${(m.compile / 1000).toFixed(1)} s, verify ${(m.verify / 1000).toFixed(1)} s (${((100 * m.verify) / total).toFixed(0)}% of the total); ${r.size.parameters} parameters, ratio ${r.ratio.toFixed(2)}, verified ${r.verifiedInputs}`,
  );
}

// not part of the default run (several minutes): issue 5's "random tables with d = 1 and d = 2 compile to
// networks that verify on every input", for every activation of the bar on Q2.3, Q3.4 and Q4.3
if (only === 'sweep') {
  const weights = process.argv[3] === 'binary' ? 'binary' : 'all';
  const acts = weights === 'binary' ? ['sigmoid', 'elu', 'softplus', 'tanh'] : ACTS;
  console.log(`\n## random tables (seed 1), ${weights} weights: compiled and verified on every input`);
  for (const d of [1, 2]) {
    for (const format of ['Q2.3', 'Q3.4', 'Q4.3']) {
      const row: string[] = [];
      for (const activation of acts) {
        const c = makeConfiguration({ format, activation, weights });
        const size = Number(c.format.size);
        const t0 = performance.now();
        const r = construct(c, randomTable(size ** d, Number(c.format.minCode), size, 1), d);
        const ok = r.verifiedInputs === size ** d ? '✓' : '✗';
        row.push(
          `${activation} ${ok} ${r.ratio.toFixed(2)} ${((performance.now() - t0) / 1000).toFixed(1)}s`,
        );
      }
      console.log(`d = ${d} ${format}: ${row.join(' | ')}`);
    }
  }
}

// issue 11's bar: sigmoid, softplus and hard-sigmoid have no zero of σ_F on these formats; idle-set
// certificates (docs/theory.md §8) make them universal, and random tables compile and verify
if (only === 'idle') {
  console.log('\n## idle-set certificates: random tables (seeds 1–3), compiled and verified on every input');
  for (const format of ['Q0.2', 'Q0.3', 'Q1.3']) {
    for (const activation of ['sigmoid', 'softplus', 'hard-sigmoid']) {
      const c = makeConfiguration({ format, activation });
      const size = Number(c.format.size);
      const { report } = certificateFor(c);
      const cert = report.certificate;
      if (!cert) {
        console.log(`${activation} ${format}: no certificate`);
        continue;
      }
      const dec = (code: number) => code / 2 ** c.format.fracBits;
      const row: string[] = [];
      for (const d of [1, 2]) {
        for (const seed of [1, 2, 3]) {
          const t0 = performance.now();
          const r = construct(c, randomTable(size ** d, Number(c.format.minCode), size, seed), d);
          const ok = r.verifiedInputs === size ** d ? '✓' : '✗';
          row.push(
            `d=${d} s${seed} ${ok} ${r.size.parameters}p ${((performance.now() - t0) / 1000).toFixed(1)}s`,
          );
        }
      }
      console.log(
        `${activation} ${format} (a = ${dec(cert.e)}, I = {${cert.idle.map(dec).join(', ')}}, ω = ${dec(cert.omega)}): ${row.join(' | ')}`,
      );
    }
  }
}

// issue 12 item 4: construct on 65,536 points, each cell in its own process (peak memory per cell):
//   npx tsx bench/construct.bench.ts bits16 [--acts a,b] [--cells TYPE:d;…] [--relu-cells TYPE:d;…] [--timeout S]
if (only === 'bits16') {
  const { spawnSync } = await import('node:child_process');
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const acts = (
    arg('--acts') ??
    'relu,sigmoid,tanh,silu,gelu,elu,softplus,mish,leaky-relu,hard-swish,identity,gelu-tanh,hard-sigmoid,step'
  ).split(',');
  const parse = (list: string) =>
    list.split(';').map((cell) => {
      const at = cell.lastIndexOf(':');
      return [cell.slice(0, at), Number(cell.slice(at + 1))] as const;
    });
  const cells = parse(arg('--cells') ?? 'Q7.8:1;ap_fixed<16,6>:1;ap_fixed<16,6,AP_RND,AP_SAT>:1;Q3.4:2');
  // relu only, two-level-wrap's other cells (other roundings and widths under AP_WRAP, AP_SAT with floor)
  const reluCells = parse(
    arg('--relu-cells') ??
      'ap_fixed<16,6,AP_RND,AP_WRAP>:1;ap_fixed<16,6,AP_RND_CONV,AP_WRAP>:1;ap_fixed<16,6,AP_TRN_ZERO,AP_WRAP>:1;' +
        'ap_fixed<16,7>:1;ap_fixed<16,8>:1;ap_fixed<16,6,AP_TRN,AP_SAT>:1',
  );
  const timeout = Number(arg('--timeout') ?? 300);
  console.log(
    '\n## construct on 65,536 points: sin(3*x1) (d = 1), sin(3*x1)*cos(2*x2) (d = 2), one process per cell',
  );
  console.log(
    '| cell | activation | method | parameters | certificate s | compile s | verify s | total s | peak MB |',
  );
  console.log('| --- | --- | --- | --: | --: | --: | --: | --: | --: |');
  const runs = [
    ...cells.flatMap(([type, d]) => acts.map((activation) => [type, d, activation] as const)),
    ...(acts.includes('relu') ? reluCells.map(([type, d]) => [type, d, 'relu'] as const) : []),
  ];
  for (const [type, d, activation] of runs) {
    const t0 = performance.now();
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/construct-cell.ts', activation, type, String(d)],
      { encoding: 'utf8', timeout: timeout * 1000, maxBuffer: 1 << 24 },
    );
    const wall = ((performance.now() - t0) / 1000).toFixed(1);
    const cell = `\`${type}\` d = ${d}`;
    if (run.status !== 0) {
      const why =
        run.signal === 'SIGTERM'
          ? `stopped after ${timeout} s`
          : (run.stderr.split('\n').find((l) => /error/i.test(l)) ?? `exit ${run.status}`).slice(0, 160);
      console.log(`| ${cell} | ${activation} | — | — | — | — | — | ${wall} | — | (${why})`);
      continue;
    }
    const r = JSON.parse(run.stdout.trim().split('\n').pop() as string);
    if (r.error) {
      console.log(
        `| ${cell} | ${activation} | refused | — | — | — | — | ${wall} | — | (${r.error.slice(0, 70)}…)`,
      );
      continue;
    }
    console.log(
      `| ${cell} | ${activation} | ${r.method} | ${r.parameters} | ${r.certificate} | ${r.compile} | ${r.verify} | ${r.total} | ${r.peakMB} |`,
    );
  }
}
