import type { Rounding } from '../core/rounding.js';
import type { Format } from '../format.js';
import type { Overflow } from '../policy.js';
import type { Accumulation, BiasOrder } from './network.js';

/**
 * One layer of a compiled network, as flat typed arrays. Values of a layer are codes stored
 * neuron-major with stride `block` (value of neuron j for batch row r at `j·block + r`).
 */
export interface KernelLayer {
  readonly width: number;
  /** Edges of neuron i are `edgeStart[i] … edgeStart[i+1]−1`. */
  readonly edgeStart: Int32Array;
  /** Source index times the block stride, per edge. */
  readonly sourceOffset: Int32Array;
  readonly weight: Int32Array;
  readonly bias: Int32Array;
  /** Activation lookup by `code − minCode`; null for identity or when `lookup` computes every value. */
  readonly table: Int32Array | null;
  /** Computes (and caches in `table`) σ_F(code); null for identity. */
  readonly lookup: ((code: number) => number) | null;
  /**
   * Exact accumulation, per neuron, by a bound on |b·2^n| + Σ |w|·max|h|: 0 below 2^30 (32-bit
   * integer sums), 1 below 2^52 (doubles), 2 beyond (a two-word accumulator). Null when sequential.
   */
  readonly sumKind: Uint8Array | null;
  /** Exact accumulation, wide neurons: rounds hi + lo exactly (BigInt); NaN when it overflows under `error`. */
  readonly finishWide: (hi: number, lo: number) => number;
}

/** Accumulator scratch space of `block` rows. */
export interface KernelScratch {
  readonly acc: Float64Array;
  readonly hi: Float64Array;
  readonly iacc: Int32Array;
}

/** Runs one layer on `n ≤ block` rows; returns 1 when something overflowed under mode `error`. */
export type LayerKernel = (
  layer: KernelLayer,
  input: Int32Array,
  output: Int32Array,
  n: number,
  scratch: KernelScratch,
) => number;

/** Entries of a lazily filled activation table not computed yet. */
export const TABLE_MISS = -0x80000000;
/** σ_F overflowed under mode `error` (same sentinel as the activations' tables). */
export const TABLE_OVERFLOW = 0x7fffffff;

/** Granularity of the two-word accumulator: hi is a multiple of 2^47, lo stays in [0, 2^47). */
const WIDE_UNIT = 2 ** 47;
/** Below this magnitude hi + lo is exact in a double with room for the rounding offset. */
const WIDE_LIMIT = 2 ** 52 - 2 ** 48;

function num(x: number): string {
  return String(x);
}

/** True when every product of two codes fits a 32-bit integer with room to add half a unit. */
export function integerProducts(format: Format): boolean {
  const maxAbs = Math.max(-Number(format.minCode), Number(format.maxCode));
  return maxAbs * maxAbs <= 2 ** 30;
}

/**
 * Statements that round `x` (an integer in units of 2^-2n, held in a double) by n bits into the
 * integer `q` (units of 2^-n), per rounding mode. Exact on doubles below 2^53: scaling by a power of
 * two, floor/ceil/trunc, adding half a unit.
 */
function roundDouble(mode: Rounding, fracBits: number, x: string, q: string): string {
  if (fracBits === 0) return `${q} = ${x};`;
  const S = num(2 ** -fracBits);
  const UNIT = num(2 ** fracBits);
  const HALF = num(2 ** (fracBits - 1));
  switch (mode) {
    case 'floor':
      return `${q} = Math.floor(${x} * ${S});`;
    case 'ceil':
      return `${q} = Math.ceil(${x} * ${S});`;
    case 'toward-zero':
      return `${q} = Math.trunc(${x} * ${S});`;
    case 'nearest-up':
      return `${q} = Math.floor((${x} + ${HALF}) * ${S});`;
    case 'nearest-down':
      return `${q} = Math.ceil((${x} - ${HALF}) * ${S});`;
    case 'nearest-away':
      return `${q} = ${x} < 0 ? Math.ceil((${x} - ${HALF}) * ${S}) : Math.floor((${x} + ${HALF}) * ${S});`;
    case 'nearest-zero':
      return `${q} = ${x} < 0 ? Math.floor((${x} + ${HALF}) * ${S}) : Math.ceil((${x} - ${HALF}) * ${S});`;
    default:
      // nearest-even: round half up, then step back from an odd result on an exact tie
      // (ToInt32 keeps the parity of any integer below 2^53).
      return `{ const t = ${x} + ${HALF}; ${q} = Math.floor(t * ${S}); if (${q} * ${UNIT} === t && (${q} & 1) !== 0) ${q} -= 1; }`;
  }
}

/**
 * `roundDouble` for a 32-bit integer `x`: an arithmetic shift is a floor division by 2^n; `0 − y`
 * negates without producing −0 (which would force the engine off integer arithmetic).
 */
