/**
 * Benchmark of `fxnn eval net.json --inputs X.csv --out Y.csv` (issue 14's bar: 100,000 rows of a
 * 16-64-32-32-5 ap_fixed<16,6> model in under 10 s). Writes a random model and random inputs to a
 * temporary directory, runs the CLI, checks a sample of rows against the reference evaluator and
 * prints the time. Run: npx tsx bench/eval-inputs.bench.ts [rows]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { roundValue } from '../src/fixed.js';
import { outputType } from '../src/network/typed-network.js';
import { parseTypedNetworkJson } from '../src/network/typed-network-json.js';
import { evaluateTypedReference } from '../src/network/typed-reference.js';
import { mulberry32 } from '../src/prng.js';
import { codeToDecimal } from '../src/value.js';

const rows = Number(process.argv[2] ?? 100_000);
const T = 'ap_fixed<16,6>';
const rand = mulberry32(14);
const val = (scale: number) => roundValue(T, ((rand() * 2 - 1) * scale).toFixed(6)).value;
const sizes = [16, 64, 32, 32, 5];
const layers: unknown[] = [];
for (let l = 1; l < sizes.length; l++) {
  layers.push({
    kind: 'dense',
    name: `Gemm_${l}`,
    types: { weight: T, bias: T, accum: T, result: T },
    neurons: Array.from({ length: sizes[l] }, () => ({
      bias: val(0.5),
      edges: Array.from({ length: sizes[l - 1] }, (_, j) => [j, val(1 / Math.sqrt(sizes[l - 1]))]),
    })),
  });
  if (l < sizes.length - 1)
    layers.push({ kind: 'activation', name: `Relu_${l}`, activation: 'relu', types: { result: T } });
}
const json = { fxnn: 2, inputs: 16, input: T, layers };
const dir = mkdtempSync(join(tmpdir(), 'fxnn-bench-'));
writeFileSync(join(dir, 'net.json'), JSON.stringify(json));
const lines = ['x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,x11,x12,x13,x14,x15,x16'];
for (let r = 0; r < rows; r++)
  lines.push(Array.from({ length: 16 }, () => ((rand() * 2 - 1) * 4).toFixed(6)).join(','));
writeFileSync(join(dir, 'X.csv'), `${lines.join('\n')}\n`);
const t0 = performance.now();
execFileSync(
  'node',
  [
    'bin/fxnn.js',
    'eval',
    join(dir, 'net.json'),
    '--inputs',
    join(dir, 'X.csv'),
    '--round-inputs',
    '--out',
    join(dir, 'Y.csv'),
  ],
  { stdio: 'inherit' },
);
const seconds = (performance.now() - t0) / 1000;
const out = readFileSync(join(dir, 'Y.csv'), 'utf8').trimEnd().split('\n');
const net = parseTypedNetworkJson(json);
const fmt = outputType(net).format;
for (const r of [1, 2, Math.floor(rows / 2), rows]) {
  const x = lines[r].split(',').map((v) => roundValue(T, v).code);
  const want = evaluateTypedReference(net, x)
    .map((c) => codeToDecimal(c, fmt))
    .join(',');
  if (out[r] !== want) throw new Error(`row ${r}: CLI ${out[r]}, reference ${want}`);
}
if (out.length !== rows + 1) throw new Error(`expected ${rows + 1} lines, got ${out.length}`);
console.log(
  `eval --inputs: ${rows} rows of 16-64-32-32-5 ${T} in ${seconds.toFixed(2)} s (checked against the reference)`,
);
