import { describe, expect, it } from 'vitest';
import {
  findStartIdleCertificate,
  type StartIdleCertificate,
  verifyStartIdleCertificate,
} from '../src/engine/start-idle-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileStart } from './start-network.js';

// Long prefixes (docs/theory.md §8.10): hard-sigmoid on SQ0.7 under ceil, error, sequential, bias last. The
// emitter terms are −ε (ω = −1/64 kills ι < ½ and reads a ≥ ½ as −ε), so the output neuron must start at
// max = 127ε exactly (error: no saturation), and 127 is prime while every constant term w ⊗ c is at most
// 86ε: only 127 terms ε reach it, beyond the first pass's 64 copies.

const c = makeConfiguration({
  activation: 'hard-sigmoid',
  format: 'SQ0.7',
  rounding: 'ceil',
  overflow: 'error',
  accumulation: 'sequential',
  bias: 'last',
});
const s = settingOf(c);

const wrongOn = (net: ReturnType<typeof compileStart>, f: Int32Array) => {
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

/** max on every point (an empty emitter) except `points` random ones with random values. */
function sparseTable(seed: number, points: number): Int32Array {
  const f = new Int32Array(s.size).fill(s.max);
  const r = randomTable(2 * points, 0, s.size, seed);
  for (let j = 0; j < 2 * points; j += 2) f[r[j]] = s.min + r[j + 1];
  return f;
}

let cached: StartIdleCertificate | null = null;
const certOf = () => {
  if (!cached) cached = findStartIdleCertificate(s, undefined, { maxCopies: s.size }).certificate;
  expect(cached).not.toBeNull();
  return cached as StartIdleCertificate;
};

describe('long-prefix start-term certificates (hard-sigmoid SQ0.7 ceil error sequential, bias last)', () => {
  it('no prefix of at most 64 equal constant terms sums to max exactly (brute force)', () => {
    const consts = [...new Set(Array.from(s.sigma).filter((v) => v >= s.min))];
    for (const w of s.weights)
      for (const k of consts) {
        const t = s.mul(w, k);
        if (!(t > 0)) continue;
        for (let m = 1; m <= 64; m++) expect(m * t === s.max).toBe(false);
      }
    expect(findStartIdleCertificate(s).tried.join('; ')).toMatch(/no constant prefix reaches 127/);
  });

  it('with up to N copies: verified, 127 copies, and N_f correct on every input', () => {
    const cert = certOf();
    expect(verifyStartIdleCertificate(s, cert)).toBeNull();
    expect(cert.start?.copies).toBe(127);
    for (const seed of [1, 2, 3]) {
      const f = sparseTable(seed, 12);
      expect(wrongOn(compileStart(c, cert, f), f)).toBe(0);
    }
  });

  it('one copy fewer is rejected and its network is wrong; a weight 0 prefix too', () => {
    const cert = certOf();
    const start = cert.start as NonNullable<StartIdleCertificate['start']>;
    const fewer = { ...cert, start: { ...start, copies: start.copies - 1 } };
    expect(verifyStartIdleCertificate(s, fewer)).toMatch(/E_/);
    const f = sparseTable(4, 12);
    expect(wrongOn(compileStart(c, cert, f, start.copies - 1), f)).toBeGreaterThan(0);
    expect(verifyStartIdleCertificate(s, { ...cert, start: { ...start, weight: 0 } })).toMatch(/E_/);
  });

  it('decide: universal by the long-prefix search', () => {
    const v = decide(c);
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/^a long-prefix start-term idle certificate/);
  });
});
