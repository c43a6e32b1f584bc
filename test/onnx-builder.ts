/**
 * A small ONNX model builder for tests: models as plain onnx.proto objects, encoded by protobufjs from
 * the shipped onnx.proto (the same library the importer decodes with, but none of the importer's code).
 */
import { encodeOnnxModel, type OnnxModel, type OnnxNode, type OnnxTensor } from '../src/onnx/onnx-proto.js';
import { mulberry32 } from '../src/prng.js';

export type Storage = 'raw' | 'typed';
export type DataType = 'float' | 'double' | 'int64' | 'int32';
const CODES: Record<DataType, number> = { float: 1, double: 11, int64: 7, int32: 6 };

/** A tensor (initializer or Constant value) stored as raw_data or in its typed field. */
export function tensor(
  name: string,
  dims: number[],
  values: number[],
  dataType: DataType = 'float',
  storage: Storage = 'raw',
): OnnxTensor {
  const t: OnnxTensor = { name, dims, data_type: CODES[dataType] };
  if (storage === 'raw') {
    const size = dataType === 'float' || dataType === 'int32' ? 4 : 8;
    const bytes = new Uint8Array(values.length * size);
    const view = new DataView(bytes.buffer);
    values.forEach((v, k) => {
      if (dataType === 'float') view.setFloat32(k * size, v, true);
      else if (dataType === 'double') view.setFloat64(k * size, v, true);
      else if (dataType === 'int32') view.setInt32(k * size, v, true);
      else view.setBigInt64(k * size, BigInt(v), true);
    });
    t.raw_data = bytes;
  } else if (dataType === 'float') t.float_data = values;
  else if (dataType === 'double') t.double_data = values;
  else if (dataType === 'int32') t.int32_data = values;
  else t.int64_data = values;
  return t;
}

export type AttrValue =
  | number
  | string
  | number[]
  | { int: number }
  | { floats: number[] }
  | { tensor: OnnxTensor };

/** A node; numbers are float attributes unless given as `{ int }` or integer arrays. */
export function node(
  op: string,
  inputs: string[],
  outputs: string[],
  attrs: Record<string, AttrValue> = {},
  name = '',
  domain = '',
): OnnxNode {
  const attribute = Object.entries(attrs).map(([key, v]) => {
    if (typeof v === 'number') return { name: key, type: 1, f: v };
    if (typeof v === 'string') return { name: key, type: 3, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name: key, type: 7, ints: v };
    if ('int' in v) return { name: key, type: 2, i: v.int };
    if ('floats' in v) return { name: key, type: 6, floats: v.floats };
    return { name: key, type: 4, t: v.tensor };
  });
  return { input: inputs, output: outputs, name, op_type: op, domain, attribute };
}

export interface ModelSpec {
  readonly input: { name: string; dims: Array<number | string> };
  readonly output: { name: string; dims?: Array<number | string> };
  readonly nodes: OnnxNode[];
  readonly initializers?: OnnxTensor[];
  readonly opset?: number;
  readonly irVersion?: number;
  /** IR < 4 lists initializers among the graph inputs too. */
  readonly initializersAsInputs?: boolean;
  readonly extraInputs?: Array<{ name: string; dims: number[] }>;
  readonly extraOutputs?: string[];
}

