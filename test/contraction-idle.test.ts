import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import type { Step } from '../src/engine/chain-solver.js';
import { contractionChain } from '../src/engine/contraction-chains.js';
import {
  type ContractionIdleCertificate,
  contractionApplies,
  findContractionIdleCertificate,
} from '../src/engine/contraction-idle-certificate.js';
import { chainGadget, type Gadget, stack } from '../src/engine/gadget.js';
import {
  type IdleSkeleton,
  idleChainDetector,
  materializeIdleChainCertificate,
  verifyIdleChainCertificate,
} from '../src/engine/idle-chain-certificate.js';
import { sigmaRanges } from '../src/engine/interval-chain.js';
import { unary } from '../src/engine/setting.js';
import {
  type StartIdleCertificate,
  verifyStartIdleCertificate,
} from '../src/engine/start-idle-certificate.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { decide } from '../src/expressivity/verdict.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileStart } from './start-network.js';

// Contraction idle certificates (docs/theory.md §9.7, "Contraction rest chains"): gain heads ±½ onto a step of
// σ_F, then rest chains that contract both sides of the split step by step (no wide plateau, no saturation
// under `error`). The certificates are those of §9.7 (chain form) and §8.10 (start terms), checked by their
// verifiers; here also written out gadget by gadget (chain form) or as networks N_f (start form) and run on
// every input by the BigInt reference evaluator, with mutants.

const config = (format: string, activation: string, rounding: string, bias: 'first' | 'last') =>
  makeConfiguration({ format, activation, rounding, overflow: 'error', accumulation: 'sequential', bias });

/**
 * The weight of the read-out neuron below: 1 where it is a value (1 ⊗ h = h exactly), else the largest weight
 * that reads the two levels as different codes (on Q0.n under nearest-even (1 − ε) ⊗ ½ and (1 − ε) ⊗ (½ + ε)
 * are one code). The expected output of a gadget with value v is then w ⊗ v.
 */
function readWeight(s: ReturnType<typeof settingOf>, a: number, idle: number): number {
  for (let w = Math.min(s.one, s.max); w > 0; w--) if (s.mul(w, a) !== s.mul(w, idle)) return w;
  throw new Error('no weight reads the two levels apart');
}

/** An identity output neuron reading its one input with weight w and bias 0. */
const readOut = (w: number): Gadget => ({ inputs: 1, layers: [[{ bias: 0, edges: [[0, w]] }]] });

/** A network's output on x by the BigInt reference evaluator (NaN when a neuron raises). */
function outOn(net: ReturnType<typeof toNetwork>, x: number): number {
  try {
    return Number(evaluateReference(net, [BigInt(x)])[0]);
  } catch {
    return Number.NaN;
  }
}

/** Every threshold chain and every detector on every input, by the reference evaluator; the wrong count. */
function wrongGadgets(c: Configuration, cert: IdleSkeleton): number {
  const s = settingOf(c);
  const w = readWeight(s, cert.a, cert.idle);
  const seen = (v: number) => s.mul(w, v);
  let wrong = 0;
  const run = (steps: readonly Step[]) => toNetwork(c, stack(chainGadget(steps), readOut(w)));
  for (let t = s.min; t <= s.max; t++) {
    const u = cert.ge[t - s.min];
    const l = cert.le[t - s.min];
    const un = u && t > s.min ? run(u) : null;
    const ln = l && t < s.max ? run(l) : null;
    const det = toNetwork(c, stack(idleChainDetector(s, cert, t), readOut(w)));
    for (let x = s.min; x <= s.max; x++) {
      if (un && outOn(un, x) !== seen(x >= t ? cert.a : cert.idle)) wrong++;
      if (ln && outOn(ln, x) !== seen(x <= t ? cert.a : cert.idle)) wrong++;
      if (outOn(det, x) !== seen(x === t ? cert.a : cert.idle)) wrong++;
    }
  }
  return wrong;
}

/** N_f of a start-term certificate for a random table, the number of inputs where it is wrong. */
function wrongStart(c: Configuration, cert: StartIdleCertificate, seed: number): number {
  const s = settingOf(c);
  const f = randomTable(s.size, s.min, s.size, seed);
  const net = compileStart(c, cert, f);
  let wrong = 0;
  for (let x = s.min; x <= s.max; x++) if (outOn(net, x) !== f[x - s.min]) wrong++;
  return wrong;
}

/** Accepted by the certificate's own verifier. */
function accepted(c: Configuration, found: ContractionIdleCertificate): boolean {
  const s = settingOf(c);
  return found.form === 'chain'
    ? verifyIdleChainCertificate(s, found.certificate) === null
    : verifyStartIdleCertificate(s, found.certificate) === null;
}

/** Right on every input: the exhaustive verifier (chain form) or N_f for a random table (start form). */
function rightEverywhere(c: Configuration, found: ContractionIdleCertificate): boolean {
  const s = settingOf(c);
  if (found.form === 'chain')
    return verifyCertificate(s, materializeIdleChainCertificate(s, found.certificate)) === null;
  return wrongStart(c, found.certificate, 7) === 0;
}

