/**
 * Reading ONNX MLPs: models built with test/onnx-builder.ts (every supported operator, both tensor
 * storages, several opsets and shapes) read as chains whose float64 evaluation equals the ONNX
 * operator semantics computed directly from the builder's matrices; and two PyTorch-exported models
 * from ONNX's own test data (test/fixtures/onnx, Apache-2.0) against their stored outputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromDouble } from '../src/core/rational.js';
import { evaluateFloat, floatChain } from '../src/onnx/float-evaluate.js';
import { decodeOnnxModel, onnxModelType } from '../src/onnx/onnx-proto.js';
import { readTensor } from '../src/onnx/onnx-tensor.js';
import { readMlpChain } from '../src/onnx/read-mlp-chain.js';
import { type Act, buildModel, mlpModel, node, randomFloats, randomLayers, tensor } from './onnx-builder.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'onnx');

/** The MLP computed directly from [in, out] matrices in float64. */
function direct(layers: ReturnType<typeof randomLayers>, x: number[], alpha = 0.125): number[] {
  let h = x;
  for (const l of layers) {
    const out = l.bias.map((b, j) => l.weights.reduce((acc, row, i) => acc + row[j] * h[i], b));
    h = out.map((v) => {
      switch (l.act) {
        case 'Relu':
          return Math.max(0, v);
        case 'Sigmoid':
          return 1 / (1 + Math.exp(-v));
        case 'Tanh':
          return Math.tanh(v);
        case 'LeakyRelu':
          return v >= 0 ? v : alpha * v;
        default:
          return v;
      }
    });
  }
  return h;
}

const read = (bytes: Uint8Array) => readMlpChain(decodeOnnxModel(bytes));

describe('MLPs of several shapes and styles', () => {
  const shapes: Array<[number[], Act[]]> = [
    [[3, 1], ['none']],
    [
      [4, 8, 2],
      ['Relu', 'none'],
    ],
    [
      [5, 6, 6, 3],
      ['Sigmoid', 'Tanh', 'none'],
    ],
    [
      [2, 3, 4, 5, 2],
      ['LeakyRelu', 'Relu', 'Tanh', 'none'],
    ],
  ];
  for (const [widths, acts] of shapes) {
    for (const style of ['gemm', 'gemm-transB', 'matmul-add'] as const) {
      for (const storage of ['raw', 'typed'] as const) {
        it(`${widths.join('-')} ${style} ${storage}`, () => {
          const layers = randomLayers(widths, widths.length * 31 + widths[1], acts);
          const chain = read(mlpModel(layers, { style, storage, batch: style === 'matmul-add' ? 'N' : 1 }));
          expect(chain.inputs).toBe(widths[0]);
          expect(chain.steps.filter((s) => s.kind === 'dense').length).toBe(widths.length - 1);
          const f = floatChain(chain);
          for (let r = 0; r < 5; r++) {
            const x = randomFloats(widths[0], 100 + r, 3);
            const got = Array.from(evaluateFloat(f, x));
            const want = direct(layers, x);
            for (const [j, v] of got.entries()) expect(v).toBeCloseTo(want[j], 12);
          }
        });
      }
    }
  }

  it('weights are the exact float32 values', () => {
    const layers = randomLayers([3, 2], 5, ['none']);
    const chain = read(mlpModel(layers, { style: 'gemm-transB' }));
    const dense = chain.steps[0];
    if (dense.kind !== 'dense') throw new Error('expected dense');
    expect(dense.weights[1][2]).toEqual(fromDouble(layers[0].weights[2][1]));
    expect(dense.bias[0]).toEqual(fromDouble(layers[0].bias[0]));
  });

  it('names: node names, or <OpType>_<first output>', () => {
    const layers = randomLayers([2, 3, 1], 9, ['Relu', 'none']);
    expect(read(mlpModel(layers, { named: true })).steps.map((s) => s.name)).toEqual(['fc0', 'act0', 'fc1']);
    expect(read(mlpModel(layers)).steps.map((s) => s.name)).toEqual(['Gemm_t0', 'Relu_t1', 'Gemm_t2']);
  });

  it('a final Softmax is dropped with a note', () => {
    const chain = read(mlpModel(randomLayers([2, 3], 1, ['none']), { softmax: true, named: true }));
    expect(chain.steps.length).toBe(1);
    expect(chain.notes.join()).toMatch(/softmax.*dropped: fxnn outputs the logits/);
  });
});

describe('Gemm attributes', () => {
  // Y = alpha · A · B' + beta · C, B' = B or Bᵀ
  for (const [alpha, beta, transB] of [
    [1, 1, 0],
    [0.5, 1, 1],
    [2.5, 0.25, 0],
    [-1.5, 3, 1],
  ]) {
    it(`alpha ${alpha}, beta ${beta}, transB ${transB}`, () => {
      const k = 3;
      const n = 4;
      const b = randomFloats(k * n, 7);
      const c = randomFloats(n, 8);
      const bytes = buildModel({
        input: { name: 'a', dims: [1, k] },
        output: { name: 'y' },
        nodes: [node('Gemm', ['a', 'B', 'C'], ['y'], { alpha, beta, transB: { int: transB } })],
        initializers: [tensor('B', transB ? [n, k] : [k, n], b), tensor('C', [1, n], c, 'float', 'typed')],
        opset: 9,
      });
      const f = floatChain(read(bytes));
      const a = randomFloats(k, 9, 2);
      const y = evaluateFloat(f, a);
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < k; i++) s += a[i] * b[transB ? j * k + i : i * n + j];
        expect(y[j]).toBeCloseTo(alpha * s + beta * c[j], 12);
      }
    });
  }

  it('a scalar C broadcasts; C absent means no bias', () => {
    const bytes = buildModel({
      input: { name: 'a', dims: [1, 2] },
      output: { name: 'y' },
      nodes: [node('Gemm', ['a', 'B', 'C'], ['h']), node('Gemm', ['h', 'B'], ['y'])],
      initializers: [tensor('B', [2, 2], [1, 2, 3, 4]), tensor('C', [], [0.5])],
    });
    const y = evaluateFloat(floatChain(read(bytes)), [1, 1]);
    // h = (4.5, 6.5); y = (4.5 + 19.5, 9 + 26)
    expect(Array.from(y)).toEqual([24, 35]);
  });
});