function roundInt(mode: Rounding, fracBits: number, x: string, q: string): string {
  if (fracBits === 0) return `${q} = ${x};`;
  const n = fracBits;
  const HALF = num(2 ** (n - 1));
  const MASK = num(2 ** n - 1);
  switch (mode) {
    case 'floor':
      return `${q} = ${x} >> ${n};`;
    case 'ceil':
      return `${q} = 0 - ((0 - ${x}) >> ${n});`;
    case 'toward-zero':
      return `${q} = ${x} < 0 ? 0 - ((0 - ${x}) >> ${n}) : ${x} >> ${n};`;
    case 'nearest-up':
      return `${q} = (${x} + ${HALF}) >> ${n};`;
    case 'nearest-down':
      return `${q} = 0 - ((${HALF} - ${x}) >> ${n});`;
    case 'nearest-away':
      return `${q} = ${x} < 0 ? 0 - ((${HALF} - ${x}) >> ${n}) : (${x} + ${HALF}) >> ${n};`;
    case 'nearest-zero':
      return `${q} = ${x} < 0 ? (${x} + ${HALF}) >> ${n} : 0 - ((${HALF} - ${x}) >> ${n});`;
    default:
      return `${q} = (${x} + ${HALF}) >> ${n}; if ((${x} & ${MASK}) === ${HALF} && (${q} & 1) !== 0) ${q} -= 1;`;
  }
}

/** Statements that bring integer `v` into the format's range, per overflow mode. */
function overflowStatements(mode: Overflow, format: Format, v: string, integer: boolean): string {
  const MIN = num(Number(format.minCode));
  const MAX = num(Number(format.maxCode));
  switch (mode) {
    case 'saturate':
      return `${v} = ${v} < ${MIN} ? ${MIN} : ${v} > ${MAX} ? ${MAX} : ${v};`;
    case 'wrap':
      return integer
        ? `if (${v} < ${MIN} || ${v} > ${MAX}) ${v} = ((${v} - ${MIN}) & ${num(2 ** format.bits - 1)}) + ${MIN};`
        : `if (${v} < ${MIN} || ${v} > ${MAX}) ${v} -= Math.floor((${v} - ${MIN}) * ${num(2 ** -format.bits)}) * ${num(2 ** format.bits)};`;
    default:
      return `if (${v} < ${MIN} || ${v} > ${MAX}) bad = 1;`;
  }
}

function activationStatements(format: Format): string {
  const MIN = num(Number(format.minCode));
  return `
    const o = i * BLOCK;
    if (lookup === null) {
      for (let r = 0; r < n; r++) output[o + r] = acc[r];
    } else if (table !== null) {
      for (let r = 0; r < n; r++) {
        const c = acc[r];
        let v = table[c - ${MIN}];
        if (v === ${TABLE_MISS}) v = lookup(c);
        if (v === ${TABLE_OVERFLOW}) bad = 1;
        output[o + r] = v;
      }
    } else {
      for (let r = 0; r < n; r++) {
        const v = lookup(acc[r]);
        if (v === ${TABLE_OVERFLOW}) bad = 1;
        output[o + r] = v;
      }
    }`;
}

/** Edges are processed this many at a time (fewer loads and stores of the accumulators). */
const UNROLL_SEQUENTIAL = 4;
const UNROLL_EXACT = 8;

/** Loads of weights and source offsets for edges e … e+k−1 into w0…, o0…. */
function edgeLoads(k: number): string {
  return Array.from(
    { length: k },
    (_, u) => `const w${u} = weight[e + ${u}], o${u} = sourceOffset[e + ${u}];`,
  ).join(' ');
}

/** A loop over the edges of neuron i, `unroll` at a time then one at a time; `body(k)` handles k edges. */
function edgeLoop(unroll: number, body: (k: number) => string): string {
  return `
    let e = edgeStart[i];
    const end = edgeStart[i + 1];
    for (; e + ${unroll} <= end; e += ${unroll}) {
      ${edgeLoads(unroll)}
      ${body(unroll)}
    }
    for (; e < end; e++) {
      ${edgeLoads(1)}
      ${body(1)}
    }`;
}

function sequentialSource(key: KernelKey): string {
  const { format, rounding, overflow } = key;
  const integer = integerProducts(format);
  const init = key.bias === 'first' ? 'b0' : '0';
  const keepInRange = (v: string) => overflowStatements(overflow, format, v, integer);
  const round = integer ? roundInt : roundDouble;
  const biasLast =
    key.bias === 'last'
      ? `for (let r = 0; r < n; r++) { let a = acc[r] + b0; ${keepInRange('a')} acc[r] = a; }`
      : '';
  // One row: the accumulator stays in a register across the k edges, in edge order.
  const step = (u: number) => {
    const product = integer ? `Math.imul(w${u}, input[o${u} + r])` : `w${u} * input[o${u} + r]`;
    return `{ const p = ${product}; let q; ${round(rounding, format.fracBits, 'p', 'q')} ${keepInRange('q')} a += q; ${keepInRange('a')} }`;
  };
  const body = (k: number) =>
    `for (let r = 0; r < n; r++) { let a = acc[r]; ${Array.from({ length: k }, (_, u) => step(u)).join(' ')} acc[r] = a; }`;
  return `
  const { width, edgeStart, sourceOffset, weight, bias, table, lookup } = layer;
  const acc = ${integer ? 'scratch.iacc' : 'scratch.acc'};
  let bad = 0;
  for (let i = 0; i < width; i++) {
    const b0 = bias[i];
    for (let r = 0; r < n; r++) acc[r] = ${init};
    ${edgeLoop(UNROLL_SEQUENTIAL, body)}
    ${biasLast}
    ${activationStatements(format)}
  }
  return bad;`;
}

