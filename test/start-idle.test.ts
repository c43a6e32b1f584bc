import { describe, expect, it } from 'vitest';
import { idleEmitterRule } from '../src/engine/idle-emitters.js';
import {
  findStartIdleCertificate,
  type StartIdleCertificate,
  verifyStartIdleCertificate,
} from '../src/engine/start-idle-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileStart } from './start-network.js';

// Start-term idle certificates (docs/theory.md §8.10): with ceil (floor) rounding the weights that kill an
// idle value read every value with one sign, so the output neuron starts at max (min): the bias first, or
// a constant prefix read first. Networks N_f compiled from found certificates run on every input by the
// BigInt reference evaluator of src/network; mutated certificates are rejected.

const cells = [
  ['hard-sigmoid', 'Q0.5', 'floor', 'saturate', 'last'],
  ['sigmoid', 'Q2.3', 'floor', 'error', 'last'],
  ['softplus', 'Q1.4', 'ceil', 'saturate', 'first'],
  ['sigmoid', 'Q1.4', 'ceil', 'saturate', 'last'],
  ['hard-sigmoid', 'Q2.3', 'ceil', 'error', 'first'],
] as const;

const wrongOn = (
  c: ReturnType<typeof makeConfiguration>,
  net: ReturnType<typeof compileStart>,
  f: Int32Array | number[],
) => {
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

describe('start-term idle certificates on small formats (terms of one sign)', () => {
  it.each(cells)(
    '%s on %s, %s, %s, bias %s: N_f computes random tables on every input',
    (activation, format, rounding, overflow, bias) => {
      const c = makeConfiguration({ format, activation, rounding, overflow, bias });
      const s = settingOf(c);
      const a = findStartIdleCertificate(s).certificate;
      expect(a).not.toBeNull();
      if (!a) return;
      // with the bias last §9.7's rule has no start; with the bias first its offset rule (β = max or min)
      // is the same idea, found in parallel
      if (bias === 'last') expect(typeof idleEmitterRule(s, a.a, a.idle, a.delay.length)).toBe('string');
      expect(verifyStartIdleCertificate(s, a)).toBeNull();
      expect(a.start === null).toBe(bias === 'first');
      for (const seed of [1, 2, 3]) {
        const f = randomTable(s.size, s.min, s.max, seed);
        expect(wrongOn(c, compileStart(c, a, f), f)).toBe(0);
      }
    },
  );
});

describe('mutations are rejected', () => {
  const c = makeConfiguration({ format: 'Q0.5', activation: 'hard-sigmoid', rounding: 'floor' });
  const s = settingOf(c);
  const cert = findStartIdleCertificate(s).certificate as StartIdleCertificate;
  const f = randomTable(s.size, s.min, s.max, 5);
  const start = cert.start as NonNullable<StartIdleCertificate['start']>;

  it('one copy of K fewer: the start is not min, the check fails, and N_f is wrong', () => {
    expect(start.copies).toBeGreaterThan(1);
    const bad = { ...cert, start: { ...start, copies: start.copies - 1 } };
    expect(verifyStartIdleCertificate(s, bad)).toMatch(/E_/);
    expect(wrongOn(c, compileStart(c, cert, f, start.copies - 1), f)).toBeGreaterThan(0);
  });

  it('no prefix at all: only half of 𝕀 is reached', () => {
    expect(wrongOn(c, compileStart(c, cert, f, 0), f)).toBeGreaterThan(0);
  });

  it('β moved, the prefix weight moved, a run weight that does not kill ι', () => {
    expect(verifyStartIdleCertificate(s, { ...cert, beta: 1 })).not.toBeNull();
    // the prefix weight −ε: each term is one or two codes, so the prefix no longer reaches min
    expect(verifyStartIdleCertificate(s, { ...cert, start: { ...start, weight: -1 } })).toMatch(/E_/);
    const up = cert.emitters.up as number;
    let notKilling = up + 1;
    while (s.mul(notKilling, cert.idle) === 0) notKilling++;
    expect(
      verifyStartIdleCertificate(s, { ...cert, emitters: { ...cert.emitters, up: notKilling } }),
    ).toMatch(/does not kill|gives/);
  });

  it('refused under exact accumulation', () => {
    const e = settingOf(
      makeConfiguration({
        format: 'Q0.5',
        activation: 'hard-sigmoid',
        rounding: 'floor',
        accumulation: 'exact',
      }),
    );
    expect(verifyStartIdleCertificate(e, cert)).toMatch(/sequential/);
  });
});