function valueInfo(name: string, dims: Array<number | string> = []) {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: 1,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

export function modelObject(spec: ModelSpec): OnnxModel {
  const inits = spec.initializers ?? [];
  return {
    ir_version: spec.irVersion ?? 8,
    producer_name: 'fxnn-test-builder',
    opset_import: [
      { domain: '', version: spec.opset ?? 13 },
      { domain: 'qonnx.custom_op.general', version: 1 },
    ],
    graph: {
      name: 'test',
      node: spec.nodes,
      initializer: inits,
      input: [
        valueInfo(spec.input.name, spec.input.dims),
        ...(spec.initializersAsInputs
          ? inits.map((t) => valueInfo(t.name ?? '', (t.dims ?? []).map(Number)))
          : []),
        ...(spec.extraInputs ?? []).map((i) => valueInfo(i.name, i.dims)),
      ],
      output: [
        valueInfo(spec.output.name, spec.output.dims),
        ...(spec.extraOutputs ?? []).map((n) => valueInfo(n)),
      ],
    },
  };
}

export function buildModel(spec: ModelSpec): Uint8Array {
  return encodeOnnxModel(modelObject(spec));
}

/** Float32 values in [−scale, scale), seeded. */
export function randomFloats(count: number, seed: number, scale = 1): number[] {
  const next = mulberry32(seed);
  return Array.from({ length: count }, () => Math.fround((next() * 2 - 1) * scale));
}

export type DenseStyle = 'gemm' | 'gemm-transB' | 'matmul-add' | 'matmul';
export type Act = 'Relu' | 'Sigmoid' | 'Tanh' | 'LeakyRelu' | 'none';

export interface MlpLayer {
  /** weights[i][j]: input i → output j (the MatMul orientation, [in, out]). */
  readonly weights: number[][];
  readonly bias: number[];
  readonly act: Act;
}

/** Random float32 layers of the given widths (d, h1, …, k). */
export function randomLayers(widths: number[], seed: number, acts: Act[]): MlpLayer[] {
  return widths.slice(1).map((out, l) => {
    const inp = widths[l];
    const flat = randomFloats(inp * out, seed + 17 * l, 1.5);
    return {
      weights: Array.from({ length: inp }, (_, i) => flat.slice(i * out, (i + 1) * out)),
      bias: randomFloats(out, seed + 17 * l + 7, 0.5),
      act: acts[l] ?? 'none',
    };
  });
}

/**
 * An MLP model: every layer as Gemm (B as [in, out]), Gemm with transB (B stored [out, in]),
 * MatMul + Add, or MatMul alone (bias must then be 0); nodes named by `names` or left unnamed.
 */
export function mlpModel(
  layers: MlpLayer[],
  options: {
    style?: DenseStyle;
    storage?: Storage;
    named?: boolean;
    batch?: number | string;
    opset?: number;
    softmax?: boolean;
  } = {},
): Uint8Array {
  const style = options.style ?? 'gemm';
  const storage = options.storage ?? 'raw';
  const nodes: OnnxNode[] = [];
  const inits: OnnxTensor[] = [];
  let current = 'x';
  let counter = 0;
  const fresh = () => `t${counter++}`;
  const nm = (s: string) => (options.named ? s : '');
  layers.forEach((layer, l) => {
    const inp = layer.weights.length;
    const out = layer.bias.length;
    const w = `W${l}`;
    const b = `b${l}`;
    const y = fresh();
    if (style === 'gemm-transB') {
      const t = Array.from({ length: out }, (_, j) => layer.weights.map((row) => row[j]));
      inits.push(
        tensor(w, [out, inp], t.flat(), 'float', storage),
        tensor(b, [out], layer.bias, 'float', storage),
      );
      nodes.push(node('Gemm', [current, w, b], [y], { transB: { int: 1 } }, nm(`fc${l}`)));
    } else if (style === 'gemm') {
      inits.push(
        tensor(w, [inp, out], layer.weights.flat(), 'float', storage),
        tensor(b, [out], layer.bias, 'float', storage),
      );
      nodes.push(node('Gemm', [current, w, b], [y], {}, nm(`fc${l}`)));
    } else {
      inits.push(tensor(w, [inp, out], layer.weights.flat(), 'float', storage));
      if (style === 'matmul-add') {
        const m = fresh();
        inits.push(tensor(b, [out], layer.bias, 'float', storage));
        nodes.push(
          node('MatMul', [current, w], [m], {}, nm(`mm${l}`)),
          node('Add', [m, b], [y], {}, nm(`add${l}`)),
        );
      } else nodes.push(node('MatMul', [current, w], [y], {}, nm(`mm${l}`)));
    }
    current = y;
    if (layer.act !== 'none') {
      const a = fresh();
      nodes.push(
        node(layer.act, [current], [a], layer.act === 'LeakyRelu' ? { alpha: 0.125 } : {}, nm(`act${l}`)),
      );
      current = a;
    }
  });
  if (options.softmax) {
    const s = fresh();
    nodes.push(node('Softmax', [current], [s], { axis: { int: -1 } }, nm('softmax')));
    current = s;
  }
  const d = layers[0].weights.length;
  return buildModel({
    input: { name: 'x', dims: [options.batch ?? 1, d] },
    output: { name: current },
    nodes,
    initializers: inits,
    opset: options.opset,
  });
}