describe('contraction chains', () => {
  it('every chain returned sends each value of off to ι and of on to a (run step by step on every value)', () => {
    const c = config('Q0.8', 'softplus', 'ceil', 'last');
    const s = settingOf(c);
    const r = sigmaRanges(s);
    let found = 0;
    for (const [off, on] of [
      [
        [80, 120],
        [121, 255],
      ],
      [
        [130, 255],
        [80, 129],
      ],
      [
        [128, 128],
        [129, 129],
      ],
      [
        [90, 100],
        [101, 101],
      ],
    ] as const) {
      const chain = contractionChain(r, off, on, 128, 129);
      if (!chain) continue;
      found++;
      const run = (h: number) => chain.reduce((v, [w, b]) => unary(s, w, v, b), h);
      for (let h = off[0]; h <= off[1]; h++) expect(run(h), `off ${h}`).toBe(128);
      for (let h = on[0]; h <= on[1]; h++) expect(run(h), `on ${h}`).toBe(129);
    }
    expect(found).toBeGreaterThanOrEqual(3);
  });
});

describe('contraction idle certificates (softplus and sigmoid under ceil, error, sequential)', () => {
  it.each([
    ['Q0.5', 'softplus', 'ceil', 'first', 'chain'],
    ['Q1.4', 'softplus', 'ceil', 'first', 'chain'],
    ['Q0.7', 'sigmoid', 'ceil', 'first', 'chain'],
    ['Q0.5', 'softplus', 'ceil', 'last', 'start'],
    ['Q1.4', 'softplus', 'ceil', 'last', 'start'],
    // `undetermined` before this search (main at 05bdf85): a one-step delay by a plateau weight (ε here)
    // and an AND whose weight separates the levels (½ ⊗ (½ + ε) is a tie under nearest-even)
    ['Q0.4', 'softplus', 'ceil', 'last', 'start'],
    ['Q0.4', 'softplus', 'nearest-even', 'last', 'chain'],
    ['Q0.6', 'softplus', 'nearest-even', 'first', 'chain'],
  ] as const)(
    '%s %s %s, bias %s: the %s form, verified, right on every input, mutants refused or right',
    (format, activation, rounding, bias, form) => {
      const c = config(format, activation, rounding, bias);
      const s = settingOf(c);
      expect(contractionApplies(s)).toBe(true);
      const found = findContractionIdleCertificate(s).certificate as ContractionIdleCertificate;
      expect(found).not.toBeNull();
      expect(found.form).toBe(form);
      expect(accepted(c, found)).toBe(true);
      expect(rightEverywhere(c, found)).toBe(true);
      if (found.form === 'chain') expect(wrongGadgets(c, found.certificate)).toBe(0);
      else expect(wrongStart(c, found.certificate, 11)).toBe(0);
      // mutants: one step of a threshold chain (head or rest) with its bias or weight moved by one code, and
      // the levels swapped; each is refused by the verifier or is still right on every input
      const cert = found.certificate;
      const mutate = (t: number, k: number, dw: number, db: number): ContractionIdleCertificate => {
        const ge = cert.ge.slice();
        const steps = (ge[t - s.min] as Step[]).slice();
        steps[k] = [steps[k][0] + dw, steps[k][1] + db];
        ge[t - s.min] = steps;
        return { form: found.form, certificate: { ...cert, ge } } as ContractionIdleCertificate;
      };
      let refused = 0;
      let tried = 0;
      for (const t of [s.min + 1, -1, 0, 1, s.max]) {
        const len = (cert.ge[t - s.min] as Step[]).length;
        for (const k of [0, 1, len - 1])
          for (const [dw, db] of [
            [0, 1],
            [0, -1],
            [1, 0],
          ]) {
            const m = mutate(t, k, dw, db);
            tried++;
            if (!accepted(c, m)) refused++;
            else expect(rightEverywhere(c, m), `mutant t=${t} step ${k} (${dw}, ${db})`).toBe(true);
          }
      }
      expect(refused).toBeGreaterThan(tried / 2);
      const swapped = { form: found.form, certificate: { ...cert, a: cert.idle, idle: cert.a } };
      expect(accepted(c, swapped as ContractionIdleCertificate)).toBe(false);
    },
  );

  it('decide: cells undetermined before are universal by this search, with its reason', () => {
    for (const [format, rounding] of [
      ['Q0.4', 'ceil'],
      ['Q0.5', 'nearest-even'],
    ] as const) {
      const v = decide(config(format, 'softplus', rounding, 'last'));
      expect(v.verdict, format).toBe('universal');
      expect(v.reason).toMatch(/^a contraction/);
    }
  });

  it('not applicable under exact accumulation, wrap, or where σ_F has a zero', () => {
    const exact = settingOf(
      makeConfiguration({
        format: 'Q0.5',
        activation: 'softplus',
        rounding: 'ceil',
        overflow: 'error',
        accumulation: 'exact',
      }),
    );
    const wrap = settingOf(
      makeConfiguration({ format: 'Q0.5', activation: 'softplus', rounding: 'ceil', overflow: 'wrap' }),
    );
    const zero = settingOf(
      makeConfiguration({ format: 'Q0.5', activation: 'relu', rounding: 'ceil', overflow: 'error' }),
    );
    for (const s of [exact, wrap, zero]) {
      expect(contractionApplies(s)).toBe(false);
      expect(findContractionIdleCertificate(s).certificate).toBeNull();
    }
  });
});
