/**
 * Evaluating float networks (docs/float.md §6). Sequential accumulation: with the bias last,
 * acc ← w₁ ⊗ h₁, then acc ← acc ⊕ (wᵢ ⊗ hᵢ) in edge order, then acc ← acc ⊕ b (a neuron without edges
 * is b); with the bias first, acc ← b, then the edges. Exact accumulation: rnd(b + Σ wᵢ·hᵢ), the exact
 * sum rounded once (an exact zero sum is −0 when every term is −0, else +0, −0 under floor; a NaN term,
 * ∞·0 or ∞ − ∞ gives NaN; otherwise an ∞ term gives that ∞). Then σ_F: the correctly rounded table at
 * finite inputs, NaN at NaN, and at ±∞ the rounded limit of σ (relu(−∞) = 0, sigmoid(+∞) = 1, gelu(−∞) =
 * −0, …; NaN for user expressions). Two evaluators: the reference on the exact BigInt path (`floatOp`,
 * rationals) and the fast one on the integer fast path; the tests check them against each other and
 * against an independent evaluator.
 */
import type { Activation } from '../activations/activation.js';
import { add, mul, type Rational } from '../core/rational.js';
import { FxnnError } from '../errors.js';
import { floatActivationTable } from './float-activation.js';
import { floatFastOps } from './float-fast.js';
import { classify, type FloatFormat } from './float-format.js';
import type { FloatNetwork } from './float-network.js';
import { floatOp } from './float-ops.js';
import { type FloatPolicy, floatCodeRational, floatCodeText, roundRational } from './float-rounding.js';
import { parseFloatInput, roundFloatInput } from './float-value.js';

const LIMITS: Record<string, [string, string]> = {
  identity: ['inf', '-inf'],
  relu: ['inf', '0'],
  elu: ['inf', 'alpha'],
  sigmoid: ['1', '0'],
  tanh: ['1', '-1'],
  softplus: ['inf', '0'],
  silu: ['inf', '-0'],
  mish: ['inf', '-0'],
  gelu: ['inf', '-0'],
  'gelu-tanh': ['inf', '-0'],
  'hard-sigmoid': ['1', '0'],
  'hard-swish': ['inf', '0'],
  step: ['1', '0'],
};

/** σ_F(±∞): the rounded limit of σ (NaN where fxnn knows none). */
export function activationAtInfinity(
  act: Activation,
  f: FloatFormat,
  policy: FloatPolicy,
  negative: boolean,
): number {
  let text: string | undefined;
  if (act.name === 'leaky-relu') {
    const a = act.params.alpha ?? '0.01';
    text = negative ? (a.startsWith('-') ? 'inf' : /^[0.]+$/.test(a) || a === '0' ? '0' : '-inf') : 'inf';
  } else text = LIMITS[act.name]?.[negative ? 1 : 0];
  if (text === undefined) return f.nanCode;
  if (text === 'alpha') text = `-${act.params.alpha ?? '1'}`.replace('--', '');
  return roundFloatInput(parseFloatInput(text), f, policy).code;
}

/** σ_F of layer l over every code; an error names the layer (e.g. formats beyond 8 exponent bits). */
export function layerActivationTable(net: FloatNetwork, l: number): Int32Array {
  const act = net.layers[l].activation;
  try {
    return floatActivationTable(act, net.format, net.policy).byCode;
  } catch (e) {
    if (e instanceof FxnnError)
      throw new FxnnError(`layers[${l}].activation ${act.key}: ${e.message}`, e.parameter);
    throw e;
  }
}

function activationLookup(net: FloatNetwork): Array<(c: number) => number> {
  const f = net.format;
  return net.layers.map((layer, l) => {
    const table = layerActivationTable(net, l);
    const posInf = f.fn ? f.nanCode : activationAtInfinity(layer.activation, f, net.policy, false);
    const negInf = f.fn ? f.nanCode : activationAtInfinity(layer.activation, f, net.policy, true);
    return (c: number) => {
      const v = table[c];
      if (v === -1)
        throw new FxnnError(
          `overflow: σ(${floatCodeText(c, f)}) is beyond the range of ${f.spec}`,
          'overflow',
        );
      if (f.fn || (c & (f.signBit - 1)) !== f.infCode) return v;
      return c === f.infCode ? posInf : negInf;
    };
  });
}

