import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import { candidateWeights, type Step } from '../src/engine/chain-solver.js';
import { chainGadget, type Gadget, stack } from '../src/engine/gadget.js';
import {
  findIdleChainCertificate,
  type IdleChainCertificate,
  idleChainDetector,
  idleThresholdFamilies,
  idleThresholdProved,
  materializeIdleChainCertificate,
  verifyIdleChainCertificate,
} from '../src/engine/idle-chain-certificate.js';
import { headChainProves, sigmaRanges } from '../src/engine/interval-chain.js';
import { unary } from '../src/engine/setting.js';
import {
  findStartIdleCertificate,
  type StartIdleCertificate,
  verifyStartIdleCertificate,
} from '../src/engine/start-idle-certificate.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileStart } from './start-network.js';

// Reach-limited threshold families under overflow `error` (docs/theory.md §9.7, "Reach-limited families
// under error"): softplus under ceil overflows at max (σ_F(max) = max + ε), so no rest chain exists on the
// full sides of a split; the gain heads ±½ (±(½ ± ε)) reach only about half of 𝕀 around the split, and the
// rest chains are searched on that part. Every chain is proved with its head on all of 𝕀, and here also
// run on every input; the certificates (start-term, §8.10, with the bias last; chain form, §9.7, with the
// bias first) are written out as networks N_f and run on every input by the BigInt reference evaluator.

const formats = ['Q1.4', 'Q2.3', 'Q1.5', 'Q2.4', 'SQ2.3'] as const;
const config = (format: string, bias: 'first' | 'last') =>
  makeConfiguration({
    format,
    activation: 'softplus',
    rounding: 'ceil',
    overflow: 'error',
    accumulation: 'sequential',
    bias,
  });

/** An identity output neuron reading its one input with weight 1 and bias 0 (1 ⊗ h = h, exact). */
const readOut = (one: number): Gadget => ({ inputs: 1, layers: [[{ bias: 0, edges: [[0, one]] }]] });

/** The first family pass alone (every rest chain on the full sides of its split) on the levels (a, ι). */
function fullSidesOnly(c: Configuration, a: number, idle: number) {
  const s = settingOf(c);
  const one = s.one;
  const heads = candidateWeights(s)
    .sort((x, y) => Math.abs(Math.abs(x) - one) - Math.abs(Math.abs(y) - one) || y - x)
    .slice(0, 4);
  for (const w of [one / 2, -one / 2, one / 2 + 1, -(one / 2 + 1), one / 2 - 1, -(one / 2 - 1)])
    if (s.weights.includes(w) && !heads.includes(w)) heads.unshift(w);
  return idleThresholdFamilies(s, sigmaRanges(s), a, idle, heads, null);
}

/** A network's output on x by the BigInt reference evaluator (NaN when a neuron raises). */
function outOn(net: ReturnType<typeof toNetwork>, x: number): number {
  try {
    return Number(evaluateReference(net, [BigInt(x)])[0]);
  } catch {
    return Number.NaN;
  }
}

/**
 * A chain's output on every x of 𝕀 by the reference evaluator: its neurons as hidden layers, read by
 * `readOut` (so the output is the last neuron's σ_F value).
 */
function chainOnAll(c: Configuration, steps: readonly Step[]): number[] {
  const s = settingOf(c);
  const net = toNetwork(c, stack(chainGadget(steps), readOut(s.one)));
  return Array.from({ length: s.size }, (_, i) => outOn(net, s.min + i));
}

const wrongOn = (c: Configuration, net: ReturnType<typeof compileStart>, f: ArrayLike<number>) => {
  const s = settingOf(c);
  let wrong = 0;
  for (let x = s.min; x <= s.max; x++) {
    let v: number;
    try {
      v = Number(evaluateReference(net, [BigInt(x)])[0]);
    } catch {
      v = Number.NaN;
    }
    if (v !== f[x - s.min]) wrong++;
  }
  return wrong;
};

describe('reach-limited families: softplus, ceil, error, sequential (σ_F(max) overflows)', () => {
  it.each(formats.filter((f) => f !== 'Q1.5'))(
    '%s, bias last: a start-term certificate the full-sides families cannot give',
    (format) => {
      const c = config(format, 'last');
      const s = settingOf(c);
      // σ_F(max) = max + ε overflows: σ_F is invalid at max, so the full sides of every split are invalid
      expect(Number.isNaN(s.sigma[s.size - 1])).toBe(true);
      const cert = findStartIdleCertificate(s).certificate as StartIdleCertificate;
      expect(cert).not.toBeNull();
      expect(typeof fullSidesOnly(c, cert.a, cert.idle)).toBe('string');
      expect(verifyStartIdleCertificate(s, cert)).toBeNull();
      expect(cert.start).not.toBeNull();
      // every threshold chain and every detector on every input, by the BigInt reference evaluator
      for (let t = s.min; t <= s.max; t++) {
        const u = cert.ge[t - s.min];
        const l = cert.le[t - s.min];
        const ua = u ? chainOnAll(c, u) : null;
        const la = l ? chainOnAll(c, l) : null;
        const det = toNetwork(c, stack(idleChainDetector(s, cert, t), readOut(s.one)));
        for (let x = s.min; x <= s.max; x++) {
          if (ua) expect(ua[x - s.min], `U_${t}(${x})`).toBe(x >= t ? cert.a : cert.idle);
          if (la) expect(la[x - s.min], `L_${t}(${x})`).toBe(x <= t ? cert.a : cert.idle);
          expect(outOn(det, x), `D_${t}(${x})`).toBe(x === t ? cert.a : cert.idle);
        }
      }
      for (const seed of s.size > 32 ? [1] : [1, 2]) {
        const f = randomTable(s.size, s.min, s.max, seed);
        expect(wrongOn(c, compileStart(c, cert, f), f)).toBe(0);
      }
    },
  );

  it.each(formats)(
    '%s, bias first: a chain certificate (β = max), written out and checked exhaustively',
    (format) => {
      const c = config(format, 'first');
      const s = settingOf(c);
      const cert = findIdleChainCertificate(s).certificate as IdleChainCertificate;
      expect(cert).not.toBeNull();
      expect(cert.beta).toBe(s.max);
      expect(typeof fullSidesOnly(c, cert.a, cert.idle)).toBe('string');
      expect(verifyIdleChainCertificate(s, cert)).toBeNull();
      expect(verifyCertificate(s, materializeIdleChainCertificate(s, cert))).toBeNull();
    },
  );
});

