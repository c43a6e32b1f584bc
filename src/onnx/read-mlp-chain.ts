/**
 * Reads an ONNX graph as an MLP chain (docs/import.md "What is imported"): one data input, one
 * output, and between them a path of nodes each reading the previous node's output and constants.
 * Gemm (alpha, beta, transB exactly; transA needs a column input and is refused), MatMul (+ Add as
 * its bias, also with a leading batch dimension), Relu, Sigmoid, Tanh, LeakyRelu, Identity/Dropout
 * (skipped), Flatten/Reshape that keep the feature vector, a final Softmax (dropped with a note), and
 * QONNX Quant/BipolarQuant/Trunc. Constants are initializers (raw or typed data) and Constant nodes;
 * Quant/BipolarQuant/Identity of constants are folded. Anything else is one error naming the node.
 */
import { add, fromDouble, mul, type Rational, ZERO } from '../core/rational.js';
import { check, FxnnError } from '../errors.js';
import type { ChainStep, DenseStep, MlpChain, TypeSpec } from './mlp-chain.js';
import type { OnnxAttribute, OnnxModel, OnnxNode } from './onnx-proto.js';
import { readTensor, type Tensor } from './onnx-tensor.js';
import { dataQuant, type QuantAttributes, quantizeConstant } from './qonnx-quant.js';

const QONNX_OPS = new Set(['Quant', 'IntQuant', 'BipolarQuant', 'Trunc']);
const ACTIVATIONS: Record<string, 'relu' | 'sigmoid' | 'tanh' | 'leaky-relu'> = {
  Relu: 'relu',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  LeakyRelu: 'leaky-relu',
};

/** The name a node has in reports and configs: its name, or `<OpType>_<first output>` (hls4ml's rule). */
export function nodeName(node: OnnxNode): string {
  if (node.name) return node.name;
  return `${node.op_type ?? 'Node'}_${node.output?.[0] ?? ''}`;
}

function describe(node: OnnxNode): string {
  return `node "${nodeName(node)}" (${node.op_type})`;
}

function attribute(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return node.attribute?.find((a) => a.name === name);
}
function intAttr(node: OnnxNode, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a?.i === undefined ? fallback : Number(a.i);
}
function floatAttr(node: OnnxNode, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a?.f === undefined ? fallback : Math.fround(a.f);
}
function stringAttr(node: OnnxNode, name: string, fallback: string): string {
  const a = attribute(node, name);
  return a?.s === undefined ? fallback : new TextDecoder().decode(a.s);
}
function quantAttrs(node: OnnxNode): QuantAttributes {
  return {
    signed: intAttr(node, 'signed', 1) !== 0,
    narrow: intAttr(node, 'narrow', 0) !== 0,
    roundingMode: stringAttr(node, 'rounding_mode', node.op_type === 'Trunc' ? 'FLOOR' : 'ROUND'),
  };
}

/** The value of a Constant node (value, value_float(s), value_int(s)). */
function constantNodeValue(node: OnnxNode): Tensor {
  const what = describe(node);
  for (const a of node.attribute ?? []) {
    switch (a.name) {
      case 'value':
        if (a.t) return readTensor(a.t, `${what} value`);
        break;
      case 'value_float':
        return { dims: [], values: [Math.fround(a.f ?? 0)] };
      case 'value_floats':
        return { dims: [a.floats?.length ?? 0], values: (a.floats ?? []).map(Math.fround) };
      case 'value_int':
        return { dims: [], values: [Number(a.i ?? 0)] };
      case 'value_ints':
        return { dims: [a.ints?.length ?? 0], values: (a.ints ?? []).map(Number) };
    }
  }
  throw new FxnnError(`${what}: a Constant needs a numeric value attribute`, 'model');
}

/** A constant with exact values and, when a quantizer produced it, the type its values are in. */
interface Constant {
  readonly dims: readonly number[];
  readonly values: readonly Rational[];
  readonly raw: Tensor;
  readonly type?: TypeSpec;
}