/**
 * Exact accumulation, by the size of the neuron's sum: 32-bit integers (below 2^30), doubles (below
 * 2^52) or the two-word accumulator; the result, rounded once, goes to `acc` for the activation.
 */
function exactSource(key: KernelKey): string {
  const { format, rounding, overflow } = key;
  const UNIT = num(2 ** format.fracBits);
  const sum = (k: number, term: (u: number) => string) =>
    Array.from({ length: k }, (_, u) => term(u)).join(' + ');
  const intBody = (k: number) =>
    `for (let r = 0; r < n; r++) iacc[r] += ${sum(k, (u) => `Math.imul(w${u}, input[o${u} + r])`)};`;
  const doubleBody = (k: number) =>
    `for (let r = 0; r < n; r++) acc[r] += ${sum(k, (u) => `w${u} * input[o${u} + r]`)};`;
  const wideBody = (k: number) => `for (let r = 0; r < n; r++) {
          const s = acc[r] + (${sum(k, (u) => `w${u} * input[o${u} + r]`)});
          const carry = Math.floor(s * ${num(1 / WIDE_UNIT)}) * ${num(WIDE_UNIT)};
          hi[r] += carry;
          acc[r] = s - carry;
        }`;
  return `
  const { width, edgeStart, sourceOffset, weight, bias, table, lookup, sumKind, finishWide } = layer;
  const acc = scratch.acc;
  const iacc = scratch.iacc;
  const hi = scratch.hi;
  let bad = 0;
  for (let i = 0; i < width; i++) {
    const b0 = bias[i] * ${UNIT};
    const kind = sumKind === null ? 1 : sumKind[i];
    if (kind === 0) {
      for (let r = 0; r < n; r++) iacc[r] = b0;
      ${edgeLoop(UNROLL_EXACT, intBody)}
      for (let r = 0; r < n; r++) {
        const s = iacc[r];
        let q;
        ${roundInt(rounding, format.fracBits, 's', 'q')}
        ${overflowStatements(overflow, format, 'q', format.bits <= 30)}
        acc[r] = q;
      }
    } else if (kind === 1) {
      for (let r = 0; r < n; r++) acc[r] = b0;
      ${edgeLoop(UNROLL_EXACT, doubleBody)}
      for (let r = 0; r < n; r++) {
        const s = acc[r];
        let q;
        ${roundDouble(rounding, format.fracBits, 's', 'q')}
        ${overflowStatements(overflow, format, 'q', false)}
        acc[r] = q;
      }
    } else {
      for (let r = 0; r < n; r++) { acc[r] = b0; hi[r] = 0; }
      ${edgeLoop(UNROLL_SEQUENTIAL, wideBody)}
      for (let r = 0; r < n; r++) {
        const h = hi[r];
        let q;
        if (h > ${-WIDE_LIMIT} && h < ${WIDE_LIMIT}) {
          const s = h + acc[r];
          ${roundDouble(rounding, format.fracBits, 's', 'q')}
          ${overflowStatements(overflow, format, 'q', false)}
        } else {
          q = finishWide(h, acc[r]);
          if (q !== q) bad = 1;
        }
        acc[r] = q;
      }
    }
    ${activationStatements(format)}
  }
  return bad;`;
}

export interface KernelKey {
  readonly format: Format;
  readonly rounding: Rounding;
  readonly overflow: Overflow;
  readonly accumulation: Accumulation;
  readonly bias: BiasOrder;
  readonly block: number;
}

/** Bounds of the exact sums that fit 32-bit integers and doubles (see `KernelLayer.sumKind`). */
export const EXACT_SUM_INT_LIMIT = 2 ** 30;
export const EXACT_SUM_LIMIT = WIDE_LIMIT;

const kernels = new Map<string, LayerKernel>();

/**
 * The layer kernel for one format, policy, semantics and block size: straight-line JavaScript with
 * the rounding and overflow steps written in (so the engine compiles one monomorphic loop per case),
 * built once and cached.
 */
export function layerKernel(key: KernelKey): LayerKernel {
  const id = `${key.format.spec}|${key.rounding}|${key.overflow}|${key.accumulation}|${key.bias}|${key.block}`;
  const cached = kernels.get(id);
  if (cached) return cached;
  const body = key.accumulation === 'exact' ? exactSource(key) : sequentialSource(key);
  const kernel = new Function(
    'layer',
    'input',
    'output',
    'n',
    'scratch',
    `'use strict';\n  const BLOCK = ${key.block};\n${body}`,
  ) as LayerKernel;
  kernels.set(id, kernel);
  return kernel;
}
