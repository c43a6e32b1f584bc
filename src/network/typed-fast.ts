/**
 * The fast evaluator of typed networks (network JSON version 2): each layer compiled to a JavaScript
 * function on double-held integer codes, bit-exact with `evaluateTypedReference` (typed-reference.ts)
 * wherever every intermediate stays below 2^53 (checked per layer from the types; other layers run
 * the BigInt reference). Casts are a shift with the type's rounding (exact on doubles: scaling by a
 * power of two, floor/ceil/trunc, adding half a unit) then the type's overflow; modes without a
 * number form here go through `applyOverflow` for out-of-range codes only. A row with an overflow
 * under mode `error` is re-run on the reference evaluator, which throws the precise error.
 */
import { roundActivationAt } from '../activations/rounded.js';
import { overflowClamp } from '../core/overflow.js';
import type { Rounding } from '../core/rounding.js';
import type { FixedType } from '../fixed-type.js';
import { hls4mlTable } from '../hls/hls4ml-table.js';
import {
  type ActivationLayer,
  type DenseLayer,
  layerResultType,
  type TypedNetwork,
  typedOutputCount,
} from './typed-network.js';
import { castCode, type EvaluationHooks, evaluateTypedReference } from './typed-reference.js';

const SAFE = 2 ** 52;

