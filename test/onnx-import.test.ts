/**
 * `importChain`: weights and biases are the float32 values cast by the independent reference's
 * ap_fixed casts (test/hls4ml-reference.ts) into each layer's types; the hls4ml config's precedence
 * (LayerName, QONNX, LayerType, --precision / Model.Precision / ap_fixed<16,6>), plain-string
 * Precision, the input entry, tables; YAML reads as JSON does; QONNX quantizers become types.
 */
import { describe, expect, it } from 'vitest';
import { parseTypedNetworkJson } from '../src/network/typed-network-json.js';
import { evaluateTypedReference } from '../src/network/typed-reference.js';
import { parseHls4mlConfig } from '../src/onnx/hls4ml-config.js';
import { importChain } from '../src/onnx/import-network.js';
import { decodeOnnxModel } from '../src/onnx/onnx-proto.js';
import { readMlpChain } from '../src/onnx/read-mlp-chain.js';
import { mulberry32 } from '../src/prng.js';
import { castAp, parseAp, type RefActivation, type RefDense, referenceEval } from './hls4ml-reference.js';
import { buildModel, mlpModel, node, randomLayers, tensor } from './onnx-builder.js';

const read = (bytes: Uint8Array) => readMlpChain(decodeOnnxModel(bytes));
type Layer = {
  kind: string;
  name: string;
  types: Record<string, unknown>;
  neurons?: Array<{ bias: string; edges: Array<[number, string]> }>;
  activation?: unknown;
  table?: unknown;
};
const layersOf = (json: Record<string, unknown>) => json.layers as Layer[];

describe('weights and biases rounded into their types', () => {
  for (const spec of [
    'ap_fixed<16,6>',
    'ap_fixed<8,3,AP_RND,AP_SAT>',
    'ap_fixed<6,1,AP_RND_CONV,AP_WRAP>',
    'ap_fixed<7,2,AP_TRN_ZERO,AP_SAT_SYM>',
    'ap_fixed<5,0,AP_RND_INF,AP_SAT>',
    'ap_ufixed<8,2,AP_RND_ZERO,AP_SAT>',
    'ap_fixed<10,4,AP_RND_MIN_INF,AP_SAT_ZERO>',
  ]) {
    it(spec, () => {
      const layers = randomLayers([6, 5, 3], 42, ['Relu', 'none']);
      const { json } = importChain(read(mlpModel(layers, { style: 'gemm-transB' })), { precision: spec });
      const t = parseAp(spec);
      layersOf(json)
        .filter((l) => l.kind === 'dense')
        .forEach((l, n) => {
          const src = layers[n];
          l.neurons!.forEach((neuron, j) => {
            expect(Number(neuron.bias)).toBe(castAp(src.bias[j], t));
            const edges = new Map(neuron.edges.map(([i, w]) => [i, Number(w)]));
            src.weights.forEach((row, i) => {
              expect(edges.get(i) ?? 0).toBe(castAp(row[j], t));
            });
          });
        });
    });
  }
});

