import { describe, expect, it } from 'vitest';
import { exactAffine } from '../src/engine/exact-affine.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { arcPairGenerator, oddGeneratorByArcPairs } from '../src/engine/odd-generator-by-arc-pairs.js';
import { generatorOddSum } from '../src/engine/shift-generator.js';
import {
  fibreWeightAllowed,
  findShiftSpanCertificate,
  type ShiftSpanCertificate,
  shiftSpanApplies,
  verifyShiftSpanCertificate,
} from '../src/engine/shift-span-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { shiftNetworkFor } from './shift-network.js';
import {
  checkShiftNetwork as checkNetwork,
  wrapConfig as config,
  randomLut,
  rng,
} from './shift-span-fixtures.js';

// Shift span certificates on SIGNED formats under wrap (docs/theory.md §10.10, "Signed formats"): the codes
// −N/2..N/2 − 1 are the residues ℤ/N. Every certificate found is written out as the network N_f of the proof
// and run on every input by the BigInt reference evaluator of src/network.

const ROUNDINGS = [
  'nearest-even',
  'nearest-up',
  'nearest-down',
  'nearest-away',
  'nearest-zero',
  'floor',
  'ceil',
  'toward-zero',
];
const ACTIVATIONS = [
  'relu',
  'sigmoid',
  'tanh',
  'gelu',
  'silu',
  'softplus',
  'hard-sigmoid',
  'hard-swish',
  'elu',
];

// 3- to 5-bit signed formats: [spec, fraction bits, N]
const FORMATS: Array<[string, number, number]> = [
  ['Q1.1', 1, 8],
  ['Q2.0', 0, 8],
  ['Q0.2', 2, 8],
  ['Q2.1', 1, 16],
  ['Q3.0', 0, 16],
  ['Q1.2', 2, 16],
  ['Q3.1', 1, 32],
  ['Q4.0', 0, 32],
];