function fromTensor(t: Tensor): Constant {
  return { dims: t.dims, values: t.values.map(fromDouble), raw: t };
}

/** Reads the MLP chain of a decoded model. */
export function readMlpChain(model: OnnxModel): MlpChain {
  const graph = model.graph ?? {};
  const constants = new Map<string, Constant>();
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    constants.set(name, fromTensor(readTensor(t, `initializer "${name}"`)));
  }
  const nodes = [...(graph.node ?? [])];
  // fold constants: Constant nodes, and quantizers / Identity whose inputs are all constant
  const folded = new Set<OnnxNode>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const node of nodes) {
      if (folded.has(node)) continue;
      const op = node.op_type ?? '';
      const ins = (node.input ?? []).filter((n) => n !== '');
      const out = node.output?.[0] ?? '';
      if (op === 'Constant') {
        constants.set(out, fromTensor(constantNodeValue(node)));
      } else if (
        ins.length > 0 &&
        ins.every((n) => constants.has(n)) &&
        (op === 'Identity' || op === 'Transpose' || QONNX_OPS.has(op))
      ) {
        const x = constants.get(ins[0])!;
        if (op === 'Identity') constants.set(out, x);
        else if (op === 'Transpose') constants.set(out, transposeConstant(x, node));
        else {
          const q = quantizeConstant(
            op,
            x.raw,
            (node.input ?? []).slice(1).map((n) => constants.get(n)?.raw),
            quantAttrs(node),
            describe(node),
          );
          const dims = x.dims;
          constants.set(out, {
            dims,
            values: q.values,
            type: q.type,
            raw: { dims, values: q.values.map(toDouble) },
          });
        }
      } else continue;
      folded.add(node);
      changed = true;
    }
  }

  const dataInputs = (graph.input ?? []).filter((v) => !constants.has(v.name ?? ''));
  check(
    dataInputs.length === 1,
    () =>
      `not an MLP: the graph has ${dataInputs.length} data inputs${dataInputs.length ? ` (${dataInputs.map((v) => v.name).join(', ')})` : ''}; fxnn imports graphs with one`,
    'model',
  );
  const outputs = graph.output ?? [];
  check(
    outputs.length === 1,
    () =>
      `not an MLP: the graph has ${outputs.length} outputs (${outputs.map((v) => v.name).join(', ')}); fxnn imports graphs with one`,
    'model',
  );
  const input = dataInputs[0];
  const inputName = input.name ?? '';
  const outputName = outputs[0].name ?? '';
  const shape = (input.type?.tensor_type?.shape?.dim ?? []).map((d) =>
    d.dim_value !== undefined && d.dim_param === undefined ? Number(d.dim_value) : null,
  );
  // the features are the last dimension; the others must be 1 or a batch dimension
  let width: number | null = shape.length ? shape[shape.length - 1] : null;
  let leading = shape.slice(0, -1);
  const live = nodes.filter((n) => !folded.has(n));
  const steps: ChainStep[] = [];
  const notes: string[] = [];
  const visited = new Set<OnnxNode>();
  let current = inputName;
  let lastDense: DenseStep | null = null; // a dense step an Add may still merge into

  const constantInput = (node: OnnxNode, k: number, what: string): Constant => {
    const name = node.input?.[k] ?? '';
    const c = constants.get(name);
    if (!c) {
      throw new FxnnError(
        `${describe(node)}: input ${k + 1} (${what}) "${name}" is ${name === '' ? 'missing' : 'not a constant: no initializer or Constant node of that name'}`,
        'model',
      );
    }
    return c;
  };

  for (;;) {
    const consumers = live.filter((n) => (n.input ?? []).includes(current));
    if (consumers.length === 0) break;
    if (consumers.length > 1) {
      throw new FxnnError(
        `not an MLP: tensor "${current}" feeds ${consumers.length} nodes (${consumers.map(describe).join(', ')}); fxnn imports a chain of layers`,
        'model',
      );
    }
    if (current === outputName) {
      throw new FxnnError(
        `not an MLP: the graph output "${current}" also feeds ${describe(consumers[0])}`,
        'model',
      );
    }
    const node = consumers[0];
    visited.add(node);
    const op = node.op_type ?? '';
    const name = nodeName(node);
    const ins = node.input ?? [];
    const dataAt = ins.indexOf(current);
    check(
      ins.filter((n) => n === current).length === 1,
      () => `not an MLP: ${describe(node)} reads "${current}" twice`,
      'model',
    );
    const next = node.output?.[0] ?? '';
    const merge: DenseStep | null = lastDense;
    lastDense = null;
    if (op === 'Gemm') {
      check(dataAt === 0, () => `${describe(node)}: the data must be input A (the first input)`, 'model');
      check(
        intAttr(node, 'transA', 0) === 0,
        () => `${describe(node)}: transA = 1 (the data transposed) is not an MLP layer fxnn imports`,
        'model',
      );
      const alpha = fromDouble(floatAttr(node, 'alpha', 1));
      const beta = fromDouble(floatAttr(node, 'beta', 1));
      const b = constantInput(node, 1, 'B');
      check(
        b.dims.length === 2,
        () => `${describe(node)}: B has shape [${b.dims.join(', ')}], expected 2-D`,
        'model',
      );
      const transB = intAttr(node, 'transB', 0) !== 0;
      const [k, n] = transB ? [b.dims[1], b.dims[0]] : [b.dims[0], b.dims[1]];
      check(
        width === null || width === k,
        () => `${describe(node)}: B expects ${k} inputs, the data has ${width}`,
        'model',
      );
      check(
        leading.length <= 1,
        () => `${describe(node)}: A must be 2-D (a batch [N, ${k}]), got [${[...leading, width].join(', ')}]`,
        'model',
      );
      const weights = Array.from({ length: n }, (_, j) =>
        Array.from({ length: k }, (_, i) => mul(alpha, b.values[transB ? j * k + i : i * n + j])),
      );
      let bias: Rational[] = new Array(n).fill(ZERO);
      let biasType: TypeSpec | undefined;
      if (ins.length > 2 && ins[2] !== '') {
        const c = constantInput(node, 2, 'C');
        bias = biasVector(c, n, node).map((v) => mul(beta, v));
        if (beta.num === beta.den) biasType = c.type;
      }
      const dense: DenseStep = {
        kind: 'dense',
        name,
        opType: op,
        merged: [],
        inputs: k,
        outputs: n,
        weights,
        bias,
        weightType: alpha.num === alpha.den ? b.type : undefined,
        biasType,
      };
      steps.push(dense);
      lastDense = dense;
      width = n;
      leading = leading.length ? [leading[0]] : [];
    } else if (op === 'MatMul') {
      check(dataAt === 0, () => `${describe(node)}: the data must be the first input (x · W)`, 'model');
      const b = constantInput(node, 1, 'B');
      const dims = [...b.dims];
      while (dims.length > 2 && dims[0] === 1) dims.shift();
      check(
        dims.length === 2,
        () => `${describe(node)}: B has shape [${b.dims.join(', ')}], expected [K, N]`,
        'model',
      );
      const [k, n] = dims;
      check(
        width === null || width === k,
        () => `${describe(node)}: B expects ${k} inputs, the data has ${width}`,
        'model',
      );
      const dense: DenseStep = {
        kind: 'dense',
        name,
        opType: op,
        merged: [],
        inputs: k,
        outputs: n,
        weights: Array.from({ length: n }, (_, j) =>
          Array.from({ length: k }, (_, i) => b.values[i * n + j]),
        ),
        bias: new Array(n).fill(ZERO),
        weightType: b.type,
      };
      steps.push(dense);
      lastDense = dense;
      width = n;
    } else if (op === 'Add') {
      if (!merge) {
        throw new FxnnError(
          `${describe(node)}: Add is imported only as the bias of the MatMul or Gemm right before it`,
          'model',
        );
      }
      const c = constantInput(node, 1 - dataAt, 'the bias');
      const extra = biasVector(c, merge.outputs, node);
      const zeroBefore = merge.bias.every((v) => v.num === 0n);
      const merged: DenseStep = {
        ...merge,
        merged: [...merge.merged, name],
        bias: merge.bias.map((v, j) => add(v, extra[j])),
        biasType: zeroBefore ? c.type : undefined,
      };
      steps[steps.length - 1] = merged;
      lastDense = merged;
    } else if (op in ACTIVATIONS) {
      const activation = ACTIVATIONS[op];
      steps.push(
        activation === 'leaky-relu'
          ? {
              kind: 'activation',
              name,
              opType: op,
              activation,
              alpha: fromDouble(floatAttr(node, 'alpha', 0.01)),
            }
          : { kind: 'activation', name, opType: op, activation },
      );
    } else if (op === 'Identity' || op === 'Dropout') {
      if (op === 'Dropout') {
        const mask = node.output?.[1];
        check(
          !mask ||
            (!live.some((n) => (n.input ?? []).includes(mask)) && !outputs.some((o) => o.name === mask)),
          () => `${describe(node)}: its mask output "${mask}" is used; fxnn imports inference graphs`,
          'model',
        );
      }
      notes.push(`${describe(node)} skipped (the identity at inference)`);
      lastDense = merge;
    } else if (op === 'Flatten' || op === 'Reshape') {
      // harmless when the result is [batch, features] with the features in row-major order: a
      // [N, a, b, …] input flattened after the batch axis (the fxnn inputs are then its a·b·… values)
      const inner = [...leading.slice(1), width];
      const known = inner.every((d) => d !== null);
      const features = known ? (inner as number[]).reduce((a, b) => a * b, 1) : null;
      let ok = leading.length === 0 ? true : leading[0] === null || leading[0] === 1 || inner.length >= 1;
      if (op === 'Flatten') {
        const axis = intAttr(node, 'axis', 1);
        ok =
          ok && (axis === 1 || (axis === -1 && inner.length === 1)) && (leading.length >= 1 || axis === -1);
      } else {
        const target = constantInput(node, 1, 'shape').raw.values;
        const last = target[target.length - 1];
        ok =
          ok &&
          target.length === 2 &&
          (target[0] === 1 || target[0] === -1 || target[0] === 0 || target[0] === leading[0]) &&
          (last === -1 ||
            (features !== null && last === features) ||
            (features === null && inner.length === 1));
      }
      check(
        ok && (features !== null || inner.length === 1),
        () =>
          `${describe(node)}: only a ${op} to [batch, features] (row-major, after the batch axis) can be imported`,
        'model',
      );
      if (inner.length > 1)
        notes.push(
          `${describe(node)}: the [${inner.join(', ')}] input is read as ${features} values in row-major order`,
        );
      else notes.push(`${describe(node)} skipped (keeps the feature vector)`);
      width = features ?? width;
      leading = leading.length ? [leading[0]] : [];
      lastDense = merge;
    } else if (op === 'Softmax' || op === 'LogSoftmax') {
      const last = next === outputName && !live.some((n) => n !== node && (n.input ?? []).includes(next));
      check(
        last && op === 'Softmax',
        () =>
          `${describe(node)}: ${op} is only supported as the last node (dropped: fxnn outputs the logits)`,
        'model',
      );
      notes.push(`${describe(node)} dropped: fxnn outputs the logits (Softmax keeps their argmax)`);
    } else if (QONNX_OPS.has(op)) {
      check(dataAt === 0, () => `${describe(node)}: the data must be the first input`, 'model');
      const quant = dataQuant(
        op === 'IntQuant' ? 'Quant' : op,
        ins.slice(1).map((n) => (n === '' ? undefined : constants.get(n)?.raw)),
        quantAttrs(node),
        describe(node),
      );
      steps.push({ kind: 'quant', name, opType: op, quant });
    } else {
      const hint =
        /^(Conv|ConvTranspose|MaxPool|AveragePool|GlobalAveragePool|BatchNormalization|LSTM|GRU|RNN)$/.test(
          op,
        )
          ? ' (fxnn imports MLPs: dense layers and elementwise activations)'
          : '';
      throw new FxnnError(`unsupported operator: ${describe(node)}${hint}`, 'model');
    }
    current = next;
  }
  if (current !== outputName) {
    throw new FxnnError(
      `not an MLP: the path from input "${inputName}" ends at "${current}", not at the graph output "${outputName}"`,
      'model',
    );
  }
  const stray = live.filter((n) => !visited.has(n));
  if (stray.length > 0) {
    const unsupported = stray.find(
      (n) =>
        !['Gemm', 'MatMul', 'Add', 'Identity', 'Dropout', ...Object.keys(ACTIVATIONS)].includes(
          n.op_type ?? '',
        ),
    );
    throw new FxnnError(
      unsupported && !(unsupported.input ?? []).some((n) => n !== '' && !constants.has(n))
        ? `unsupported operator: ${describe(unsupported)} on constants`
        : `not an MLP: ${stray.map(describe).join(', ')} ${stray.length === 1 ? 'is' : 'are'} off the path from input to output`,
      'model',
    );
  }
  check(
    steps.some((s) => s.kind === 'dense'),
    () => 'not an MLP: the graph has no Gemm or MatMul layer',
    'model',
  );
  const firstDense = steps.find((s) => s.kind === 'dense') as DenseStep;
  const dims = shape.slice(1);
  const inputs =
    shape.length >= 2 && dims.every((d) => d !== null)
      ? (dims as number[]).reduce((a, b) => a * b, 1)
      : shape.length === 1 && shape[0] !== null
        ? shape[0]
        : firstDense.inputs;
  check(
    inputs === firstDense.inputs,
    () =>
      `not an MLP: the input "${inputName}" [${shape.map((d) => d ?? '?').join(', ')}] holds ${inputs} values per sample, the first layer reads ${firstDense.inputs} (a Flatten would make it one vector)`,
    'model',
  );
  return { inputName, inputs, outputName, steps, notes };
}