/** The exact sum b + Σ wᵢ·hᵢ rounded once, with IEEE's special values (see the file comment). */
function exactNeuron(
  f: FloatFormat,
  policy: FloatPolicy,
  bias: number,
  terms: Array<[number, number]>,
): number {
  let sum: Rational = floatCodeRational(bias, f);
  let allNegZero = classify(bias, f) === 'zero' && bias >= f.signBit;
  let nan = classify(bias, f) === 'nan';
  let posInf = classify(bias, f) === 'infinite' && bias < f.signBit;
  let negInf = classify(bias, f) === 'infinite' && bias >= f.signBit;
  for (const [w, h] of terms) {
    const cw = classify(w, f);
    const ch = classify(h, f);
    if (cw === 'nan' || ch === 'nan') {
      nan = true;
      continue;
    }
    const neg = w >= f.signBit !== h >= f.signBit;
    if (cw === 'infinite' || ch === 'infinite') {
      if (cw === 'zero' || ch === 'zero') nan = true;
      else if (neg) negInf = true;
      else posInf = true;
      continue;
    }
    if (!(cw === 'zero' || ch === 'zero') || !neg) allNegZero = false;
    sum = add(sum, mul(floatCodeRational(w, f), floatCodeRational(h, f)));
  }
  if (nan || (posInf && negInf)) return f.nanCode;
  if (posInf || negInf) return (negInf ? f.signBit : 0) + f.infCode;
  if (sum.num === 0n) return allNegZero || policy.rounding === 'floor' ? f.signBit : 0;
  return roundRational(sum, f, policy).code;
}

/** The reference evaluator: every step on the exact BigInt path. Outputs are codes. */
export function evaluateFloatReference(net: FloatNetwork, input: readonly number[]): number[] {
  const { format: f, policy } = net;
  const sigma = activationLookup(net);
  let values = [...input];
  net.layers.forEach((layer, l) => {
    const prev = values;
    values = layer.neurons.map((n) => {
      let acc: number;
      if (net.accumulation === 'exact') {
        acc = exactNeuron(
          f,
          policy,
          n.bias,
          n.edges.map(([s, w]) => [w, prev[s]]),
        );
      } else {
        const products = n.edges.map(([s, w]) => floatOp('mul', w, prev[s], f, policy).code);
        if (net.bias === 'first')
          acc = products.reduce((a, p) => floatOp('add', a, p, f, policy).code, n.bias);
        else if (products.length === 0) acc = n.bias;
        else {
          acc = products.slice(1).reduce((a, p) => floatOp('add', a, p, f, policy).code, products[0]);
          acc = floatOp('add', acc, n.bias, f, policy).code;
        }
      }
      return sigma[l](acc);
    });
  });
  return values;
}

/** The fast evaluator: the integer fast path for ⊗ and ⊕, the same exact sums. */
export function compileFloatNetwork(net: FloatNetwork): { evaluate(input: readonly number[]): number[] } {
  const { format: f, policy } = net;
  const ops = floatFastOps(f, policy);
  const sigma = activationLookup(net);
  const layers = net.layers.map((layer) => ({
    bias: Int32Array.from(layer.neurons, (n) => n.bias),
    ends: Int32Array.from(
      layer.neurons.map(
        (
          (total) => (n) =>
            (total += n.edges.length)
        )(0),
      ),
    ),
    source: Int32Array.from(layer.neurons.flatMap((n) => n.edges.map(([s]) => s))),
    weight: Int32Array.from(layer.neurons.flatMap((n) => n.edges.map(([, w]) => w))),
  }));
  const exact = net.accumulation === 'exact';
  const first = net.bias === 'first';
  return {
    evaluate(input: readonly number[]): number[] {
      let prev = Int32Array.from(input);
      layers.forEach((L, l) => {
        const out = new Int32Array(L.bias.length);
        let start = 0;
        for (let i = 0; i < L.bias.length; i++) {
          const end = L.ends[i];
          let acc: number;
          if (exact) {
            const terms: Array<[number, number]> = [];
            for (let e = start; e < end; e++) terms.push([L.weight[e], prev[L.source[e]]]);
            acc = exactNeuron(f, policy, L.bias[i], terms);
          } else if (first) {
            acc = L.bias[i];
            for (let e = start; e < end; e++) acc = ops.add(acc, ops.mul(L.weight[e], prev[L.source[e]]));
          } else if (end === start) acc = L.bias[i];
          else {
            acc = ops.mul(L.weight[start], prev[L.source[start]]);
            for (let e = start + 1; e < end; e++) acc = ops.add(acc, ops.mul(L.weight[e], prev[L.source[e]]));
            acc = ops.add(acc, L.bias[i]);
          }
          out[i] = sigma[l](acc);
          start = end;
        }
        prev = out;
      });
      return Array.from(prev);
    },
  };
}
