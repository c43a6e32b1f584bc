/**
 * Trains the small MLP of docs/import.md and exports it as ONNX: three Gaussian classes in 4-D,
 * a 4-16-8-3 network (Gemm with transB and Relu, as PyTorch exports nn.Linear + ReLU, node names
 * like torch.onnx's "/fc1/Gemm"; a final Softmax), trained by full-batch gradient descent on the
 * softmax cross-entropy in float64, weights stored as float32. Deterministic (seeded).
 *
 *   npx tsx examples/train-mlp.ts        # writes examples/mlp/model.onnx and examples/mlp/X.csv
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOnnxModel } from '../src/onnx/onnx-proto.js';
import { mulberry32 } from '../src/prng.js';
import { modelObject, node, tensor } from '../test/onnx-builder.js';

const OUT = join(import.meta.dirname, 'mlp');
const next = mulberry32(2024);
const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
const CENTERS = [
  [1.5, 1, -0.5, 0],
  [-1, 1.5, 0.5, -1],
  [0, -1.5, 1, 1],
];
function sample(n: number): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (let k = 0; k < n; k++) {
    const c = k % 3;
    x.push(CENTERS[c].map((m) => Number((m + 0.8 * gauss()).toFixed(4))));
    y.push(c);
  }
  return { x, y };
}
const train = sample(600);
const test = sample(200);

const sizes = [4, 16, 8, 3];
// W[l][j][i]: input i → output j (the nn.Linear orientation)
const W = sizes
  .slice(1)
  .map((out, l) =>
    Array.from({ length: out }, () =>
      Array.from({ length: sizes[l] }, () => gauss() * Math.sqrt(2 / sizes[l])),
    ),
  );
const B = sizes.slice(1).map((out) => new Array(out).fill(0));

function forward(x: number[]): number[][] {
  const hs = [x];
  let h = x;
  W.forEach((w, l) => {
    const z = w.map((row, j) => row.reduce((s, v, i) => s + v * h[i], B[l][j]));
    h = l < W.length - 1 ? z.map((v) => Math.max(0, v)) : z;
    hs.push(h);
  });
  return hs;
}

const rate = 0.05;
for (let epoch = 0; epoch < 400; epoch++) {
  const gW = W.map((w) => w.map((row) => row.map(() => 0)));
  const gB = B.map((b) => b.map(() => 0));
  train.x.forEach((x, n) => {
    const hs = forward(x);
    const z = hs[hs.length - 1];
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    let delta = e.map((v, j) => v / s - (j === train.y[n] ? 1 : 0));
    for (let l = W.length - 1; l >= 0; l--) {
      const h = hs[l];
      delta.forEach((d, j) => {
        gB[l][j] += d;
        h.forEach((v, i) => {
          gW[l][j][i] += d * v;
        });
      });
      if (l > 0) delta = h.map((v, i) => (v > 0 ? W[l].reduce((a, row, j) => a + row[i] * delta[j], 0) : 0));
    }
  });
  W.forEach((w, l) => {
    w.forEach((row, j) => {
      row.forEach((_, i) => {
        row[i] -= (rate * gW[l][j][i]) / train.x.length;
      });
      B[l][j] -= (rate * gB[l][j]) / train.x.length;
    });
  });
}
for (const w of W) for (const row of w) for (const [i, v] of row.entries()) row[i] = Math.fround(v);
for (const b of B) for (const [j, v] of b.entries()) b[j] = Math.fround(v);
const accuracy = (d: { x: number[][]; y: number[] }) =>
  d.x.filter((x, n) => {
    const z = forward(x).at(-1)!;
    return z.indexOf(Math.max(...z)) === d.y[n];
  }).length / d.x.length;
console.log(`train accuracy ${accuracy(train).toFixed(3)}, test accuracy ${accuracy(test).toFixed(3)}`);

const nodes = [];
const inits = [];
let current = 'input';
for (let l = 0; l < W.length; l++) {
  inits.push(
    tensor(`fc${l + 1}.weight`, [sizes[l + 1], sizes[l]], W[l].flat()),
    tensor(`fc${l + 1}.bias`, [sizes[l + 1]], B[l]),
  );
  const z = `/fc${l + 1}/Gemm_output_0`;
  nodes.push(
    node(
      'Gemm',
      [current, `fc${l + 1}.weight`, `fc${l + 1}.bias`],
      [z],
      { alpha: 1, beta: 1, transB: { int: 1 } },
      `/fc${l + 1}/Gemm`,
    ),
  );
  current = z;
  if (l < W.length - 1) {
    const r = `/relu${l + 1}/Relu_output_0`;
    nodes.push(node('Relu', [current], [r], {}, `/relu${l + 1}/Relu`));
    current = r;
  }
}
nodes.push(node('Softmax', [current], ['output'], { axis: { int: 1 } }, '/softmax/Softmax'));
const model = modelObject({
  input: { name: 'input', dims: ['batch', 4] },
  output: { name: 'output', dims: ['batch', 3] },
  nodes,
  initializers: inits,
  opset: 13,
});
model.producer_name = 'fxnn examples/train-mlp.ts';
writeFileSync(join(OUT, 'model.onnx'), encodeOnnxModel(model));
writeFileSync(join(OUT, 'X.csv'), `x1,x2,x3,x4\n${test.x.map((x) => x.join(',')).join('\n')}\n`);
writeFileSync(join(OUT, 'labels.csv'), `class\n${test.y.join('\n')}\n`);
