/**
 * A family certificate (docs/theory.md §9.5) written out as a classical certificate of THEORY §5.2 on a
 * small format: every detector D_z as a gadget (threshold mode: AND of the padded chains U_z and L_z of
 * the family covering z, or of its own chain; D_min and D_max the padded end chains; rotation mode:
 * AND(U_z, L_z) behind the rotation x ⊕ (c − z)), the emitters E_y = amplifier read with weight y. The
 * tests pass it to the exhaustive `verifyCertificate`, which checks every gadget on every input: an
 * independent check of the family lemma and of the rotation argument.
 */
import type { Certificate, Emitter } from '../certificate.js';
import { chainGadget, type Gadget, parallel, stack } from '../gadget.js';
import type { Setting } from '../setting.js';
import { activationShape } from './activation-shape.js';
import {
  chainLengths,
  featureModeChain,
  gainChain,
  type WideCertificate,
  type WideFamily,
} from './wide-certificate.js';
import { fanDigits, type WideFan } from './wide-fan.js';
import { featurePairHypotheses, levelChain } from './wide-feature-pair.js';
import type { WideSetting, WideStep } from './wide-setting.js';
import { type WideSigma, wideSigma } from './wide-sigma.js';

function pairSigma(ws: WideSetting): WideSigma {
  const shape = activationShape(ws.config.activation);
  const r = shape ? wideSigma(ws, shape) : null;
  if (!r || typeof r === 'string') throw new Error('feature-pair mode needs a shape');
  return r;
}

type Step = readonly [number, number];

const num = (steps: readonly WideStep[]): Step[] => steps.map(([w, b]) => [Number(w), Number(b)]);

/**
 * Lemma L's emitter of y (binary weights, e = ε): two copies of the delay, doubled K = m + n − 1 times
 * (each level keeps two copies), the levels of the bits of |y| carried to the last layer; read with the
 * sign of y (y = min on a Q format, |y| = 2^(K+1): the two top copies).
 */
function ladderEmitter(s: Setting, delay: Step, y: number): Emitter {
  const one = s.one;
  const K = Math.round(Math.log2(s.max + 1)) - 1;
  const mag = Math.abs(y);
  const top = mag === 2 ** (K + 1);
  const bits = top ? [] : [...Array(K + 1).keys()].filter((k) => Math.floor(mag / 2 ** k) % 2 === 1);
  const layers: Array<Array<{ bias: number; edges: Array<[number, number]> }>> = [];
  // layer 0 (first): copies A, B of the delay; then carried levels in order
  layers.push([
    { bias: delay[1], edges: [[0, delay[0]]] },
    { bias: delay[1], edges: [[0, delay[0]]] },
  ]);
  let carried: number[] = []; // levels carried, at positions 2… of the current layer
  for (let k = 0; k < K; k++) {
    const next: Array<{ bias: number; edges: Array<[number, number]> }> = [
      {
        bias: 0,
        edges: [
          [0, one],
          [1, one],
        ],
      },
      {
        bias: 0,
        edges: [
          [0, one],
          [1, one],
        ],
      },
    ];
    const nextCarried: number[] = [];
    carried.forEach((lvl, i) => {
      next.push({ bias: 0, edges: [[2 + i, one]] });
      nextCarried.push(lvl);
    });
    if (bits.includes(k)) {
      next.push({ bias: 0, edges: [[0, one]] });
      nextCarried.push(k);
    }
    layers.push(next);
    carried = nextCarried;
  }
  const sign = y < 0 ? -one : one;
  // |y| = 2^(K+1) (y = min on a Q format): the two top copies; on SQ, min = −max has its bits like any y
  if (top)
    return {
      gadget: { inputs: 1, layers: [...layers.slice(0, -1), layers[layers.length - 1].slice(0, 2)] },
      weights: [sign, sign],
    };
  const last = layers[layers.length - 1];
  const outputs = carried.map((_, i) => last[2 + i]);
  const weights = carried.map(() => sign);
  if (bits.includes(K)) {
    outputs.push(last[0]);
    weights.push(sign);
  }
  return { gadget: { inputs: 1, layers: [...layers.slice(0, -1), outputs] }, weights };
}

