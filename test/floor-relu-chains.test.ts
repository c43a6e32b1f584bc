import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  type ChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import {
  findFloorReluCertificate,
  floorReluAtLeast,
  floorReluAtMost,
  floorReluValue,
} from '../src/engine/floor-relu-chains.js';
import type { Setting } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { checkChainMutants } from './chain-mutants.js';
import { recheckClassical } from './reference-gadget.js';
import { checkThresholdChainsByReference, errorOptions, errorSetting } from './relu-chain-fixtures.js';

// docs/theory.md §10.9, Lemma IR₋: σ_F(v) = −1 (v < 0), 0 (v ∈ {0, 1}), v − 1 (v ≥ 1) on SQm.0 under `error`.

const options = errorOptions;
const setting = errorSetting;

const found = (s: Setting): ChainCertificate => {
  const { certificate, tried } = findFloorReluCertificate(s);
  expect(certificate, tried.join('; ')).not.toBeNull();
  return certificate as ChainCertificate;
};

describe('integer ReLU chains with a −1 floor (docs/theory.md §10.9, Lemma IR₋)', () => {
  it('silu, mish, gelu, gelu-tanh under floor on SQ3.0 and SQ6.0 have the table; mish SQ6.0 floor exact is universal', () => {
    for (const format of ['SQ3.0', 'SQ6.0'])
      for (const activation of ['silu', 'mish', 'gelu', 'gelu-tanh']) {
        const s = setting(format, activation, 'floor', 'exact', 'last');
        expect(Array.from(s.sigma), `${format} ${activation}`).toEqual(
          Array.from(s.sigma, (_, i) => floorReluValue(s.min + i)),
        );
      }
    const v = decide(makeConfiguration(options('SQ6.0', 'mish', 'floor', 'exact', 'last')));
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/Lemma IR₋/);
  });

  it('SQ2.0, SQ3.0, SQ4.0 × silu and gelu × both accumulations and bias orders: exhaustively checked', () => {
    for (const format of ['SQ2.0', 'SQ3.0', 'SQ4.0'])
      for (const activation of ['silu', 'gelu'])
        for (const accumulation of ['exact', 'sequential'])
          for (const bias of ['first', 'last']) {
            const s = setting(format, activation, 'floor', accumulation, bias);
            const cert = found(s);
            expect(verifyChainCertificate(s, cert)).toBeNull();
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
        ['sequential', 'last'],
      ],
      activation: 'silu',
      rounding: 'floor',
      atLeast: floorReluAtLeast,
      atMost: floorReluAtMost,
      on: -1,
    });
  });

  it('every gadget of SQ3.0 (mish, floor, sequential, first) re-run by the reference evaluator', () => {
    const c = makeConfiguration(options('SQ3.0', 'mish', 'floor', 'sequential', 'first'));
    const s = settingOf(c);
    recheckClassical(c, materializeChainCertificate(s, found(s)), s.min, s.max);
  });

  it('refuses configurations outside its hypotheses', () => {
    for (const [format, activation, extra] of [
      ['Q4.0', 'silu', {}], // two's complement: σ_F(−x) raises at min
      ['SQ3.1', 'silu', {}], // a fraction bit
      ['SQ4.0', 'silu', { rounding: 'ceil' }], // the ReLU table (Lemma IR), not this one
      ['SQ4.0', 'hard-swish', {}], // −1 on two codes only
      ['SQ4.0', 'silu', { overflow: 'saturate' }],
      ['SQ4.0', 'silu', { weights: 'binary' }],
    ] as const)
      expect(
        findFloorReluCertificate(setting(format, activation, 'floor', 'exact', 'last', extra)).certificate,
        `${format} ${activation}`,
      ).toBeNull();
  });

  it('mutated chains (a weight or bias moved by one code): rejected by the verifier or exhaustively correct; some rejected', () => {
    const s = setting('SQ3.0', 'gelu', 'floor', 'exact', 'last');
    const cert = found(s);
    const { rejected } = checkChainMutants(s, cert);
    expect(rejected).toBeGreaterThan(50);
  });
});