describe('mutations are rejected', () => {
  const c = config('Q2.3', 'last');
  const s = settingOf(c);
  const cert = findStartIdleCertificate(s).certificate as StartIdleCertificate;
  const r = sigmaRanges(s);
  const t = 5;
  const steps = cert.ge[t - s.min] as Step[];

  it('a head bias moved by one code: the proof fails and the chain is wrong at t − ε or t', () => {
    const moved: Step[] = [[steps[0][0], steps[0][1] + 1], ...steps.slice(1)];
    expect(idleThresholdProved(r, cert.a, cert.idle, 'ge', t, null, moved)).toBe(false);
    const ge = [...cert.ge];
    ge[t - s.min] = moved;
    expect(verifyStartIdleCertificate(s, { ...cert, ge })).toMatch(/threshold chain for x ≥ code 5/);
    expect(chainOnAll(c, moved).some((v, i) => v !== (s.min + i >= t ? cert.a : cert.idle))).toBe(true);
  });

  it('the rest chains serve only the reached part: not proved on the full valid sides of their split', () => {
    // the head puts t at the split p; the rest chain is proved on the codes the head reaches, not on all
    // valid codes on each side of p (σ_F is valid on [min, max − ε]): that is what the first pass needed
    let checked = 0;
    for (const u of [s.min + 1, -20, -3, 0, 2, 7, 20, s.max]) {
      const ch = cert.ge[u - s.min] as Step[];
      const [w, b] = ch[0];
      const p = s.mul(w, u) + b;
      const rest = ch.slice(1);
      const [hi, lo] =
        w > 0
          ? [
              [p, s.max - 1],
              [s.min, p - 1],
            ]
          : [
              [s.min, p],
              [p + 1, s.max - 1],
            ];
      const full =
        headChainProves(r, null, rest, hi[0], hi[1], cert.a) &&
        headChainProves(r, null, rest, lo[0], lo[1], cert.idle);
      expect(full, `U_${u}`).toBe(false);
      checked++;
    }
    expect(checked).toBe(8);
  });

  it('a rest step with its weight moved by one code, swapped levels: rejected', () => {
    const last = steps.length - 1;
    const bent: Step[] = [...steps.slice(0, last), [steps[last][0] + 1, steps[last][1]]];
    const ge = [...cert.ge];
    ge[t - s.min] = bent;
    const verdict = verifyStartIdleCertificate(s, { ...cert, ge });
    const pointwise = chainOnAll(c, bent).every((v, i) => v === (s.min + i >= t ? cert.a : cert.idle));
    // the check refuses exactly what is wrong somewhere (a bent step may still happen to be right)
    expect(verdict === null).toBe(pointwise);
    expect(verifyStartIdleCertificate(s, { ...cert, a: cert.idle, idle: cert.a })).not.toBeNull();
  });

  it('without the prefix (bias last): refused, and N_f is wrong', () => {
    expect(verifyStartIdleCertificate(s, { ...cert, start: null })).not.toBeNull();
    const f = randomTable(s.size, s.min, s.max, 7);
    expect(wrongOn(c, compileStart(c, cert, f, 0), f)).toBeGreaterThan(0);
  });
});

describe('the 16-bit cell softplus Q7.8, ceil, error, sequential, bias last', () => {
  it('a verified start-term certificate; sampled threshold chains right on all 65,536 inputs', () => {
    const c = config('Q7.8', 'last');
    const s = settingOf(c);
    const cert = findStartIdleCertificate(s).certificate as StartIdleCertificate;
    expect(cert).not.toBeNull();
    expect(verifyStartIdleCertificate(s, cert)).toBeNull();
    // the engine's own evaluator on every input for a few thresholds (the proof covers all of them)
    const run = (steps: readonly Step[], x: number) => steps.reduce((h, [w, b]) => unary(s, w, h, b), x);
    let wrong = 0;
    for (const t of [s.min, s.min + 1, -1421, -1, 0, 1, 255, 12345, s.max - 1, s.max]) {
      const u = cert.ge[t - s.min];
      const l = cert.le[t - s.min];
      for (let x = s.min; x <= s.max; x++) {
        if (u && run(u, x) !== (x >= t ? cert.a : cert.idle)) wrong++;
        if (l && run(l, x) !== (x <= t ? cert.a : cert.idle)) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });
});
