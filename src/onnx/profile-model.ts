/**
 * `fxnn profile`: the exact ranges of every input, product, accumulator (every partial sum, from the
 * bias on) and result of an MLP chain over input rows, and the ranges guaranteed over the input box
 * (each input between its smallest and largest value in the data), by range-propagation.ts; then an
 * hls4ml config with W-bit types whose integer bits are the fewest that hold each range, checked on
 * the data with the imported fixed-point network (an integer bit is added to any type that still
 * overflows, until none does). docs/import.md "profile".
 */

import { roundRational } from '../core/ops.js';
import { type Rational, toNumber } from '../core/rational.js';
import { parseTypedNetworkJson } from '../network/typed-network-json.js';
import { evaluateTypedReference } from '../network/typed-reference.js';
import { boxOverflows } from './box-overflow.js';
import { parseHls4mlConfig } from './hls4ml-config.js';
import { importChain } from './import-network.js';
import type { MlpChain } from './mlp-chain.js';
import { commonDenominator, pointVector, RangePropagation, type StepRanges } from './range-propagation.js';
import type { InputRows } from './read-inputs-csv.js';

/** The fewest integer bits I (ap_fixed<W,I>) whose range [−2^(I−1), 2^(I−1) − 2^(I−W)] holds [lo, hi]. */
export function intBitsFor(range: readonly [Rational, Rational] | null, width: number): number {
  if (!range) return 1;
  const [lo, hi] = range;
  if (lo.num === 0n && hi.num === 0n) return 1; // only 0: every type holds it; hls4ml's smallest signed choice
  for (let i = 1 - 256; i <= 256; i++) {
    // min = −2^(i−1), max = 2^(i−1) − 2^(i−W), compared exactly
    const minOk = i - 1 >= 0 ? lo.num * 1n >= -(lo.den << BigInt(i - 1)) : lo.num << BigInt(1 - i) >= -lo.den;
    const e = i - width;
    // max = 2^e·(2^(W−1) − 1)
    const maxUnits = (1n << BigInt(width - 1)) - 1n;
    const maxOk =
      e >= 0 ? hi.num <= (maxUnits << BigInt(e)) * hi.den : hi.num << BigInt(-e) <= maxUnits * hi.den;
    if (minOk && maxOk) return i;
  }
  return 256;
}

export interface ProfileLayer {
  readonly name: string;
  readonly kind: 'dense' | 'activation' | 'quant';
  readonly data: StepRanges;
  readonly box: StepRanges;
  readonly weight: [Rational, Rational] | null;
  readonly bias: [Rational, Rational] | null;
}

export interface ProfileResult {
  readonly rows: number;
  readonly width: number;
  readonly input: { data: [Rational, Rational]; box: [Rational, Rational] };
  readonly layers: readonly ProfileLayer[];
  /** The hls4ml config written (data-based, or box-based with `box`). */
  readonly config: {
    Model: { Precision: string };
    LayerName: Record<string, { Precision: Record<string, string> }>;
  };
  /** Integer bits added after checking the fixed-point network on the data. */
  readonly bumped: ReadonlyArray<{ layer: string; key: string; bits: number }>;
  /** Overflow events left on the data (0 unless the bound on rounds was hit). */
  readonly overflows: number;
  /** With `from: 'box'`: true when no input of the box makes the fixed-point network overflow. */
  readonly boxChecked: boolean | null;
}

function span(values: readonly Rational[]): [Rational, Rational] | null {
  if (values.length === 0) return null;
  let lo = values[0];
  let hi = values[0];
  for (const v of values) {
    if (v.num * lo.den < lo.num * v.den) lo = v;
    if (v.num * hi.den > hi.num * v.den) hi = v;
  }
  return [lo, hi];
}

function union(a: [Rational, Rational] | null, b: [Rational, Rational] | null): [Rational, Rational] | null {
  if (!a) return b;
  if (!b) return a;
  return span([a[0], a[1], b[0], b[1]]);
}