describe('shift span certificates on signed formats under wrap', () => {
  it('applies to two’s complement codes −N/2..N/2 − 1, not under saturate', () => {
    expect(shiftSpanApplies(settingOf(config('Q3.0', 'relu', 'floor', 'sequential', 'first')))).toBeNull();
    expect(
      shiftSpanApplies(
        settingOf(makeConfiguration({ format: 'Q3.0', activation: 'relu', overflow: 'saturate' })),
      ),
    ).toMatch(/wrap/);
  });

  it('random 3- to 5-bit cells: every certificate found verifies and N_f computes random f on every input', () => {
    const random = rng(5);
    let found = 0;
    let exact = 0;
    let lut = 0;
    for (let trial = 0; trial < 40; trial++) {
      const [format, frac, N] = FORMATS[trial % FORMATS.length];
      const useLut = trial % 4 === 0;
      const activation = useLut
        ? randomLut(format, frac, N, random, -N / 2)
        : ACTIVATIONS[Math.floor(random() * ACTIVATIONS.length)];
      const rounding = ROUNDINGS[Math.floor(random() * ROUNDINGS.length)];
      const accumulation = random() < 0.5 ? 'exact' : 'sequential';
      const cfg = config(format, activation, rounding, accumulation, random() < 0.5 ? 'first' : 'last');
      const s = settingOf(cfg);
      const { certificate } = findShiftSpanCertificate(s);
      if (!certificate) continue;
      found++;
      if (accumulation === 'exact') exact++;
      if (useLut) lut++;
      expect(verifyShiftSpanCertificate(s, certificate)).toBeNull();
      checkNetwork(cfg, s, certificate, 1, trial);
    }
    expect(found).toBeGreaterThanOrEqual(15);
    expect(exact).toBeGreaterThanOrEqual(4);
    expect(lut).toBeGreaterThanOrEqual(3);
  });

  it('hard-sigmoid on integer formats under ceil (a step onto {0, 1}): only the arc-pair generator is odd', () => {
    let built = 0;
    for (const [format] of FORMATS.filter(([, frac]) => frac === 0))
      for (const accumulation of ['sequential', 'exact'])
        for (const bias of ['first', 'last']) {
          const cfg = config(format, 'hard-sigmoid', 'ceil', accumulation, bias);
          const s = settingOf(cfg);
          // σ_F is a step onto {0, 1}: every w ⊗ σ_F(z) has an even sum (the arc has even length)
          const arcLength = [...s.sigma].filter((v) => v === 1).length;
          expect([...s.sigma].every((v) => v === 0 || v === 1)).toBe(true);
          expect(arcLength % 2).toBe(0);
          const c = findShiftSpanCertificate(s).certificate;
          expect(c, `${format} ${accumulation} ${bias}`).not.toBeNull();
          if (!c) continue;
          expect(c.generator.firstBiases.length).toBe(2);
          expect(c.source).toMatch(/arc-pair/);
          checkNetwork(cfg, s, c, 1, built + 3);
          built++;
        }
    expect(built).toBe(12);
  });

  it('d = 2 through the pair AND on 3-bit signed formats: N_f computes random f on every input', () => {
    const cells: Array<[string, string, string, string]> = [
      ['Q2.0', 'hard-sigmoid', 'ceil', 'sequential'],
      ['Q1.1', 'softplus', 'nearest-up', 'sequential'],
    ];
    let built = 0;
    for (const [format, activation, rounding, accumulation] of cells) {
      const cfg = config(format, activation, rounding, accumulation, 'first');
      const s = settingOf(cfg);
      const { certificate } = findShiftSpanCertificate(s);
      expect(certificate, `${activation} ${format}`).not.toBeNull();
      if (!certificate) continue;
      checkNetwork(cfg, s, certificate, 2, built + 1);
      built++;
    }
    expect(built).toBe(cells.length);
  });

  it('refuses mutants: an even arc pair, K = 0, saturate, a fractional fibre weight under exact toward-zero', () => {
    const cfg = config('Q3.0', 'hard-sigmoid', 'ceil', 'sequential', 'first');
    const s = settingOf(cfg);
    const c = findShiftSpanCertificate(s).certificate as ShiftSpanCertificate;
    expect(c).not.toBeNull();
    expect(verifyShiftSpanCertificate(s, c)).toBeNull();
    // the shift d of the arc pair even: the two arcs meet in L − d codes, an even number
    const [, d] = c.generator.firstBiases;
    const layer = c.generator.rest.layers[0][0];
    const even = arcPairGenerator(
      d + 1,
      layer.edges[0][1],
      layer.bias,
      c.generator.rest.layers[1][0].edges[0][1],
    );
    expect(generatorOddSum(s, even)).toBe(false);
    expect(verifyShiftSpanCertificate(s, { ...c, generator: even })).toMatch(/even/);
    expect(verifyShiftSpanCertificate(s, { ...c, k: 0 })).toMatch(/σ_F/);
    const sat = settingOf(
      makeConfiguration({
        format: 'Q3.0',
        activation: 'hard-sigmoid',
        rounding: 'ceil',
        overflow: 'saturate',
      }),
    );
    expect(verifyShiftSpanCertificate(sat, c)).toMatch(/wrap/);
    // Fact 2 on signed codes under exact accumulation: rnd(C + x) = C + rnd(x) fails for toward-zero (C = 1,
    // x = −½: rnd(½) = 0 but 1 + rnd(−½) = 1), so fractional fibre weights are refused there, kept under floor
    const tz = settingOf(config('Q1.2', 'tanh', 'toward-zero', 'exact', 'first'));
    expect(tz.roundWide(1 * tz.one - 2 * 1)).not.toBe(1 + tz.roundWide(-2 * 1));
    expect(fibreWeightAllowed(tz, 2)).toBe(false);
    expect(fibreWeightAllowed(tz, tz.one)).toBe(true);
    const fl = settingOf(config('Q1.2', 'tanh', 'floor', 'exact', 'first'));
    expect(fibreWeightAllowed(fl, 2)).toBe(true);
    const tc = findShiftSpanCertificate(tz).certificate;
    if (tc)
      expect(verifyShiftSpanCertificate(tz, { ...tc, fibreWeights: [2, ...tc.fibreWeights] })).toMatch(
        /allowed/,
      );
  });

  it('moving every first-layer bias of N_f by one code makes the network wrong', () => {
    const cfg = config('Q3.0', 'hard-sigmoid', 'ceil', 'sequential', 'first');
    const s = settingOf(cfg);
    const c = findShiftSpanCertificate(s).certificate as ShiftSpanCertificate;
    const random = rng(9);
    const table = Array.from({ length: s.size }, () => s.min + Math.floor(random() * s.size));
    const f = (x: number[]) => table[x[0] - s.min];
    const net = shiftNetworkFor(cfg, s, c, 1, f);
    const wrap = (b: bigint) => ((((b - BigInt(s.min) + 1n) % 16n) + 16n) % 16n) + BigInt(s.min);
    const moved = makeNetwork({
      ...net,
      layers: net.layers.map((l, i) =>
        i === 0 ? { ...l, neurons: l.neurons.map((n) => ({ ...n, bias: wrap(n.bias) })) } : l,
      ),
    } as never);
    let wrong = 0;
    for (let x = s.min; x <= s.max; x++)
      if (Number(evaluateReference(moved, [BigInt(x)])[0]) !== f([x])) wrong++;
    expect(wrong).toBeGreaterThan(0);
  });
});