function num(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

/** Statements rounding the integer `x` by `s` ≥ 1 bits into `q` (exact for |x| < 2^52). */
function roundBy(mode: Rounding, s: number, x: string, q: string): string {
  const S = num(2 ** -s);
  const UNIT = num(2 ** s);
  const HALF = num(2 ** (s - 1));
  switch (mode) {
    case 'floor':
      return `${q} = Math.floor(${x} * ${S});`;
    case 'ceil':
      return `${q} = Math.ceil(${x} * ${S}) + 0;`;
    case 'toward-zero':
      return `${q} = Math.trunc(${x} * ${S}) + 0;`;
    case 'nearest-up':
      return `${q} = Math.floor((${x} + ${HALF}) * ${S});`;
    case 'nearest-down':
      return `${q} = Math.ceil((${x} - ${HALF}) * ${S}) + 0;`;
    case 'nearest-away':
      return `${q} = ${x} < 0 ? Math.ceil((${x} - ${HALF}) * ${S}) + 0 : Math.floor((${x} + ${HALF}) * ${S});`;
    case 'nearest-zero':
      return `${q} = ${x} < 0 ? Math.floor((${x} + ${HALF}) * ${S}) : Math.ceil((${x} - ${HALF}) * ${S}) + 0;`;
    default:
      return `{ const t = ${x} + ${HALF}; ${q} = Math.floor(t * ${S}); if (${q} * ${UNIT} === t && ${q} % 2 !== 0) ${q} -= 1; }`;
  }
}

/** Statements casting the integer `x` (units 2^-from) into type `t`, result in `q`; `fit${id}` is the overflow helper. */
function castStatements(x: string, from: number, t: FixedType, q: string, helpers: Helpers): string {
  const s = from - t.format.fracBits;
  const round =
    s > 0 ? roundBy(t.policy.rounding, s, x, q) : s === 0 ? `${q} = ${x};` : `${q} = ${x} * ${num(2 ** -s)};`;
  const MIN = num(Number(t.format.minCode));
  const MAX = num(Number(t.format.maxCode));
  const { overflow } = t.policy;
  const n = t.policy.saturationBits ?? 0;
  let fit: string;
  if (overflow === 'saturate') fit = `${q} = ${q} < ${MIN} ? ${MIN} : ${q} > ${MAX} ? ${MAX} : ${q};`;
  else if (overflow === 'wrap' && n === 0) {
    fit = `if (${q} < ${MIN} || ${q} > ${MAX}) ${q} -= Math.floor((${q} - ${MIN}) * ${num(2 ** -t.format.bits)}) * ${num(2 ** t.format.bits)};`;
  } else if (overflow === 'error') fit = `if (${q} < ${MIN} || ${q} > ${MAX}) bad |= 1;`;
  else {
    const id = helpers.add(overflowClamp(t.format, overflow, n));
    const low =
      overflow === 'saturate-symmetric' && t.format.kind === 'Q' ? num(Number(t.format.minCode) + 1) : MIN;
    fit = `if (${q} < ${low} || ${q} > ${MAX}) ${q} = h${id}(${q});`;
  }
  const low =
    overflow === 'saturate-symmetric' && t.format.kind === 'Q' ? num(Number(t.format.minCode) + 1) : MIN;
  const watch = helpers.watch && overflow !== 'error' ? `if (${q} < ${low} || ${q} > ${MAX}) bad |= 2;` : '';
  return `${round} ${watch} ${fit}`;
}

/** `roundBy` for an int32 `x` (|x| < 2^30): arithmetic shifts are floor divisions; `0 − y` avoids −0. */
function roundByInt(mode: Rounding, s: number, x: string, q: string): string {
  const HALF = num(2 ** (s - 1));
  const MASK = num(2 ** s - 1);
  switch (mode) {
    case 'floor':
      return `${q} = ${x} >> ${s};`;
    case 'ceil':
      return `${q} = 0 - ((0 - ${x}) >> ${s});`;
    case 'toward-zero':
      return `${q} = ${x} < 0 ? 0 - ((0 - ${x}) >> ${s}) : ${x} >> ${s};`;
    case 'nearest-up':
      return `${q} = (${x} + ${HALF}) >> ${s};`;
    case 'nearest-down':
      return `${q} = 0 - ((${HALF} - ${x}) >> ${s});`;
    case 'nearest-away':
      return `${q} = ${x} < 0 ? 0 - ((${HALF} - ${x}) >> ${s}) : (${x} + ${HALF}) >> ${s};`;
    case 'nearest-zero':
      return `${q} = ${x} < 0 ? (${x} + ${HALF}) >> ${s} : 0 - ((${HALF} - ${x}) >> ${s});`;
    default:
      return `${q} = (${x} + ${HALF}) >> ${s}; if ((${x} & ${MASK}) === ${HALF} && (${q} & 1) !== 0) ${q} -= 1;`;
  }
}

/** `castStatements` on int32 values (shift s in 0 … 30; |x|, |x·2^-s| < 2^30; the type at most 30 bits). */
function castStatementsInt(x: string, from: number, t: FixedType, q: string, helpers: Helpers): string {
  const s = from - t.format.fracBits;
  const round =
    s > 0 ? roundByInt(t.policy.rounding, s, x, q) : s === 0 ? `${q} = ${x};` : `${q} = ${x} << ${-s};`;
  const MIN = num(Number(t.format.minCode));
  const MAX = num(Number(t.format.maxCode));
  const { overflow } = t.policy;
  const n = t.policy.saturationBits ?? 0;
  let fit: string;
  if (overflow === 'saturate') fit = `${q} = ${q} < ${MIN} ? ${MIN} : ${q} > ${MAX} ? ${MAX} : ${q};`;
  else if (overflow === 'wrap' && n === 0) {
    fit =
      t.format.kind === 'UQ'
        ? `${q} = ${q} & ${num(2 ** t.format.bits - 1)};`
        : `${q} = (${q} << ${32 - t.format.bits}) >> ${32 - t.format.bits};`;
  } else if (overflow === 'error') fit = `if (${q} < ${MIN} || ${q} > ${MAX}) bad |= 1;`;
  else {
    const id = helpers.add(overflowClamp(t.format, overflow, n));
    const low =
      overflow === 'saturate-symmetric' && t.format.kind === 'Q' ? num(Number(t.format.minCode) + 1) : MIN;
    fit = `if (${q} < ${low} || ${q} > ${MAX}) ${q} = h${id}(${q});`;
  }
  const low =
    overflow === 'saturate-symmetric' && t.format.kind === 'Q' ? num(Number(t.format.minCode) + 1) : MIN;
  const watch = helpers.watch && overflow !== 'error' ? `if (${q} < ${low} || ${q} > ${MAX}) bad |= 2;` : '';
  return `${round} ${watch} ${fit}`;
}

/** True when a dense layer runs on int32 arithmetic: products, sums and shifts below 2^30. */
function denseIsInt(layer: DenseLayer, xType: FixedType): boolean {
  const { weight, bias, accum, result } = layer.types;
  const fx = xType.format.fracBits;
  const productFrac = weight.format.fracBits + fx;
  const s = productFrac - accum.format.fracBits;
  const sr = accum.format.fracBits - result.format.fracBits;
  return (
    layer.accumulation === 'sequential' &&
    maxAbs(weight) * maxAbs(xType) <= 2 ** 30 &&
    s >= 0 &&
    s <= 30 &&
    sr <= 30 &&
    maxAbs(accum) * 2 ** Math.max(0, -sr) < 2 ** 29 &&
    accum.format.bits <= 29 &&
    result.format.bits <= 30 &&
    maxAbs(bias) < 2 ** 30
  );
}

class Helpers {
  readonly list: Array<(c: number) => number> = [];
  /** Flag out-of-range casts (bit 2 of the layer's result) for the overflow hook. */
  constructor(readonly watch = false) {}
  add(f: (c: number) => number): number {
    this.list.push(f);
    return this.list.length - 1;
  }
}

function maxAbs(t: FixedType): number {
  return Math.max(-Number(t.format.minCode), Number(t.format.maxCode));
}

/** True when a dense layer's every intermediate stays below 2^52 in the number path. */
function denseIsSafe(layer: DenseLayer, xType: FixedType): boolean {
  const { weight, bias, accum, result } = layer.types;
  if (layer.accumulation === 'exact') return false;
  const fx = xType.format.fracBits;
  const productFrac = weight.format.fracBits + fx;
  const up = (from: number, to: FixedType) => 2 ** Math.max(0, to.format.fracBits - from);
  return (
    maxAbs(weight) * maxAbs(xType) * up(productFrac, accum) < SAFE &&
    maxAbs(bias) * up(bias.format.fracBits, accum) < SAFE &&
    2 * maxAbs(accum) * up(accum.format.fracBits, accum) < SAFE &&
    maxAbs(accum) * up(accum.format.fracBits, result) < SAFE &&
    [weight, bias, accum, result, xType].every((t) => t.format.bits <= 50)
  );
}

type LayerFn = (x: Float64Array, y: Float64Array) => number;

function compileDense(layer: DenseLayer, xType: FixedType, watch: boolean): LayerFn | null {
  if (!denseIsSafe(layer, xType)) return null;
  const { weight, bias, accum, result } = layer.types;
  const helpers = new Helpers(watch);
  const width = layer.neurons.length;
  let edges = 0;
  for (const n of layer.neurons) edges += n.edges.length;
  const start = new Int32Array(width + 1);
  const src = new Int32Array(edges);
  const w = new Float64Array(edges);
  const b0 = new Float64Array(width);
  const biasBad = new Uint8Array(width);
  let e = 0;
  layer.neurons.forEach((neuron, i) => {
    start[i] = e;
    try {
      const r = castCode(neuron.bias, bias.format.fracBits, accum);
      b0[i] = Number(r.code);
      if (r.overflowed) biasBad[i] = 2;
    } catch {
      biasBad[i] = 1; // overflow under `error`: every row re-runs on the reference
    }
    for (const [s, wc] of neuron.edges) {
      src[e] = s;
      w[e] = Number(wc);
      e++;
    }
  });
  start[width] = e;
  const productFrac = weight.format.fracBits + xType.format.fracBits;
  const accFrac = accum.format.fracBits;
  const first = layer.bias === 'first';
  const cast = denseIsInt(layer, xType) ? castStatementsInt : castStatements;
  const product = cast === castStatementsInt ? 'Math.imul(w[e], x[src[e]])' : 'w[e] * x[src[e]]';
  const body = `
    let bad = 0;
    for (let i = 0; i < ${width}; i++) {
      bad |= biasBad[i];
      let acc = ${first ? 'b0[i]' : '0'};
      const end = start[i + 1];
      for (let e = start[i]; e < end; e++) {
        const p = ${product};
        let q; ${cast('p', productFrac, accum, 'q', helpers)}
        let a = acc + q; ${cast('a', accFrac, accum, 'acc', helpers)}
      }
      ${first ? '' : `{ let a = acc + b0[i]; ${cast('a', accFrac, accum, 'acc', helpers)} }`}
      let r; ${cast('acc', accFrac, result, 'r', helpers)}
      y[i] = r;
    }
    return bad;`;
  const args = ['start', 'src', 'w', 'b0', 'biasBad', ...helpers.list.map((_, i) => `h${i}`)];
  const make = new Function(...args, `return function dense(x, y) {${body}\n};`);
  return make(start, src, w, b0, biasBad, ...helpers.list) as LayerFn;
}

function compileActivation(
  layer: ActivationLayer,
  xType: FixedType,
  width: number,
  watch: boolean,
): LayerFn | null {
  const out = layer.result;
  const xFrac = xType.format.fracBits;
  if (layer.table !== null) {
    const { kind, size } = layer.table;
    const entries = hls4mlTable(kind, size, layer.table.type);
    const values = new Float64Array(size);
    const bad = new Uint8Array(size);
    entries.forEach((c, i) => {
      try {
        const r = castCode(c, layer.table!.type.format.fracBits, out);
        values[i] = Number(r.code);
        if (r.overflowed) bad[i] = 2;
      } catch {
        bad[i] = 1;
      }
    });
    const span = kind === 'sigmoid' ? 16 : 8;
    const offset = Math.floor((size * (span / 2)) / span);
    if (maxAbs(xType) * size >= SAFE || xFrac < 0) return null;
    // trunc(code·N / (span·2^f)): code·N is an exact integer below 2^53, the divisor a power of two
    const divisor = span * 2 ** xFrac;
    return (x, y) => {
      let flag = 0;
      for (let i = 0; i < width; i++) {
        let index = Math.trunc((x[i] * size) / divisor) + offset;
        if (index < 0) index = 0;
        else if (index > size - 1) index = size - 1;
        flag |= bad[index];
        y[i] = values[index];
      }
      return flag;
    };
  }
  if (maxAbs(xType) >= SAFE || maxAbs(out) >= SAFE) return null;
  const key = layer.activation.key;
  if (key === 'relu' || key === 'identity') {
    const helpers = new Helpers(watch);
    const body = `let bad = 0; for (let i = 0; i < ${width}; i++) { let v = x[i]; ${key === 'relu' ? 'if (v < 0) v = 0;' : ''} let r; ${castStatements('v', xFrac, out, 'r', helpers)} y[i] = r; } return bad;`;
    if (2 ** Math.max(0, out.format.fracBits - xFrac) * maxAbs(xType) >= SAFE) return null;
    return new Function(...helpers.list.map((_, i) => `h${i}`), `return function act(x, y) {${body}};`)(
      ...helpers.list,
    ) as LayerFn;
  }
  // other activations: correctly rounded, memoised per input code
  if (xFrac < 0) return null;
  const memo = new Map<number, number>();
  const flags = new Map<number, number>();
  return (x, y) => {
    let flag = 0;
    for (let i = 0; i < width; i++) {
      const c = x[i];
      let v = memo.get(c);
      if (v === undefined) {
        const value = { num: BigInt(c), den: 1n << BigInt(xFrac) };
        let f = 0;
        try {
          const r = roundActivationAt(layer.activation, value, out.format, out.policy);
          v = Number(r.code);
          if (r.overflowed) f = 2;
        } catch {
          v = 0;
          f = 1;
        }
        if (memo.size < 1 << 20) {
          memo.set(c, v);
          flags.set(c, f);
        }
        flag |= f;
      } else flag |= flags.get(c) ?? 0;
      y[i] = v;
    }
    return flag;
  };
}

/** A typed network compiled for many rows. */
export interface CompiledTypedNetwork {
  readonly network: TypedNetwork;
  readonly inputs: number;
  readonly outputs: number;
  /** True when every layer runs on numbers (else some layers run the BigInt reference per row). */
  readonly numeric: boolean;
  /** One row: input codes of the input type → output codes of the output type (bigint). */
  evaluate(input: readonly bigint[]): bigint[];
  /**
   * Rows of input codes (numbers, row-major, already checked to be codes of the input type) into
   * `out` (row-major output codes). Under overflow `error` throws the first overflowing row's error.
   */
  evaluateRows(inputs: Float64Array, n: number, out: Float64Array): void;
}

/** Compiles a typed network; results equal `evaluateTypedReference` on every input. */
export interface TypedCompileOptions {
  /**
   * Report every overflowing cast (rows with one are re-run on the reference evaluator with these
   * hooks; outputs are unchanged). Without hooks the kernels do not watch for overflows.
   */
  readonly hooks?: EvaluationHooks;
}

export function compileTypedNetwork(
  net: TypedNetwork,
  options: TypedCompileOptions = {},
): CompiledTypedNetwork {
  const hooks = options.hooks;
  const watch = hooks?.onOverflow !== undefined;
  let xType = net.input;
  let width = net.inputs;
  const fns: Array<LayerFn | null> = [];
  let maxWidth = width;
  for (const layer of net.layers) {
    if (layer.kind === 'dense') {
      fns.push(compileDense(layer, xType, watch));
      width = layer.neurons.length;
    } else {
      fns.push(compileActivation(layer, xType, width, watch));
    }
    maxWidth = Math.max(maxWidth, width);
    xType = layerResultType(layer);
  }
  const numeric = fns.every((f) => f !== null) && maxAbs(net.input) < SAFE;
  const k = typedOutputCount(net);
  const d = net.inputs;
  const bufs = [new Float64Array(maxWidth), new Float64Array(maxWidth)];
  const reference = (row: readonly bigint[]) => evaluateTypedReference(net, row, hooks);
  const evaluateRows = (inputs: Float64Array, n: number, out: Float64Array): void => {
    for (let r = 0; r < n; r++) {
      if (!numeric) {
        const row = Array.from(inputs.subarray(r * d, (r + 1) * d), (c) => BigInt(c));
        const y = reference(row);
        for (let i = 0; i < k; i++) out[r * k + i] = Number(y[i]);
        continue;
      }
      let x = bufs[0];
      for (let j = 0; j < d; j++) x[j] = inputs[r * d + j];
      let bad = 0;
      for (let l = 0; l < fns.length; l++) {
        const y = x === bufs[0] ? bufs[1] : bufs[0];
        bad |= (fns[l] as LayerFn)(x, y);
        x = y;
      }
      if ((bad & 1) !== 0) {
        // an overflow under mode `error`: the reference evaluator throws the precise error
        reference(Array.from(inputs.subarray(r * d, (r + 1) * d), (c) => BigInt(c)));
        throw new Error(
          'typed fast evaluator: a layer reported an overflow the reference evaluator does not see',
        );
      }
      // an overflow being watched: the reference reports each cast to the hooks (same outputs)
      if ((bad & 2) !== 0 && watch)
        reference(Array.from(inputs.subarray(r * d, (r + 1) * d), (c) => BigInt(c)));
      for (let i = 0; i < k; i++) out[r * k + i] = x[i];
    }
  };
  return {
    network: net,
    inputs: d,
    outputs: k,
    numeric,
    evaluate(input: readonly bigint[]): bigint[] {
      if (!numeric || input.some((c) => c > BigInt(SAFE) || c < -BigInt(SAFE))) return reference(input);
      const f = net.input.format;
      for (const c of input) if (c < f.minCode || c > f.maxCode) return reference(input); // throws the clear error
      if (input.length !== d) return reference(input);
      const out = new Float64Array(k);
      evaluateRows(
        Float64Array.from(input, (c) => Number(c)),
        1,
        out,
      );
      return Array.from(out, (c) => BigInt(c));
    },
    evaluateRows,
  };
}
