import { type Certificate, verifyCertificate } from './certificate.js';
import type { Step } from './chain-solver.js';
import { chainGadget, type Gadget, parallel, stack } from './gadget.js';
import { preActivation, type Setting } from './setting.js';

/**
 * The analytic sufficient condition of docs/theory.md §4 ("linear units"), on codes. For a two's-complement
 * format Qm.n with m ≥ 2 integer bits, overflow `saturate` and all weights (any rounding mode, bias
 * order or accumulation):
 *
 * - (L1) σ_F(v) = v for every value v ≥ 0;
 * - (L2) σ_F(−ε) ≤ 0;
 * - (L3) some neuron y(x) = σ_F(w⊗x ⊕ b) has min < y(min) < y(x) for every x > min.
 *
 * Each is a scan of σ_F or of one neuron family, and together they imply universality: the proof builds a
 * certificate with e = ε from weights ±1, powers of two and the (L3) neuron, using saturation as the only
 * nonlinearity, so σ_F is only ever applied to values in [0, max] (and to the (L3) neuron). Checking the
 * hypotheses is cheap; `verifiedLinearUnitCertificate` builds the proof's certificate and verifies it.
 */
export interface LinearUnitCondition {
  readonly holds: boolean;
  /** The first hypothesis that fails (or why the condition does not apply), null when it holds. */
  readonly failure: string | null;
  /** The (L3) neuron [w, b] found, if any. */
  readonly bottom: Step | null;
}

const fail = (failure: string): LinearUnitCondition => ({ holds: false, failure, bottom: null });

export function linearUnitCondition(s: Setting): LinearUnitCondition {
  const f = s.format;
  if (f.encoding !== 'twos-complement') return fail(`not a two's-complement format (${f.spec})`);
  if (f.intBits < 2) return fail(`needs at least 2 integer bits (${f.spec} has ${f.intBits})`);
  if (s.policy.overflow !== 'saturate') return fail(`needs overflow saturate, not ${s.policy.overflow}`);
  if (s.weightSet !== 'all') return fail('needs all weights');
  for (let v = 0; v <= s.max; v++) {
    if (s.sigma[v - s.min] !== v) return fail(`(L1) fails: σ_F(code ${v}) = code ${s.sigma[v - s.min]}`);
  }
  if (!(s.sigma[-1 - s.min] <= 0)) return fail(`(L2) fails: σ_F(−ε) = code ${s.sigma[-1 - s.min]} > 0`);
  const bottom = findBottomNeuron(s);
  if (!bottom) return fail('(L3) fails: no neuron σ_F(w⊗x ⊕ b) has its strict least value at x = min');
  return { holds: true, failure: null, bottom };
}

/**
 * The certificate of the proof for a configuration where the condition holds, verified on every input
 * of every gadget (an exhaustive check of the theorem on this configuration); null when it does not hold.
 */
export function verifiedLinearUnitCertificate(
  s: Setting,
  condition: LinearUnitCondition,
): Certificate | null {
  if (!condition.holds || !condition.bottom) return null;
  const certificate = linearUnitCertificate(s, condition.bottom);
  const broken = verifyCertificate(s, certificate);
  // the theorem says this cannot happen; a failure is a bug in the proof or its implementation
  if (broken) throw new Error(`linear-unit certificate fails on ${s.format.spec}: ${broken}`);
  return certificate;
}

/** The neuron value y(x) = σ_F(pre-activation of w·x with bias b). */
function neuronValue(s: Setting, w: number, x: number, b: number): number {
  return s.sigma[preActivation(s, [w], [x], b) - s.min];
}

/** (L3): w = 1, b = max first (it works whenever σ_F(−ε) < 0), then every w > 0 and b. */
export function findBottomNeuron(s: Setting): Step | null {
  const strictMinAtMin = (w: number, b: number): boolean => {
    const y0 = neuronValue(s, w, s.min, b);
    if (!(y0 > s.min)) return false;
    for (let x = s.min + 1; x <= s.max; x++) if (!(neuronValue(s, w, x, b) > y0)) return false;
    return true;
  };
  if (strictMinAtMin(s.one, s.max)) return [s.one, s.max];
  if (s.size > 256 && s.monotone && s.policy.overflow !== 'wrap') return findBottomNeuronMonotone(s);
  for (let w = 1; w <= s.max; w++)
    for (let b = s.min; b <= s.max; b++) if (strictMinAtMin(w, b)) return [w, b];
  return null;
}

/**
 * (L3) for a non-decreasing σ_F without wrap-around, in O(|W|): for w > 0 the neuron y is non-decreasing
 * in x (its pre-activation is), so its least value is strict at min iff y(min) < y(min + ε), and y(min) > min.
 * For each w, the biases tried put the pre-activation of min + ε at the first codes where σ_F increases.
 */
