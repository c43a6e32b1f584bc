import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  type ChainCertificate,
  findChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import type { Step } from '../src/engine/chain-solver.js';
import {
  findHalvingHeadCertificate,
  materializeHalvingHeadCertificate,
  verifyHalvingHeadCertificate,
} from '../src/engine/halving-head-certificate.js';
import type { Setting } from '../src/engine/setting.js';
import { findShrinkChainCertificate, shrinkRest } from '../src/engine/shrink-chain-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { checkChainMutants } from './chain-mutants.js';
import { gadgetNet, recheckClassical, ref } from './reference-gadget.js';

// docs/theory.md §10.9, Proposition SC: σ_F the identity under overflow `error` with all weights, threshold
// chains as deep as the format needs (a head with |w| ≤ ½, then steps that narrow both sides).

const options = (format: string, rounding: string, accumulation: string, bias: string, extra = {}) => ({
  format,
  activation: 'identity',
  rounding,
  overflow: 'error',
  weights: 'all',
  accumulation,
  bias,
  ...extra,
});
const setting = (format: string, rounding: string, accumulation: string, bias: string, extra = {}) =>
  settingOf(makeConfiguration(options(format, rounding, accumulation, bias, extra)));

const found = (s: Setting): ChainCertificate => {
  const { certificate, tried } = findShrinkChainCertificate(s);
  expect(certificate, tried.join('; ')).not.toBeNull();
  return certificate as ChainCertificate;
};

describe('shrinking-chain certificates (docs/theory.md §10.9, Proposition SC)', () => {
  it('the sampled cells Q5.1 floor exact last and ap_fixed<8,7> ceil exact first: no chain certificate of depth ≤ 4, a shrinking one verified and exhaustively checked', () => {
    for (const [format, rounding, bias] of [
      ['Q5.1', 'floor', 'last'],
      ['ap_fixed<8,7>', 'ceil', 'first'],
    ] as const) {
      const s = setting(format, rounding, 'exact', bias);
      expect(findChainCertificate(s).certificate).toBeNull();
      const cert = found(s);
      expect(verifyChainCertificate(s, cert)).toBeNull();
      expect(verifyCertificate(s, materializeChainCertificate(s, cert))).toBeNull();
      // x ≤ min needs more steps than the beam searches try (depth 3–4)
      expect((cert.le[0] as Step[]).length).toBeGreaterThan(5);
    }
  });

  // 3- to 5-bit formats with a fraction bit and max ≥ 1, the roundings that do not read the sign
  const formats = ['Q1.1', 'Q2.1', 'SQ2.1', 'Q1.2', 'Q3.1', 'SQ3.1', 'Q2.2', 'SQ2.2', 'Q1.3'];
  for (const accumulation of ['exact', 'sequential'])
    it(`${accumulation}: floor, ceil, nearest-up, nearest-down on 9 tiny formats, both bias orders: found, and every detector exhaustively checked`, () => {
      for (const format of formats)
        for (const rounding of ['floor', 'ceil', 'nearest-up', 'nearest-down'])
          for (const bias of ['first', 'last']) {
            const s = setting(format, rounding, accumulation, bias);
            const cert = found(s);
            expect(verifyChainCertificate(s, cert)).toBeNull();
            expect(
              verifyCertificate(s, materializeChainCertificate(s, cert)),
              `${format} ${rounding} ${bias}`,
            ).toBeNull();
          }
    });

  it('every gadget re-run with the BigInt reference evaluator (Q2.2 floor exact last, SQ3.1 ceil sequential first, Q3.1 nearest-even exact first)', () => {
    for (const [format, rounding, accumulation, bias] of [
      ['Q2.2', 'floor', 'exact', 'last'],
      ['SQ3.1', 'ceil', 'sequential', 'first'],
      ['Q3.1', 'nearest-even', 'exact', 'first'],
    ] as const) {
      const c = makeConfiguration(options(format, rounding, accumulation, bias));
      const s = settingOf(c);
      recheckClassical(c, materializeChainCertificate(s, found(s)), s.min, s.max);
    }
  });

  it('a rest chain computes its two values on the whole halves, by the reference evaluator (every split of Q3.1, floor, exact)', () => {
    const c = makeConfiguration(options('Q3.1', 'floor', 'exact', 'last'));
    const s = settingOf(c);
    for (let split = s.min + 1; split <= s.max; split++) {
      const up = shrinkRest(s, [s.min, split - 1], [split, s.max]);
      expect(up, `split ${split}`).not.toBeNull();
      const net = gadgetNet(c, {
        inputs: 1,
        layers: (up as Step[]).map(([w, b]) => [{ bias: b, edges: [[0, w] as const] }]),
      });
      for (let x = s.min; x <= s.max; x++) expect(ref(net, [x])[0]).toBe(x >= split ? 1 : 0);
    }
  });

  it('refuses configurations outside its hypotheses', () => {
    for (const extra of [{ activation: 'relu' }, { overflow: 'saturate' }, { weights: 'binary' }])
      expect(
        findShrinkChainCertificate(setting('Q2.2', 'floor', 'exact', 'last', extra)).certificate,
      ).toBeNull();
    // integer formats (Proposition EA: not universal) and no weight 1 (Q0.n)
    expect(findShrinkChainCertificate(setting('Q3.0', 'floor', 'exact', 'last')).tried[0]).toMatch(
      /fraction bit/,
    );
    expect(findShrinkChainCertificate(setting('Q0.3', 'floor', 'exact', 'last')).tried[0]).toMatch(/max ≥ 1/);
    // toward-zero, sequential: no unary chain tells −ε from 0 (the proposition before Proposition HH)
    expect(
      findShrinkChainCertificate(setting('Q2.2', 'toward-zero', 'sequential', 'last')).certificate,
    ).toBeNull();
  });

  it('mutated certificates: each is rejected by the verifier or passes the exhaustive check; some are rejected', () => {
    for (const [format, rounding, accumulation, bias] of [
      ['Q2.2', 'floor', 'exact', 'last'],
      ['SQ3.1', 'ceil', 'sequential', 'first'],
    ] as const) {
      const s = setting(format, rounding, accumulation, bias);
      const cert = found(s);
      const { rejected, total } = checkChainMutants(s, cert);
      expect(rejected).toBeGreaterThan(total / 4);
      // e moved: always rejected
      expect(verifyChainCertificate(s, { ...cert, e: 2 })).not.toBeNull();
    }
  });

  it('halving heads with shrinking rests: nearest-even, sequential on SQm.1 and Qm.1 (no rest of depth ≤ 4), exhaustively checked', () => {
    for (const [format, bias] of [
      ['SQ3.1', 'first'],
      ['SQ4.1', 'last'],
      ['Q4.1', 'first'],
    ] as const) {
      const s = setting(format, 'nearest-even', 'sequential', bias);
      expect(findShrinkChainCertificate(s).certificate).toBeNull();
      const { certificate, tried } = findHalvingHeadCertificate(s);
      expect(certificate, tried.join('; ')).not.toBeNull();
      const cert = certificate as NonNullable<typeof certificate>;
      expect(verifyHalvingHeadCertificate(s, cert)).toBeNull();
      expect(verifyCertificate(s, materializeHalvingHeadCertificate(s, cert))).toBeNull();
    }
  });
});