describe('the precision config', () => {
  const layers = randomLayers([3, 4, 2], 7, ['Sigmoid', 'none']);
  const chain = read(mlpModel(layers, { named: true }));
  const config = (data: unknown) => parseHls4mlConfig(data, 'cfg.json');

  it('defaults: ap_fixed<16,6> everywhere, sigmoid with a 1024-entry ap_fixed<18,8> table', () => {
    const { json } = importChain(chain);
    expect(json.input).toBe('ap_fixed<16,6>');
    const [d, s] = layersOf(json);
    expect(d.types).toEqual({
      weight: 'ap_fixed<16,6>',
      bias: 'ap_fixed<16,6>',
      accum: 'ap_fixed<16,6>',
      result: 'ap_fixed<16,6>',
    });
    expect(s.table).toEqual({ size: 1024, type: 'ap_fixed<18,8>' });
    expect(importChain(chain, { activations: 'exact' }).json.layers).not.toContainEqual(
      expect.objectContaining({ table: expect.anything() }),
    );
  });

  it('Model, LayerName (dict and plain string), input, table_size/table_t; --precision overrides Model', () => {
    const c = config({
      Model: { Precision: 'ap_fixed<12,4>', ReuseFactor: 1 },
      LayerName: {
        input: { Precision: { result: 'ap_fixed<10,3,AP_RND,AP_SAT>' } },
        fc0: { Precision: { weight: 'ap_fixed<8,2>', accum: 'ap_fixed<20,8,AP_RND,AP_SAT>' } },
        act0: {
          Precision: { result: 'ap_ufixed<8,0,AP_RND_INF>' },
          table_size: 512,
          table_t: 'ap_fixed<16,6>',
        },
        fc1: { Precision: 'ap_fixed<9,5,AP_RND_CONV,AP_SAT_SYM>' },
      },
    });
    const { json } = importChain(chain, { config: c });
    const [d0, s, d1] = layersOf(json);
    expect(json.input).toBe('ap_fixed<10,3,AP_RND,AP_SAT>');
    expect(d0.types).toEqual({
      weight: 'ap_fixed<8,2>',
      bias: 'ap_fixed<12,4>',
      accum: 'ap_fixed<20,8,AP_RND,AP_SAT>',
      result: 'ap_fixed<12,4>',
    });
    expect(s.types).toEqual({ result: 'ap_ufixed<8,0,AP_RND_INF>' });
    expect(s.table).toEqual({ size: 512, type: 'ap_fixed<16,6>' });
    const all = 'ap_fixed<9,5,AP_RND_CONV,AP_SAT_SYM>';
    expect(d1.types).toEqual({ weight: all, bias: all, accum: all, result: all });
    const over = importChain(chain, { config: c, precision: 'ap_fixed<14,5>' }).json;
    expect(layersOf(over)[0].types.bias).toBe('ap_fixed<14,5>');
  });

  it('LayerType applies by hls4ml class; LayerName wins over it', () => {
    const c = config({
      LayerType: { Dense: { Precision: { accum: 'ap_fixed<24,10>' } }, Activation: { table_size: 2048 } },
      LayerName: { fc1: { Precision: { accum: 'ap_fixed<22,9>' } } },
    });
    const [d0, s, d1] = layersOf(importChain(chain, { config: c }).json);
    expect(d0.types.accum).toBe('ap_fixed<24,10>');
    expect(d1.types.accum).toBe('ap_fixed<22,9>');
    expect((s.table as { size: number }).size).toBe(2048);
  });

  it('an HLSConfig wrapper and Model.Precision { default }', () => {
    const c = config({ HLSConfig: { Model: { Precision: { default: 'ap_fixed<10,4>' } } }, OutputDir: 'x' });
    expect(importChain(chain, { config: c }).json.input).toBe('ap_fixed<10,4>');
  });

  it('unnamed nodes are named <OpType>_<first output>, and a MatMul + Add answers to both names', () => {
    const c2 = read(mlpModel(randomLayers([2, 2], 3, ['none']), { style: 'matmul-add' }));
    expect(c2.steps[0].name).toBe('MatMul_t1');
    for (const name of ['MatMul_t1', 'Add_t0']) {
      const c = config({ LayerName: { [name]: { Precision: { weight: 'ap_fixed<4,2>' } } } });
      expect(layersOf(importChain(c2, { config: c }).json)[0].types.weight).toBe('ap_fixed<4,2>');
    }
  });
});