/** A bias constant as a vector of n values ([n], [1, n], scalars and [1, 1] broadcast). */
function biasVector(c: Constant, n: number, node: OnnxNode): Rational[] {
  const count = c.values.length;
  if (count === 1) return new Array(n).fill(c.values[0]);
  check(
    count === n && c.dims[c.dims.length - 1] === n,
    () => `${describe(node)}: the bias has shape [${c.dims.join(', ')}], expected [${n}] or [1, ${n}]`,
    'model',
  );
  return [...c.values];
}

/** A 2-D constant transposed (Transpose with perm [1, 0], the default for 2-D). */
function transposeConstant(x: Constant, node: OnnxNode): Constant {
  const perm = attribute(node, 'perm')?.ints?.map(Number) ?? [1, 0];
  check(
    x.dims.length === 2 && perm[0] === 1 && perm[1] === 0,
    () => `${describe(node)}: only 2-D transposes of constants are supported`,
    'model',
  );
  const [r, c] = x.dims;
  const values = Array.from({ length: r * c }, (_, k) => x.values[(k % r) * c + Math.floor(k / r)]);
  return { dims: [c, r], values, type: x.type, raw: { dims: [c, r], values: values.map(toDouble) } };
}

function toDouble(r: Rational): number {
  return Number(r.num) / Number(r.den);
}
