import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  type ChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import type { Step } from '../src/engine/chain-solver.js';
import {
  findIntegerReluCertificate,
  findScaledReluCertificate,
  reluAtLeast,
  reluAtMost,
} from '../src/engine/integer-relu-chains.js';
import type { Setting } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { checkChainMutants } from './chain-mutants.js';
import { gadgetNet, recheckClassical, ref } from './reference-gadget.js';
import { checkThresholdChainsByReference, errorOptions, errorSetting } from './relu-chain-fixtures.js';

// docs/theory.md §10.9, Lemma IR: σ_F the ReLU table on SQm.0 under overflow `error`, all weights.

const options = errorOptions;
const setting = errorSetting;

const found = (s: Setting): ChainCertificate => {
  const { certificate, tried } = findIntegerReluCertificate(s);
  expect(certificate, tried.join('; ')).not.toBeNull();
  return certificate as ChainCertificate;
};

describe('integer ReLU chains (docs/theory.md §10.9, Lemma IR)', () => {
  it('the sampled cell mish SQ6.0 ceil error exact last (σ_F the ReLU table): found, verified, exhaustively checked', () => {
    const s = setting('SQ6.0', 'mish', 'ceil', 'exact', 'last');
    expect(Array.from(s.sigma)).toEqual(Array.from(s.sigma, (_, i) => Math.max(s.min + i, 0)));
    const cert = found(s);
    expect(verifyChainCertificate(s, cert)).toBeNull();
    expect(verifyCertificate(s, materializeChainCertificate(s, cert))).toBeNull();
  });

  it('SQ2.0, SQ3.0, SQ4.0 × relu and mish under ceil × both accumulations and bias orders: exhaustively checked', () => {
    for (const format of ['SQ2.0', 'SQ3.0', 'SQ4.0'])
      for (const activation of ['relu', 'mish'])
        for (const accumulation of ['exact', 'sequential'])
          for (const bias of ['first', 'last']) {
            const s = setting(format, activation, 'ceil', accumulation, bias);
            const cert = found(s);
            expect(
              verifyCertificate(s, materializeChainCertificate(s, cert)),
              `${format} ${activation}`,
            ).toBeNull();
          }
  });

  it('every threshold chain, run by the BigInt reference evaluator (which raises on any overflow) on every input of SQ4.0 and SQ5.0', () => {
    checkThresholdChainsByReference({
      formats: ['SQ4.0', 'SQ5.0'],
      modes: [
        ['exact', 'last'],
        ['sequential', 'first'],
      ],
      activation: 'relu',
      rounding: 'floor',
      atLeast: reluAtLeast,
      atMost: reluAtMost,
      on: 1,
    });
  });

  it('every gadget of SQ3.0 (relu, floor, sequential, last) re-run by the reference evaluator', () => {
    const c = makeConfiguration(options('SQ3.0', 'relu', 'floor', 'sequential', 'last'));
    const s = settingOf(c);
    recheckClassical(c, materializeChainCertificate(s, found(s)), s.min, s.max);
  });

  it('refuses configurations outside its hypotheses', () => {
    for (const [format, activation, extra] of [
      ['Q4.0', 'relu', {}], // two's complement: σ_F(−x) raises at min
      ['SQ3.1', 'relu', {}], // a fraction bit
      ['SQ4.0', 'mish', { rounding: 'floor' }], // mish(−1) floors to −1: not the ReLU table
      ['SQ4.0', 'relu', { overflow: 'saturate' }],
      ['SQ4.0', 'relu', { weights: 'binary' }],
      ['SQ4.0', 'tanh', {}], // (elu, gelu, silu under ceil ARE the ReLU table on integers)
    ] as const)
      expect(
        findIntegerReluCertificate(setting(format, activation, 'ceil', 'exact', 'last', extra)).certificate,
        `${format} ${activation}`,
      ).toBeNull();
  });

  it('mutated chains (a weight or bias moved by one code): rejected by the verifier or exhaustively correct; some rejected', () => {
    const s = setting('SQ3.0', 'relu', 'ceil', 'exact', 'last');
    const cert = found(s);
    const { rejected } = checkChainMutants(s, cert);
    expect(rejected).toBeGreaterThan(50);
  });
});

describe('Lemma IR with fraction bits (docs/theory.md §10.9): the chains with weights ±1 on SQm.n', () => {
  it('relu and leaky-relu on SQ1.1, SQ2.1, SQ3.1 (the 5-bit scan cells): found, exhaustively checked', () => {
    for (const format of ['SQ1.1', 'SQ2.1', 'SQ3.1'])
      for (const [activation, rounding] of [
        ['relu', 'nearest-even'],
        ['leaky-relu', 'nearest-zero'],
      ])
        for (const [accumulation, bias] of [
          ['sequential', 'first'],
          ['exact', 'last'],
        ]) {
          const s = setting(format, activation, rounding, accumulation, bias);
          const { certificate, tried } = findScaledReluCertificate(s);
          expect(certificate, `${format} ${activation}: ${tried.join('; ')}`).not.toBeNull();
          const cert = certificate as ChainCertificate;
          expect(verifyChainCertificate(s, cert)).toBeNull();
          expect(verifyCertificate(s, materializeChainCertificate(s, cert))).toBeNull();
        }
    const v = decide(makeConfiguration(options('SQ3.1', 'relu', 'nearest-away', 'sequential', 'last')));
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/fraction bits/);
  });

  it('every chain on SQ3.1 run by the BigInt reference evaluator on every input (sequential, bias last)', () => {
    const c = makeConfiguration(options('SQ3.1', 'relu', 'nearest-even', 'sequential', 'last'));
    const s = settingOf(c);
    const cert = findScaledReluCertificate(s).certificate as ChainCertificate;
    const net = (steps: readonly Step[]) =>
      gadgetNet(c, { inputs: 1, layers: steps.map(([w, b]) => [{ bias: b, edges: [[0, w] as const] }]) });
    for (let t = s.min; t <= s.max; t++) {
      const ge = t > s.min ? net(cert.ge[t - s.min] as Step[]) : null;
      const le = t < s.max ? net(cert.le[t - s.min] as Step[]) : null;
      for (let x = s.min; x <= s.max; x++) {
        if (ge) expect(ref(ge, [x])[0], `x ≥ ${t} at ${x}`).toBe(x >= t ? 1 : 0);
        if (le) expect(ref(le, [x])[0], `x ≤ ${t} at ${x}`).toBe(x <= t ? 1 : 0);
      }
    }
  });

  it('refuses: integer formats (Lemma IR itself), two’s complement, silu on SQ3.1 (not the ReLU table), saturate', () => {
    for (const [format, activation, extra] of [
      ['SQ3.0', 'relu', {}],
      ['Q3.1', 'relu', {}],
      ['SQ3.1', 'silu', {}],
      ['SQ3.1', 'relu', { overflow: 'saturate' }],
    ] as const)
      expect(
        findScaledReluCertificate(setting(format, activation, 'nearest-even', 'exact', 'last', extra))
          .certificate,
        `${format} ${activation}`,
      ).toBeNull();
  });
});