describe('QONNX', () => {
  const q = (name: string, x: string, y: string, attrs = {}) => [
    node('Quant', [x, `${name}_s`, `${name}_z`, `${name}_b`], [y], attrs, name, 'qonnx.custom_op.general'),
  ];
  const qInits = (name: string, bits: number, scale: number | number[], dims: number[] = []) => [
    tensor(`${name}_s`, dims, Array.isArray(scale) ? scale : [scale]),
    tensor(`${name}_z`, [], [0]),
    tensor(`${name}_b`, [], [bits]),
  ];

  it('Quant on weights and on the data path; BipolarQuant; types from signed/narrow/rounding_mode', () => {
    const w = [0.3, -0.7, 1.26, 2.9, -3.1, 0.05];
    const bytes = buildModel({
      input: { name: 'x', dims: [1, 2] },
      output: { name: 'y' },
      nodes: [
        ...q('qin', 'x', 'xq', { signed: { int: 1 }, narrow: { int: 0 }, rounding_mode: 'ROUND' }),
        ...q('qw', 'W', 'Wq', { narrow: { int: 1 } }),
        node('MatMul', ['xq', 'Wq'], ['m'], {}, 'mm'),
        node('Relu', ['m'], ['r'], {}, 'relu'),
        ...q('qr', 'r', 'rq', { signed: { int: 0 }, rounding_mode: 'FLOOR' }),
        node('BipolarQuant', ['W2', 's2'], ['W2q'], {}, 'bq', 'qonnx.custom_op.general'),
        node('MatMul', ['rq', 'W2q'], ['y'], {}, 'mm2'),
      ],
      initializers: [
        ...qInits('qin', 6, 0.25),
        tensor('W', [2, 3], w),
        ...qInits('qw', 4, 0.5),
        ...qInits('qr', 5, 0.125),
        tensor('W2', [3, 1], [0.2, -0.1, 0]),
        tensor('s2', [], [1]),
      ],
    });
    const { json } = importChain(read(bytes));
    const [lq, d, r, lr, d2] = layersOf(json);
    expect(lq).toMatchObject({
      kind: 'activation',
      name: 'qin',
      activation: 'linear',
      types: { result: 'ap_fixed<6,4,AP_RND_CONV,AP_SAT>' },
    });
    // narrow 4-bit, scale 1/2: codes −7 … 7, ROUND = half even: 0.3→0.5, −0.7→−0.5, 1.26→1.5, 2.9→3, −3.1→−3 (clamp 3.5), 0.05→0
    expect(d.types.weight).toBe('ap_fixed<4,3,AP_RND_CONV,AP_SAT_SYM>');
    expect(d.neurons!.map((n) => n.edges)).toEqual([
      [
        [0, '0.5'],
        [1, '3'],
      ],
      [
        [0, '-0.5'],
        [1, '-3'],
      ],
      [[0, '1.5']],
    ]);
    expect(r).toMatchObject({ activation: 'relu' });
    expect(lr.types.result).toBe('ap_ufixed<5,2,AP_TRN,AP_SAT>');
    expect(d2.types.weight).toBe('ap_fixed<2,2>');
    expect(d2.neurons![0].edges).toEqual([
      [0, '1'],
      [1, '-1'],
      [2, '1'],
    ]);
  });

  it('per-channel power-of-two weight scales: one type holding every channel', () => {
    const bytes = buildModel({
      input: { name: 'x', dims: [1, 2] },
      output: { name: 'y' },
      nodes: [...q('qw', 'W', 'Wq'), node('MatMul', ['x', 'Wq'], ['y'], {}, 'mm')],
      initializers: [tensor('W', [2, 2], [0.3, 3.3, -0.3, -9]), ...qInits('qw', 4, [0.25, 1], [1, 2])],
    });
    const [d] = layersOf(importChain(read(bytes)).json);
    // channel 0: scale 1/4, codes −8 … 7 → 0.25, −0.25; channel 1: scale 1, → 3, −8
    expect(d.types.weight).toBe('ap_fixed<6,4,AP_RND_CONV,AP_SAT>');
    expect(d.neurons!.map((n) => n.edges)).toEqual([
      [
        [0, '0.25'],
        [1, '-0.25'],
      ],
      [
        [0, '3'],
        [1, '-8'],
      ],
    ]);
  });
});

describe('import → evaluation agrees with the float64-then-round reference of hls4ml', () => {
  const configs: Array<[string, Record<string, unknown>]> = [
    ['uniform ap_fixed<16,6>', { Model: { Precision: 'ap_fixed<16,6>' } }],
    [
      'rounding + saturating, wider accumulators',
      {
        Model: { Precision: 'ap_fixed<10,4,AP_RND,AP_SAT>' },
        LayerType: { Dense: { Precision: { accum: 'ap_fixed<18,8,AP_RND,AP_SAT>' } } },
      },
    ],
    [
      'mixed per-layer types: AP_RND_INF, AP_SAT_SYM, ap_ufixed results, wrap',
      {
        Model: { Precision: 'ap_fixed<8,3>' },
        LayerName: {
          input: { Precision: 'ap_fixed<8,3>' },
          fc0: {
            Precision: {
              weight: 'ap_fixed<6,2,AP_RND_INF,AP_SAT_SYM>',
              bias: 'ap_fixed<8,3,AP_RND_CONV>',
              accum: 'ap_fixed<12,5,AP_RND_INF,AP_SAT_SYM>',
              result: 'ap_fixed<9,4,AP_RND,AP_SAT>',
            },
          },
          act0: { Precision: { result: 'ap_ufixed<6,2,AP_RND_INF,AP_SAT>' } },
          fc1: {
            Precision: {
              weight: 'ap_fixed<5,1,AP_TRN_ZERO>',
              accum: 'ap_fixed<7,3>',
              result: 'ap_fixed<7,3,AP_RND_MIN_INF,AP_SAT_ZERO>',
            },
          },
          act1: { Precision: { result: 'ap_fixed<6,2,AP_RND_ZERO,AP_SAT>' } },
        },
      },
    ],
  ];
  for (const [title, data] of configs) {
    it(title, () => {
      const layers = randomLayers([4, 6, 5, 3], 11, ['Relu', 'Relu', 'none']);
      const chain = read(
        mlpModel(layers, { named: true, style: title.startsWith('mixed') ? 'gemm' : 'matmul-add' }),
      );
      const { json } = importChain(chain, { config: parseHls4mlConfig(data, 'cfg') });
      const net = parseTypedNetworkJson(json);
      const types = layersOf(json);
      // the reference: dense layers from the float32 values, activations relu
      const ref: Array<RefDense | RefActivation> = [];
      let k = 0;
      for (const l of types) {
        if (l.kind === 'dense') {
          const t = l.types as Record<string, string>;
          ref.push({
            kind: 'dense',
            weights: layers[k].weights,
            bias: layers[k].bias,
            types: {
              weight: parseAp(t.weight),
              bias: parseAp(t.bias),
              accum: parseAp(t.accum),
              result: parseAp(t.result),
            },
          });
          k++;
        } else ref.push({ kind: 'relu', result: parseAp((l.types as Record<string, string>).result) });
      }
      const inType = parseAp(json.input as string);
      const frac = inType.width - inType.int;
      const next = mulberry32(5);
      for (let r = 0; r < 300; r++) {
        const x = Array.from({ length: 4 }, () =>
          castAp((next() * 2 - 1) * 2 ** (inType.int - 1) * 1.1, inType),
        );
        const want = referenceEval(ref, x);
        const codes = evaluateTypedReference(
          net,
          x.map((v) => BigInt(v * 2 ** frac)),
        );
        const outFrac =
          types[types.length - 1].kind === 'dense'
            ? parseAp((types[types.length - 1].types as Record<string, string>).result)
            : inType;
        const got = codes.map((c) => Number(c) / 2 ** (outFrac.width - outFrac.int));
        expect(got).toEqual(want);
      }
    });
  }
});

