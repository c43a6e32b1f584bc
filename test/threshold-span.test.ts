import { describe, expect, it } from 'vitest';
import { verifyExactSpanCertificate } from '../src/engine/exact-span-certificate.js';
import {
  findThresholdSpanCertificate,
  type ThresholdSpanCertificate,
  thresholdSpanTerms,
  verifyThresholdSpanCertificate,
} from '../src/engine/threshold-span-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { mulberry32 } from '../src/prng.js';
import { exactSpanNetworkFor } from './exact-span-network.js';

// Threshold span certificates (docs/theory.md §10.10, Lemma XT): Proposition XS's (H1) for the identity table
// on UQ0.n under wrap with exact accumulation, by four-term combinations per threshold. The class found by
// the 9–16-bit hunt: identity, relu, leaky-relu, elu on UQ0.n, nearest-even, exact (n = 7 … 11).

const config = (
  format: string,
  activation: string,
  rounding: string,
  bias = 'last',
  accumulation = 'exact',
) =>
  makeConfiguration({
    format,
    activation,
    rounding,
    overflow: 'wrap',
    accumulation,
    bias,
    weights: 'all',
  } as never);

const certOf = (format: string, activation: string, rounding: string, bias = 'last') => {
  const s = settingOf(config(format, activation, rounding, bias));
  const found = findThresholdSpanCertificate(s);
  if (!found.certificate) throw new Error(`none on ${format}: ${found.tried.join('; ')}`);
  return { s, c: found.certificate };
};

describe('threshold span certificates (docs/theory.md §10.10, Lemma XT)', () => {
  it('are found on UQ0.3–UQ0.8 (identity, nearest-even, both bias orders) and accepted by Proposition XS’s lattice verifier', () => {
    for (let n = 3; n <= 8; n++)
      for (const bias of ['last', 'first']) {
        const { s, c } = certOf(`UQ0.${n}`, 'identity', 'nearest-even', bias);
        expect(verifyThresholdSpanCertificate(s, c)).toBeNull();
        expect(verifyExactSpanCertificate(s, thresholdSpanTerms(c)), `UQ0.${n} ${bias}`).toBeNull();
      }
  });

  it('are found under nearest-away/-up/-down/-zero and ceil too (not floor, toward-zero: no step onto θ = 1), and for relu, leaky-relu, elu', () => {
    for (const rounding of ['nearest-away', 'nearest-up', 'nearest-down', 'nearest-zero', 'ceil']) {
      const { s, c } = certOf('UQ0.5', 'identity', rounding);
      expect(verifyExactSpanCertificate(s, thresholdSpanTerms(c)), rounding).toBeNull();
    }
    for (const rounding of ['floor', 'toward-zero'])
      expect(
        findThresholdSpanCertificate(settingOf(config('UQ0.5', 'identity', rounding))).certificate,
      ).toBeNull();
    for (const activation of ['relu', 'leaky-relu', 'elu'])
      expect(
        verifyThresholdSpanCertificate(
          ...(({ s, c }) => [s, c] as const)(certOf('UQ0.6', activation, 'nearest-even')),
        ),
      ).toBeNull();
  });

  it('N_f of Proposition XS with these terms computes random tables on every input (UQ0.3, UQ0.4, d = 1 and 2; BigInt reference)', () => {
    const random = mulberry32(17);
    for (const [format, d] of [
      ['UQ0.3', 1],
      ['UQ0.4', 1],
      ['UQ0.3', 2],
    ] as const) {
      const cfg = config(format, 'identity', 'nearest-even', d === 2 ? 'first' : 'last');
      const s = settingOf(cfg);
      const found = findThresholdSpanCertificate(s).certificate;
      if (!found) throw new Error('none');
      const N = s.size;
      const table = Array.from({ length: N ** d }, () => Math.floor(random() * N));
      const f = (x: number[]) => table[d === 1 ? x[0] : x[0] * N + x[1]];
      const net = exactSpanNetworkFor(cfg, s, thresholdSpanTerms(found), d, f);
      let wrong = 0;
      for (let i = 0; i < N ** d; i++) {
        const x = d === 1 ? [i] : [Math.floor(i / N), i % N];
        if (Number(evaluateReference(net, x.map(BigInt))[0]) !== f(x)) wrong++;
      }
      expect(wrong, `${format} d=${d}`).toBe(0);
    }
  });

  it('rejects mutants and refuses outside its setting', () => {
    const { s, c } = certOf('UQ0.6', 'identity', 'nearest-even');
    const moved = (i: number, delta: number): ThresholdSpanCertificate => {
      const t = c.thresholds.slice();
      t[i] += delta;
      return { ...c, thresholds: t };
    };
    // θ = 5's bias moved by one; θ = 9's weight replaced by 0 (the combination is then 0 everywhere)
    expect(verifyThresholdSpanCertificate(s, moved(2 * 4 + 1, 1))).toMatch(/θ = 5/);
    expect(verifyThresholdSpanCertificate(s, moved(2 * 8, -c.thresholds[2 * 8]))).toMatch(/θ = 9/);
    expect(verifyThresholdSpanCertificate(s, { ...c, k: 0 })).toMatch(/K/);
    const seq = settingOf(config('UQ0.6', 'identity', 'nearest-even', 'last', 'sequential'));
    expect(verifyThresholdSpanCertificate(seq, c)).toMatch(/exact/);
    expect(
      findThresholdSpanCertificate(settingOf(config('UQ0.6', 'tanh', 'nearest-even'))).certificate,
    ).toBeNull();
    expect(
      findThresholdSpanCertificate(settingOf(config('UQ1.5', 'identity', 'nearest-even'))).certificate,
    ).toBeNull();
    // the verifier recomputes every combination: a table that is not the identity fails it
    const sigma = s.sigma.slice();
    sigma[17] = 18;
    expect(verifyThresholdSpanCertificate({ ...s, sigma }, c)).not.toBeNull();
  });

  it('decide settles identity UQ0.9 nearest-even exact (undetermined before: XS stops at 256 values)', () => {
    const v = decide(config('UQ0.9', 'identity', 'nearest-even', 'first'));
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/Lemma XT/);
  });
});