function findBottomNeuronMonotone(s: Setting): Step | null {
  const rises: number[] = [];
  for (let c = s.min + 1; c <= s.max && rises.length < 4; c++)
    if (s.sigma[c - s.min] > s.sigma[c - 1 - s.min]) rises.push(c);
  for (let w = 1; w <= s.max; w++) {
    const u = s.accumulation === 'exact' ? Math.round((w * (s.min + 1)) / s.one) : s.mul(w, s.min + 1);
    for (const c of rises) {
      for (const b of [c - u, c - u + 1, c - u - 1]) {
        if (b < s.min || b > s.max) continue;
        const y0 = neuronValue(s, w, s.min, b);
        const y1 = neuronValue(s, w, s.min + 1, b);
        if (y0 > s.min && y1 > y0) return [w, b];
      }
    }
  }
  return null;
}

/**
 * The certificate of the proof (docs/theory.md §4), e = ε. With NEG(h) = max − h, CAP(h) = min(h + max − ε,
 * max), DOWN(h) = h − max + ε on values in [0, max]:
 * - t > 0: n1 = max − max(x, 0), n2 = min(n1 + t − ε, max), NEG, CAP, then DOWN → ε·[x ≥ t] or NEG → ε·[x < t];
 * - min + 2ε ≤ t ≤ 0: n1 = σ_F(x ⊕ max), n2 = NEG → max(−x, 0) (max at x = min), n3 = min(n2 + max + t − ε,
 *   max), NEG, CAP, DOWN or NEG;
 * - t = min + ε: n1 = the (L3) neuron y, n2 = y ⊕ (−y(min)), CAP, DOWN or NEG;
 * padded with the delay σ_F(u ⊕ 0) to depth 6; D_z = AND(ε·[x ≥ z], ε·[x < z + ε]) with AND = max − u − v,
 * then min(· + ε, max), then NEG; emitters double ε up to 1 and carry the weight y, β = 0.
 */
export function linearUnitCertificate(s: Setting, bottom: Step): Certificate {
  const { min, max } = s;
  const { atLeast, below, and, delay, amplify } = linearUnitParts(s, bottom);
  const depth = 6;
  const pad = (steps: Step[], to: number): Step[] => [...steps, ...new Array(to - steps.length).fill(delay)];
  const detectors: Gadget[] = [];
  for (let z = min; z <= max; z++) {
    if (z === min) detectors.push(chainGadget(pad(below(min + 1), depth + 3)));
    else if (z === max) detectors.push(chainGadget(pad(atLeast(max), depth + 3)));
    else detectors.push(stack(parallel(chainGadget(atLeast(z)), chainGadget(below(z + 1))), and));
  }
  const emitterGadget = chainGadget(amplify);
  const emitters = [];
  for (let y = min; y <= max; y++) {
    emitters.push(
      y === 0 ? { gadget: { inputs: 1, layers: [] }, weights: [] } : { gadget: emitterGadget, weights: [y] },
    );
  }
  // the classical levels: active ε, idle {0}, read by ω = 1 (a value since m ≥ 2)
  return { e: 1, idle: [0], omega: s.one, detectors, and, delay: chainGadget([delay]), beta: 0, emitters };
}

/**
 * The pieces of the proof's certificate: the threshold chains ε·[x ≥ t] (`atLeast`) and ε·[x < t]
 * (`below`), each six steps, the AND gadget, the delay step and the amplifier ε ↦ 1 of the emitters.
 * `linearUnitCertificate` assembles them into detectors; chain certificates (docs/theory.md §9) use them
 * as they are, so large formats never build |𝕀| detectors.
 */
export function linearUnitParts(s: Setting, bottom: Step) {
  const { one, min, max } = s;
  const NEG: Step = [-one, max];
  const CAP: Step = [one, max - 1];
  const DOWN: Step = [one, 1 - max];
  const DELAY: Step = [one, 0];
  const depth = 6;
  const base = (t: number): Step[] => {
    if (t > 0) return [[-one, max], [one, t - 1], NEG, CAP];
    if (t >= min + 2) return [[one, max], NEG, [one, max + t - 1], NEG, CAP];
    const y0 = neuronValue(s, bottom[0], min, bottom[1]);
    return [bottom, [one, -y0], CAP];
  };
  const pad = (steps: Step[], to: number): Step[] => [...steps, ...new Array(to - steps.length).fill(DELAY)];
  const atLeast = (t: number) => pad([...base(t), DOWN], depth);
  const below = (t: number) => pad([...base(t), NEG], depth);
  const and: Gadget = {
    inputs: 2,
    layers: [
      [
        {
          bias: max,
          edges: [
            [0, -one],
            [1, -one],
          ],
        },
      ],
      ...chainGadget([[one, 1], NEG]).layers,
    ],
  };
  // ε doubled by powers of two up to 2^(m−1) until it reaches 1 (exact: multiples of ε below max)
  const gain = 2 ** (s.format.intBits - 1);
  const amplify: Step[] = [];
  for (let h = 1; h < one; ) {
    const g = Math.min(gain, one / h);
    amplify.push([g * one, 0]);
    h *= g;
  }
  return { atLeast, below, and, delay: DELAY, amplify };
}