/** Lemma F's emitter of y: M copies of n₁, then the digit neurons of |y|, read with the sign of y. */
function fanEmitter(s: Setting, fan: WideFan, y: number): Emitter {
  const M = Math.max(...fan.digits.map((d) => Number(d.k)));
  const [w1, b1] = fan.first;
  const first = Array.from({ length: M }, () => ({
    bias: Number(b1),
    edges: [[0, Number(w1)]] as Array<[number, number]>,
  }));
  const second: Array<{ bias: number; edges: Array<[number, number]> }> = [];
  for (const [j, copies] of fanDigits(fan, BigInt(y))) {
    const d = fan.digits[j];
    const neuron = {
      bias: Number(d.b),
      edges: Array.from({ length: Number(d.k) }, (_, i) => [i, Number(d.w)] as [number, number]),
    };
    for (let c = 0n; c < copies; c++) second.push(neuron);
  }
  const sign = y < 0 ? -s.one : s.one;
  return { gadget: { inputs: 1, layers: [first, second] }, weights: second.map(() => sign) };
}

/** `ws`: the wide setting of the same configuration (needed in gain and feature modes, whose first steps it computes). */
export function materializeWideCertificate(s: Setting, c: WideCertificate, ws?: WideSetting): Certificate {
  const one = s.one;
  const delay = num(c.delay);
  const and: Gadget = {
    inputs: 2,
    layers: [
      [
        {
          bias: Number(c.and.b),
          edges: [
            [0, Number(c.and.w)],
            [1, Number(c.and.w)],
          ],
        },
      ],
      ...chainGadget(num(c.and.rest)).layers,
    ],
  };
  const chainFor = (dir: 'ge' | 'le', t: number): Step[] => {
    if (c.mode === 'gain') {
      if (!ws) throw new Error('gain mode needs the wide setting');
      const steps = gainChain(ws, c, dir, BigInt(t));
      if (!steps) throw new Error(`no chain for ${dir} ${t}`);
      return num(steps);
    }
    if (c.mode === 'feature') {
      const shape = ws ? activationShape(ws.config.activation) : null;
      const r = ws && shape ? wideSigma(ws, shape) : null;
      if (!r || typeof r === 'string') throw new Error('feature mode needs the wide setting and a shape');
      const steps = featureModeChain(r, c, dir, BigInt(t));
      if (!steps) throw new Error(`no chain for ${dir} ${t}`);
      return num(steps);
    }
    if (c.mode === 'threshold') {
      const single = c.singles.find((x) => x.dir === dir && Number(x.t) === t);
      if (single) return num(single.steps);
      for (const f of c.families) {
        const rest = dir === 'ge' ? f.ge : f.le;
        const b = Number(f.split) - t - (dir === 'ge' ? 0 : 1);
        if (rest && b >= s.min && b <= s.max) return [[one, b], ...num(rest)];
      }
      throw new Error(`no chain for ${dir} ${t}`);
    }
    const f = c.families[0] as WideFamily;
    const n = s.max - s.min + 1;
    const mod = (v: number) => ((((v - s.min) % n) + n) % n) + s.min;
    if (c.mode === 'cyclic') {
      // U_z = [(1, s − z)] + R, L_z = [(−1, s + z)] + R (mod N); +1 rotations: L_z = [(1, max − z)] + R
      const rest = num(f.ge as readonly WideStep[]);
      if (dir === 'ge') return [[one, mod(Number(f.split) - t)], ...rest];
      return c.plus ? [[one, mod(s.max - t)], ...rest] : [[-one, mod(Number(f.split) + t)], ...rest];
    }
    const rest = (dir === 'ge' ? f.ge : f.le) as readonly WideStep[];
    const b = mod(Number(f.split) - t);
    return [[one, b], ...num(rest)];
  };
  const pair = Math.max(...chainLengths(c));
  const pad = (steps: Step[], to: number): Step[] => {
    const out = [...steps];
    while (out.length < to) out.push(...delay);
    return out;
  };
  const andDepth = and.layers.length;
  const f0 = c.families[0];
  const detectors: Gadget[] = [];
  // Proposition FP: D_z = AND(AND(G₊, H₊), AND(G₋, H₋)) on the features σ_F(x), σ_F(−x) (Lemma OP)
  const pairHyp = c.mode === 'feature-pair' && ws ? featurePairHypotheses(pairSigma(ws)) : null;
  const pairFamilies = c.families.flatMap((f) =>
    f.ge && f.le && f.window && f.sign
      ? [{ split: f.split, ge: f.ge, le: f.le, window: f.window, sign: f.sign }]
      : [],
  );
  const pairChain = (feature: WideStep, kind: 'g' | 'h', z: number): Gadget => {
    if (!ws || !pairHyp || typeof pairHyp === 'string')
      throw new Error('feature-pair mode needs the wide setting');
    const v = ws.neuron([feature[0]], [BigInt(z)], feature[1]);
    if (v === null) throw new Error(`feature invalid at ${z}`);
    const rest = levelChain(ws, pairHyp.hull, pairFamilies, kind, v);
    if (!rest) throw new Error(`no level chain for ${kind} ${v}`);
    return chainGadget(pad(num([feature, ...rest]), pair));
  };
  for (let z = s.min; z <= s.max; z++) {
    if (c.mode === 'feature-pair') {
      const pairAnd = (f: WideStep) => stack(parallel(pairChain(f, 'g', z), pairChain(f, 'h', z)), and);
      detectors.push(stack(parallel(pairAnd([BigInt(one), 0n]), pairAnd([-BigInt(one), 0n])), and));
    } else if (c.mode === 'rotation' && (!f0.ge || !f0.le)) {
      detectors.push(chainGadget(pad(chainFor(f0.ge ? 'ge' : 'le', z), pair)));
    } else if ((c.mode === 'threshold' || c.mode === 'gain' || c.mode === 'feature') && z === s.min) {
      detectors.push(chainGadget(pad(chainFor('le', z), pair + andDepth)));
    } else if ((c.mode === 'threshold' || c.mode === 'gain' || c.mode === 'feature') && z === s.max) {
      detectors.push(chainGadget(pad(chainFor('ge', z), pair + andDepth)));
    } else {
      detectors.push(
        stack(
          parallel(chainGadget(pad(chainFor('ge', z), pair)), chainGadget(pad(chainFor('le', z), pair))),
          and,
        ),
      );
    }
  }
  // Lemma E: sign −1 reads A (or P when A is nothing) with weight −y; min with two copies (max, ε)
  const base = num(c.amplifier ?? (c.sign < 0n ? c.delay : []));
  const amp: Gadget = chainGadget(base);
  const twice: Gadget = {
    inputs: 1,
    layers: base.map(([w, b], i) =>
      [0, 1].map((j) => ({ bias: b, edges: [[i === 0 ? 0 : j, w] as [number, number]] })),
    ),
  };
  const emitters: Emitter[] = [];
  const idle = c.idle ?? null;
  // Lemma IF: runs of |y − β| copies of P read with `up` or `down`; prefix and paired emitters are not of
  // §8.3's form (the tests compile their networks N_f themselves), so none are written for them
  if (idle && idle.kind !== 'runs') {
    return {
      e: Number(c.e),
      idle: [Number(idle.iota)],
      omega: one,
      detectors,
      and,
      delay: chainGadget(delay),
      beta: 0,
      emitters,
    };
  }
  for (let y = s.min; y <= s.max && idle; y++) {
    const k = y - Number(idle.beta);
    const w = k > 0 ? idle.up : idle.down;
    if (k === 0 || w === null) {
      emitters.push({ gadget: { inputs: 1, layers: [] }, weights: [] });
      continue;
    }
    const layers = delay.map(([dw, db], i) =>
      Array.from({ length: Math.abs(k) }, (_, j) => ({
        bias: db,
        edges: [[i === 0 ? 0 : j, dw] as [number, number]],
      })),
    );
    emitters.push({ gadget: { inputs: 1, layers }, weights: new Array(Math.abs(k)).fill(Number(w)) });
  }
  if (idle)
    return {
      e: Number(c.e),
      idle: [Number(idle.iota)],
      omega: Number(idle.up ?? idle.down),
      detectors,
      and,
      delay: chainGadget(delay),
      beta: Number(idle.beta),
      emitters,
    };
  for (let y = s.min; y <= s.max; y++) {
    if (y === 0) emitters.push({ gadget: { inputs: 1, layers: [] }, weights: [] });
    else if (c.fan) emitters.push(fanEmitter(s, c.fan, y));
    else if (s.weightSet === 'binary') emitters.push(ladderEmitter(s, delay[0], y));
    else if (c.sign > 0n) emitters.push({ gadget: amp, weights: [y] });
    else if (y === s.min && s.format.kind === 'Q') emitters.push({ gadget: twice, weights: [s.max, 1] });
    else emitters.push({ gadget: amp, weights: [-y] });
  }
  return {
    e: Number(c.e),
    idle: [0],
    omega: one,
    detectors,
    and,
    delay: chainGadget(delay),
    beta: 0,
    emitters,
  };
}
