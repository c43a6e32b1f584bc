import { describe, expect, it } from 'vitest';
import {
  type BooleanGadgetCertificate,
  findBooleanGadgetCertificate,
  pairedCount,
  verifyBooleanGadgetCertificate,
} from '../src/engine/boolean-gadget-certificate.js';
import { findLayeredLiteralCertificate } from '../src/engine/layered-literal-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import type { Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileBoolean } from './boolean-gadget-network.js';

// Proposition BG with detectors built from two-layer literals (docs/theory.md §8.12, "Two-layer literals"):
// softplus on SQ0.4 under ceil, error, exact accumulation, where no depth-1 literal separates −15 from −14.
// N_f is compiled and run on every input with the BigInt reference evaluator; mutations are rejected.

type Cell = Record<string, string>;
const cell: Cell = {
  activation: 'softplus',
  format: 'SQ0.4',
  rounding: 'ceil',
  overflow: 'error',
  accumulation: 'exact',
  bias: 'last',
};
const conf = (x: Cell) => makeConfiguration(x as never);

/** The number of inputs of 𝕀^d where the network is wrong (a raise counts as wrong). */
function wrongInputs(net: Network, min: number, max: number, d: 1 | 2, f: ArrayLike<number>): number {
  let wrong = 0;
  let i = 0;
  for (let x1 = min; x1 <= max; x1++)
    for (let x2 = min; x2 <= (d === 1 ? min : max); x2++) {
      let out: bigint | null = null;
      try {
        out = evaluateReference(net, d === 1 ? [BigInt(x1)] : [BigInt(x1), BigInt(x2)])[0];
      } catch {
        out = null;
      }
      if (out !== BigInt(f[i++])) wrong++;
    }
  return wrong;
}

const c = conf(cell);
const s = settingOf(c);
let cached: BooleanGadgetCertificate | null = null;
const certOf = () => {
  if (!cached) cached = findLayeredLiteralCertificate(s).certificate;
  expect(cached).not.toBeNull();
  return cached as BooleanGadgetCertificate;
};

describe('two-layer literal certificates (softplus SQ0.4 ceil error exact)', () => {
  it('depth-1 literals do not separate every pair, two-layer literals do: N_f correct on every input', () => {
    expect(findBooleanGadgetCertificate(s).tried.join(';')).toMatch(/more than|at most 16 values/);
    const cert = certOf();
    expect(cert.kind).toBe('paired');
    expect(verifyBooleanGadgetCertificate(s, cert)).toBeNull();
    // the depth-1 literals (values in {ι, a} on all of 𝕀) leave −15 and −14 together
    const depth1 = new Set<string>();
    for (const w of s.weights)
      for (let b = s.min; b <= s.max; b++) {
        const v = [-15, -14].map((x) => s.sigma[Math.ceil((b * s.one + w * x) / s.one) - s.min]);
        const all: number[] = [];
        for (let x = s.min; x <= s.max; x++)
          all.push(s.sigma[Math.ceil((b * s.one + w * x) / s.one) - s.min]);
        if (all.every((t) => t === cert.a || t === cert.idle)) depth1.add(v.join(','));
      }
    expect([...depth1].every((k) => k.split(',')[0] === k.split(',')[1])).toBe(true);
    for (const seed of [1, 2, 3]) {
      const f = randomTable(s.size, s.min, s.size, seed);
      expect(wrongInputs(compileBoolean(c, cert, f, 1), s.min, s.max, 1, f)).toBe(0);
    }
    const id = Int32Array.from({ length: s.size }, (_, i) => s.min + i);
    expect(wrongInputs(compileBoolean(c, cert, id, 1), s.min, s.max, 1, id)).toBe(0);
    for (const y of [s.min, s.max]) {
      const f = new Int32Array(s.size).fill(y);
      expect(wrongInputs(compileBoolean(c, cert, f, 1), s.min, s.max, 1, f)).toBe(0);
    }
    // d = 2: β on most points (no tree), 24 random points with random values
    const f2 = new Int32Array(s.size ** 2).fill(cert.beta);
    expect(pairedCount(s, cert, cert.beta)).toBe(0);
    const pick = randomTable(48, 0, s.size ** 2, 5);
    for (let j = 0; j < 48; j += 2) f2[pick[j]] = s.min + (pick[j + 1] % s.size);
    expect(wrongInputs(compileBoolean(c, cert, f2, 2), s.min, s.max, 2, f2)).toBe(0);
  });

  it('mutations: β moved, C replaced by P, swapped detectors, a weight outside W', () => {
    const cert = certOf();
    const id = Int32Array.from({ length: s.size }, (_, i) => s.min + i);
    const moved = cert.beta === s.max ? cert.beta - 1 : cert.beta + 1;
    expect(wrongInputs(compileBoolean(c, cert, id, 1, moved), s.min, s.max, 1, id)).toBeGreaterThan(0);
    const noC = { ...cert, constant: cert.delay };
    expect(verifyBooleanGadgetCertificate(s, noC)).toMatch(/C\(/);
    expect(wrongInputs(compileBoolean(c, noC, id, 1), s.min, s.max, 1, id)).toBeGreaterThan(0);
    const detectors = cert.detectors.map((x, i) =>
      i === 3 ? cert.detectors[4] : i === 4 ? cert.detectors[3] : x,
    );
    expect(verifyBooleanGadgetCertificate(s, { ...cert, detectors })).toMatch(/D_/);
    expect(verifyBooleanGadgetCertificate(s, { ...cert, unit: 16 })).not.toBeNull();
    // the same certificate under sequential accumulation: paired emitters need the exact accumulator
    expect(
      verifyBooleanGadgetCertificate(settingOf(conf({ ...cell, accumulation: 'sequential' })), cert),
    ).not.toBeNull();
  });

  it('decide: both bias orders are universal by the two-layer literal certificate', () => {
    for (const bias of ['last', 'first']) {
      const v = decide(conf({ ...cell, bias }));
      expect(v.verdict).toBe('universal');
      expect(v.reason).toMatch(/^a two-layer literal certificate.*Proposition BG/);
    }
  });
});