describe('LeakyRelu as hls4ml computes it', () => {
  it("alpha is the float32 attribute cast into the layer's input type (leaky_relu's data_T alpha)", () => {
    const layers = randomLayers([2, 3, 1], 4, ['LeakyRelu', 'none']);
    const chain = read(mlpModel(layers, { named: true }));
    const config = parseHls4mlConfig(
      { LayerName: { fc0: { Precision: { result: 'ap_fixed<8,3,AP_RND>' } } } },
      'c',
    );
    const [, leaky] = layersOf(importChain(chain, { config }).json);
    // the builder's alpha 0.125 is exact in ap_fixed<8,3> (5 fractional bits)
    expect(leaky.activation).toEqual({ name: 'leaky-relu', alpha: '0.125' });
    const c2 = read(
      buildModel({
        input: { name: 'x', dims: [1, 1] },
        output: { name: 'y' },
        nodes: [
          node('MatMul', ['x', 'W'], ['h'], {}, 'mm'),
          node('LeakyRelu', ['h'], ['y'], { alpha: 0.01 }, 'lr'),
        ],
        initializers: [tensor('W', [1, 1], [1])],
      }),
    );
    for (const spec of ['ap_fixed<16,6>', 'ap_fixed<12,2,AP_RND>', 'ap_fixed<20,4,AP_RND_CONV>']) {
      const [, lr] = layersOf(importChain(c2, { precision: spec }).json);
      expect(Number((lr.activation as { alpha: string }).alpha)).toBe(
        castAp(Math.fround(0.01), parseAp(spec)),
      );
    }
  });
});

describe('--weight-values hls4ml-text', () => {
  it("emulates hls4ml's writer: F decimal places (ties to even, as Python prints), then the type's rounding", () => {
    const bytes = (w: number) =>
      buildModel({
        input: { name: 'x', dims: [1, 1] },
        output: { name: 'y' },
        nodes: [node('MatMul', ['x', 'W'], ['y'], {}, 'mm')],
        initializers: [tensor('W', [1, 1], [w])],
      });
    const weight = (w: number, precision: string, weightValues: 'float32' | 'hls4ml-text') =>
      layersOf(importChain(read(bytes(w)), { precision, weightValues }).json)[0].neurons![0].edges[0]?.[1] ??
      '0';
    // float32 0.031249…: AP_TRN of the value is 0; printed "0.03125" it is 1/32
    expect(weight(0.031249, 'ap_fixed<8,3>', 'float32')).toBe('0');
    expect(weight(0.031249, 'ap_fixed<8,3>', 'hls4ml-text')).toBe('0.03125');
    // 0.03125 with 4 decimals prints "0.0312" (ties to even), which AP_RND on the 1/16 grid makes 0; the value itself is a tie → 1/16
    expect(weight(0.03125, 'ap_fixed<7,3,AP_RND>', 'float32')).toBe('0.0625');
    expect(weight(0.03125, 'ap_fixed<7,3,AP_RND>', 'hls4ml-text')).toBe('0');
  });
});