export function profileModel(
  chain: MlpChain,
  rows: InputRows,
  options: { width?: number; from?: 'data' | 'box' } = {},
): ProfileResult {
  const width = options.width ?? 16;
  const den = commonDenominator(rows.exact);
  const data = new RangePropagation(chain);
  for (const x of rows.exact) data.run(pointVector(x, den));
  const flat = rows.exact.flat();
  const inputData = span(flat)!;
  // the box: each input over its own range in the data
  const lo = Array.from({ length: chain.inputs }, (_, i) => span(rows.exact.map((r) => r[i]))![0]);
  const hi = Array.from({ length: chain.inputs }, (_, i) => span(rows.exact.map((r) => r[i]))![1]);
  const box = new RangePropagation(chain);
  const boxDen = commonDenominator([lo, hi]);
  box.run({
    lo: lo.map((r) => (r.num * boxDen) / r.den),
    hi: hi.map((r) => (r.num * boxDen) / r.den),
    den: boxDen,
  });
  const layers: ProfileLayer[] = chain.steps.map((s, k) => ({
    name: s.name,
    kind: s.kind,
    data: data.ranges[k],
    box: box.ranges[k],
    weight: s.kind === 'dense' ? span(s.weights.flat()) : null,
    bias: s.kind === 'dense' ? span(s.bias) : null,
  }));
  const from = options.from ?? 'data';
  const bits = new Map<string, number>();
  const key = (layer: string, k: string) => `${layer}\u0000${k}`;
  bits.set(key('input', 'result'), intBitsFor(inputData, width));
  for (const [k, s] of chain.steps.entries()) {
    const r = from === 'data' ? layers[k].data : layers[k].box;
    if (s.kind === 'dense') {
      if (s.weightType === undefined) bits.set(key(s.name, 'weight'), intBitsFor(layers[k].weight, width));
      if (s.biasType === undefined) bits.set(key(s.name, 'bias'), intBitsFor(layers[k].bias, width));
      bits.set(key(s.name, 'accum'), intBitsFor(union(r.accum, r.product), width));
      bits.set(key(s.name, 'result'), intBitsFor(r.result, width));
    } else if (s.kind === 'activation') {
      bits.set(key(s.name, 'result'), intBitsFor(r.result, width));
    }
  }
  const build = () => {
    const LayerName: ProfileResult['config']['LayerName'] = {};
    let most = 1;
    for (const [k, i] of bits) {
      const [layer, field] = k.split('\u0000');
      LayerName[layer] ??= { Precision: {} };
      LayerName[layer].Precision[field] = `ap_fixed<${width},${i}>`;
      most = Math.max(most, i);
    }
    return { Model: { Precision: `ap_fixed<${width},${most}>` }, LayerName };
  };
  // check on the data with the fixed-point network; widen what overflows
  const bumped: Array<{ layer: string; key: string; bits: number }> = [];
  let overflows = 0;
  let boxChecked: boolean | null = from === 'box' ? false : null;
  for (let round = 0; round < 24; round++) {
    const config = build();
    const net = parseTypedNetworkJson(
      importChain(chain, { config: parseHls4mlConfig(config, 'profile') }).json,
    );
    const hit = new Set<string>();
    overflows = 0;
    for (const x of rows.exact) {
      const codes = x.map((v) => {
        const c = roundRational(v.num, v.den, net.input.format, net.input.policy);
        if (c.overflowed) {
          hit.add(key('input', 'result'));
          overflows++;
        }
        return c.code;
      });
      evaluateTypedReference(net, codes, {
        onOverflow: (e) => {
          overflows++;
          const field = e.cast === 'result' ? 'result' : 'accum';
          if (bits.has(key(e.name, field))) hit.add(key(e.name, field));
        },
      });
    }
    if (hit.size === 0 && from === 'box') {
      // every input of the box, in the fixed-point network: exact by monotonicity (box-overflow.ts)
      const cast = (r: Rational) => roundRational(r.num, r.den, net.input.format, net.input.policy);
      const loC = lo.map(cast);
      const hiC = hi.map(cast);
      if ([...loC, ...hiC].some((c) => c.overflowed)) hit.add(key('input', 'result'));
      for (const e of boxOverflows(
        net,
        loC.map((c) => c.code),
        hiC.map((c) => c.code),
      )) {
        const field = e.cast === 'result' ? 'result' : 'accum';
        if (bits.has(key(e.name, field))) hit.add(key(e.name, field));
      }
      boxChecked = hit.size === 0;
    }
    if (hit.size === 0) break;
    for (const k of hit) {
      const [layer, field] = k.split('\u0000');
      const b = bits.get(k)! + 1;
      bits.set(k, b);
      bumped.push({ layer, key: field, bits: b });
    }
  }
  return {
    rows: rows.exact.length,
    width,
    input: { data: inputData, box: span([...lo, ...hi])! },
    layers,
    config: build(),
    bumped,
    overflows,
    boxChecked,
  };
}

/** A range for display: [lo, hi] as doubles (nearest). */
export function rangeText(r: readonly [Rational, Rational] | null): string {
  if (!r) return '—';
  const f = (x: Rational) => {
    const v = toNumber(x);
    return v === 0 ? '0' : Number(v.toPrecision(6)).toString();
  };
  return `[${f(r[0])}, ${f(r[1])}]`;
}