describe('signed wrap: agreement with the fixpoint and with the affine obstruction', () => {
  it('2- and 3-bit signed formats: wherever SS holds the fixpoint (§4) computes every function 𝕀 → 𝕀', () => {
    let held = 0;
    let missing = 0;
    for (const format of ['Q0.1', 'Q1.0', 'Q2.0', 'Q1.1'])
      for (const activation of ['relu', 'sigmoid', 'softplus', 'hard-sigmoid', 'hard-swish'])
        for (const rounding of ['floor', 'ceil', 'toward-zero']) {
          const s = settingOf(config(format, activation, rounding, 'sequential', 'last'));
          const fix = reachableUnary(s, { distinctSources: true, sigmaOutput: false });
          if (fix.status !== 'done') continue;
          if (findShiftSpanCertificate(s).certificate) {
            held++;
            expect(fix.missing, `${activation} ${format} ${rounding}`).toBeNull();
          } else if (fix.missing) missing++;
        }
    expect(held).toBeGreaterThanOrEqual(6);
    expect(missing).toBeGreaterThanOrEqual(1);
  });

  it('signed integer formats where Proposition EA holds (affine modulo N): SS never finds a certificate', () => {
    let refused = 0;
    for (const format of ['Q2.0', 'Q3.0', 'ap_int<4>', 'Q4.0'])
      for (const activation of ['relu', 'identity', 'leaky-relu', 'gelu', 'hard-swish', 'softplus'])
        for (const rounding of ['floor', 'nearest-even', 'ceil', 'toward-zero'])
          for (const accumulation of ['sequential', 'exact']) {
            const s = settingOf(config(format, activation, rounding, accumulation, 'last'));
            if (!exactAffine(s)) continue;
            refused++;
            expect(findShiftSpanCertificate(s).certificate, `${activation} ${format} ${rounding}`).toBeNull();
          }
    expect(refused).toBeGreaterThanOrEqual(10);
  });

  it('the arc-pair search returns only generators with an odd sum', () => {
    for (const [format] of FORMATS)
      for (const activation of ACTIVATIONS) {
        const s = settingOf(config(format, activation, 'ceil', 'sequential', 'first'));
        const g = oddGeneratorByArcPairs(s);
        if (g) expect(generatorOddSum(s, g)).toBe(true);
      }
  });
});