describe('constants, storages, opsets and skipped nodes', () => {
  it('Constant nodes, double and int64 tensors, Identity/Dropout/Flatten/Reshape skipped', () => {
    const bytes = buildModel({
      input: { name: 'x', dims: ['batch', 2] },
      output: { name: 'y' },
      nodes: [
        node('Constant', [], ['W'], {
          value: { tensor: tensor('', [2, 2], [1, -1, 0.5, 2], 'double', 'typed') },
        }),
        node('Constant', [], ['shape'], { value: { tensor: tensor('', [2], [-1, 2], 'int64') } }),
        node('Flatten', ['x'], ['f'], { axis: { int: 1 } }),
        node('Identity', ['f'], ['i']),
        node('MatMul', ['i', 'W'], ['m']),
        node('Add', ['bias', 'm'], ['a']),
        node('Dropout', ['a'], ['d'], { ratio: 0.5 }),
        node('Reshape', ['d', 'shape'], ['y']),
      ],
      initializers: [tensor('bias', [1, 2], [0.25, -0.25], 'float', 'typed')],
      opset: 13,
    });
    const chain = read(bytes);
    expect(chain.steps.length).toBe(1);
    expect(chain.steps[0].kind === 'dense' && chain.steps[0].merged).toEqual(['Add_a']);
    expect(Array.from(evaluateFloat(floatChain(chain), [2, 4]))).toEqual([2 + 2 + 0.25, -2 + 8 - 0.25]);
    expect(chain.notes.length).toBe(4);
  });

  it('IR 3 models list initializers among the inputs (opset 7)', () => {
    const bytes = buildModel({
      input: { name: 'x', dims: [1, 2] },
      output: { name: 'y' },
      nodes: [node('Gemm', ['x', 'W', 'b'], ['y'], { transB: { int: 1 } })],
      initializers: [tensor('W', [1, 2], [3, 5]), tensor('b', [1], [1])],
      initializersAsInputs: true,
      irVersion: 3,
      opset: 7,
    });
    expect(Array.from(evaluateFloat(floatChain(read(bytes)), [1, 2]))).toEqual([14]);
  });

  it('MatMul with a leading batch dimension [N, 1, d]', () => {
    const bytes = buildModel({
      input: { name: 'x', dims: ['N', 1, 2] },
      output: { name: 'y' },
      nodes: [node('MatMul', ['x', 'W'], ['y'])],
      initializers: [tensor('W', [2, 1], [2, 3])],
    });
    expect(Array.from(evaluateFloat(floatChain(read(bytes)), [1, 1]))).toEqual([5]);
  });
});

describe('PyTorch exports from ONNX test data', () => {
  const T = onnxModelType().root.lookupType('onnx.TensorProto');
  const pb = (path: string) =>
    readTensor(T.toObject(T.decode(readFileSync(path)), { longs: String }) as never, path);
  for (const name of ['test_Linear', 'test_Linear_no_bias']) {
    it(`${name}: outputs equal the stored float32 outputs to float32 precision`, () => {
      const chain = readMlpChain(decodeOnnxModel(readFileSync(join(FIXTURES, name, 'model.onnx'))));
      const x = pb(join(FIXTURES, name, 'test_data_set_0', 'input_0.pb'));
      const y = pb(join(FIXTURES, name, 'test_data_set_0', 'output_0.pb'));
      const [rows, d] = x.dims;
      const k = y.dims[1];
      const f = floatChain(chain);
      for (let r = 0; r < rows; r++) {
        const out = evaluateFloat(f, x.values.slice(r * d, r * d + d));
        for (let j = 0; j < k; j++) expect(Math.abs(out[j] - y.values[r * k + j])).toBeLessThan(1e-6);
      }
    });
  }
});

describe('Flatten of a multi-dimensional input', () => {
  it('[N, 2, 3] flattened is 6 inputs in row-major order; without the Flatten it is refused', () => {
    const w = randomFloats(6, 3);
    const model = (flatten: boolean) =>
      buildModel({
        input: { name: 'x', dims: ['N', 2, 3] },
        output: { name: 'y' },
        nodes: flatten
          ? [
              node('Flatten', ['x'], ['f'], { axis: { int: 1 } }, 'flat'),
              node('MatMul', ['f', 'W'], ['y'], {}, 'mm'),
            ]
          : [node('MatMul', ['x', 'W3'], ['y'], {}, 'mm')],
        initializers: [tensor('W', [6, 1], w), tensor('W3', [3, 1], w.slice(0, 3))],
      });
    const chain = read(model(true));
    expect(chain.inputs).toBe(6);
    expect(chain.notes[0]).toBe(
      'node "flat" (Flatten): the [2, 3] input is read as 6 values in row-major order',
    );
    const x = randomFloats(6, 4);
    expect(evaluateFloat(floatChain(chain), x)[0]).toBeCloseTo(
      x.reduce((s, v, i) => s + v * w[i], 0),
      12,
    );
    expect(() => read(model(false))).toThrow(
      'not an MLP: the input "x" [?, 2, 3] holds 6 values per sample, the first layer reads 3 (a Flatten would make it one vector)',
    );
  });
});
