import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES, type Rounding } from '../src/core/rounding.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { halvingGeneratorApplies, oddGeneratorByHalving } from '../src/engine/odd-generator-by-halving.js';
import type { Setting } from '../src/engine/setting.js';
import {
  generatorOddSum,
  generatorTable,
  generatorValue,
  type ShiftGenerator,
} from '../src/engine/shift-generator.js';
import {
  findShiftSpanCertificate,
  verifyShiftSpanCertificate,
} from '../src/engine/shift-span-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { makeNetwork, type Neuron } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { shiftNetworkFor } from './shift-network.js';

// Odd generators for identity tables (docs/theory.md §10.10, Proposition OH): a halving chain and its shift
// by one. The generator's table is compared with an independent computation of the function the
// proposition names (the rounding of y/2 written out per mode, BigInt arithmetic), and the generator is run
// as a network by the BigInt reference evaluator of src/network.

const config = (format: string, activation: string, rounding: string, accumulation: string, bias: string) =>
  makeConfiguration({
    format,
    activation,
    rounding,
    overflow: 'wrap',
    accumulation,
    bias,
    weights: 'all',
  } as never);

/** rnd(y/2) for an integer y ≥ 0, from the definition of each mode (ties only at odd y). */
function halve(y: bigint, mode: Rounding): bigint {
  if (y % 2n === 0n) return y / 2n;
  const down = (y - 1n) / 2n;
  const up = down + 1n;
  switch (mode) {
    case 'floor':
    case 'toward-zero':
    case 'nearest-down':
    case 'nearest-zero':
      return down;
    case 'ceil':
    case 'nearest-up':
    case 'nearest-away':
      return up;
    case 'nearest-even':
      return down % 2n === 0n ? down : up;
  }
}

/** The function G of Proposition OH on codes 0..N − 1 (BigInt), with the threshold c and L = N − c. */
function intended(N: number, mode: Rounding): { g: bigint[]; c: number; pair: boolean } {
  const k = Math.log2(N);
  const stage = (z: number, j: number) => {
    let v = BigInt(z);
    for (let i = 0; i < j; i++) v = halve(v, mode);
    return v;
  };
  let j = k - 1;
  for (let z = 0; z < N; z++) if (stage(z, j) > 1n) j = k;
  const a = [...Array(N).keys()].map((z) => stage(z, j));
  const c = a.indexOf(1n);
  expect(c).toBeGreaterThanOrEqual(1);
  for (let z = 0; z < N; z++) expect(a[z]).toBe(z >= c ? 1n : 0n); // A is the threshold [z ≥ c]
  const L = N - c;
  if (L % 2 === 1) return { g: a, c, pair: false };
  return { g: a.map((v, z) => halve(v + a[(z + 1) % N], mode)), c, pair: true };
}

/** The generator as a network with input z (first-layer edges of weight 1 and biases c_j), BigInt codes. */
function generatorNetwork(format: string, s: Setting, g: ShiftGenerator, activation: string) {
  const cfg = config(format, activation, s.policy.rounding, s.accumulation, s.bias);
  const identity = makeConfiguration({ format, activation: 'identity' }).activation;
  const first: Neuron[] = g.firstBiases.map((c) => ({ bias: BigInt(c), edges: [[0, BigInt(s.one)]] }));
  const layers = [{ activation: cfg.activation, neurons: first }];
  g.rest.layers.forEach((layer, l) => {
    layers.push({
      activation: l === g.rest.layers.length - 1 ? identity : cfg.activation,
      neurons: layer.map((n) => ({
        bias: BigInt(n.bias),
        edges: n.edges.map(([i, w]) => [i, BigInt(w)] as const),
      })),
    });
  });
  return makeNetwork({
    format: cfg.format,
    policy: cfg.policy,
    accumulation: cfg.accumulation,
    bias: cfg.bias,
    inputs: 1,
    layers,
  });
}

const formats = [
  'UQ1.1',
  'UQ1.2',
  'UQ2.1',
  'UQ1.3',
  'UQ2.2',
  'UQ3.1',
  'UQ1.4',
  'UQ3.2',
  'UQ4.1',
  'UQ2.4',
  'UQ5.1',
];

describe('odd generators by halving (identity tables, unsigned, wrap)', () => {
  it('every rounding and accumulation on 2-6-bit UQ formats: the sum is odd and the table is the intended G', () => {
    let pairs = 0;
    let singles = 0;
    for (const format of formats)
      for (const rounding of ROUNDING_MODES)
        for (const accumulation of ['sequential', 'exact'])
          for (const bias of ['last', 'first']) {
            const where = `${format} ${rounding} ${accumulation} ${bias}`;
            const s = settingOf(config(format, 'identity', rounding, accumulation, bias));
            const g = oddGeneratorByHalving(s);
            expect(g, where).not.toBeNull();
            if (!g) continue;
            const want = intended(s.size, rounding);
            want.pair ? pairs++ : singles++;
            const got = generatorTable(s, g);
            expect([...got].map(BigInt), where).toEqual(want.g);
            expect([...got], where).toEqual(
              [...Array(s.size).keys()].map((z) => generatorValue(s, g, s.min + z)),
            ); // the fast evaluation is generatorValue's
            expect(want.g.reduce((a, b) => a + b, 0n) % 2n, where).toBe(1n);
            // the same generator as a network, run by the BigInt reference evaluator on every z
            const net = generatorNetwork(format, s, g, 'identity');
            for (let z = 0; z < s.size; z++)
              expect(evaluateReference(net, [BigInt(z)])[0], where).toBe(want.g[z]);
          }
    expect(pairs).toBeGreaterThan(100); // both forms occur
    expect(singles).toBeGreaterThan(100);
  });

  it('relu and leaky-relu (identity tables on unsigned formats) get the same generators', () => {
    for (const activation of ['relu', 'leaky-relu'])
      for (const rounding of ['floor', 'nearest-even', 'ceil'] as const)
        for (const accumulation of ['sequential', 'exact']) {
          const s = settingOf(config('UQ2.2', activation, rounding, accumulation, 'last'));
          const g = oddGeneratorByHalving(s);
          expect(g).not.toBeNull();
          if (g) expect([...generatorTable(s, g)].map(BigInt)).toEqual(intended(s.size, rounding).g);
        }
  });

  it('mutants fail: the pair shifted by 2 or dropped has an even sum, a halving weight one code off a wrong table', () => {
    let checked = 0;
    for (const format of ['UQ1.2', 'UQ2.2', 'UQ3.2', 'UQ2.4'])
      for (const rounding of ROUNDING_MODES)
        for (const accumulation of ['sequential', 'exact']) {
          const s = settingOf(config(format, 'identity', rounding, accumulation, 'last'));
          const g = oddGeneratorByHalving(s) as ShiftGenerator;
          expect(generatorOddSum(s, g)).toBe(true);
          const layers = g.rest.layers;
          if (g.firstBiases.length === 2) {
            // A(z) + A(z ⊕ 2): the rounding pair straddles two codes, Σ = L − 2 + 2·rnd(½), even
            expect(generatorOddSum(s, { ...g, firstBiases: [0, 2] })).toBe(false);
            // G = A alone (the chain's end read with weight 1, or its last halving as output): Σ = L, even
            const j = layers.length - 2;
            const single: ShiftGenerator =
              accumulation === 'exact'
                ? {
                    firstBiases: [0],
                    rest: {
                      inputs: 1,
                      layers: [...layers.slice(0, j).map((l) => [l[0]]), [{ bias: 0, edges: [[0, s.one]] }]],
                    },
                  }
                : { firstBiases: [0], rest: { inputs: 1, layers: layers.slice(0, j).map((l) => [l[0]]) } };
            expect(generatorOddSum(s, single), `${format} ${rounding} ${accumulation}`).toBe(false);
            checked++;
          }
          // every halving weight one code above ½: the table is no longer the intended G
          const bent: ShiftGenerator = {
            ...g,
            rest: {
              ...g.rest,
              layers: layers.map((l) =>
                l.map((n) => ({
                  ...n,
                  edges: n.edges.map(([i, w]) => [i, w === s.one / 2 ? w + 1 : w] as const),
                })),
              ),
            },
          };
          expect([...generatorTable(s, bent)].map(BigInt)).not.toEqual(intended(s.size, rounding).g);
          for (const m of [bent, { ...g, firstBiases: g.firstBiases.map((c) => c + 2) }])
            expect([...generatorTable(s, m)]).toEqual(
              [...Array(s.size).keys()].map((z) => generatorValue(s, m, s.min + z)),
            );
        }
    expect(checked).toBeGreaterThan(10);
  });

  it('refuses what the proposition excludes: n = 0, 1 not a value under exact accumulation, saturate', () => {
    expect(
      oddGeneratorByHalving(settingOf(config('UQ4.0', 'identity', 'floor', 'sequential', 'last'))),
    ).toBeNull();
    expect(
      halvingGeneratorApplies(settingOf(config('UQ4.0', 'identity', 'floor', 'sequential', 'last'))),
    ).toMatch(/fraction bit/);
    expect(
      oddGeneratorByHalving(settingOf(config('UQ0.4', 'identity', 'floor', 'exact', 'last'))),
    ).toBeNull();
    const sat = makeConfiguration({
      format: 'UQ2.2',
      activation: 'identity',
      rounding: 'floor',
      overflow: 'saturate',
      accumulation: 'sequential',
      bias: 'last',
      weights: 'all',
    } as never);
    expect(oddGeneratorByHalving(settingOf(sat))).toBeNull();
  });

  it('agrees with the fixpoint (§4) on UQ1.1: where a generator is found, every function 𝕀 → 𝕀 is computed', () => {
    let found = 0;
    // the fixpoint covers sequential accumulation only (an exact accumulator is not a function into 𝕀)
    for (const rounding of ROUNDING_MODES)
      for (const bias of ['last', 'first']) {
        const s = settingOf(config('UQ1.1', 'identity', rounding, 'sequential', bias));
        if (!oddGeneratorByHalving(s)) continue;
        found++;
        const fix = reachableUnary(s, { distinctSources: true, sigmaOutput: false });
        expect(fix.status).toBe('done');
        if (fix.status === 'done') expect(fix.missing, `${rounding} ${bias}`).toBeNull();
      }
    expect(found).toBe(16);
  });
  it('plugs into the shift span certificate: verified, and its mutants refused by the verifier', () => {
    for (const [format, rounding, accumulation] of [
      ['UQ2.2', 'nearest-down', 'sequential'],
      ['UQ2.3', 'nearest-even', 'exact'],
      ['UQ3.1', 'nearest-zero', 'exact'],
      ['UQ1.3', 'ceil', 'sequential'],
    ] as const) {
      const s = settingOf(config(format, 'identity', rounding, accumulation, 'first'));
      // the search may find a cheaper generator first on small formats: put Proposition OH's in its place
      const found = findShiftSpanCertificate(s).certificate;
      const mine = oddGeneratorByHalving(s);
      expect(found, format).not.toBeNull();
      expect(mine, format).not.toBeNull();
      if (!found || !mine) continue;
      const certificate = { ...found, generator: mine, source: 'Proposition OH' };
      expect(verifyShiftSpanCertificate(s, certificate)).toBeNull();
      const g = certificate.generator;
      const layers = g.rest.layers;
      const out = layers[layers.length - 1][0];
      // the readout weight one code off: another generator; the verifier recomputes its readout sum R and
      // accepts it exactly when Σ R/2^e is odd (§10.10, (H1))
      const offReadout: ShiftGenerator = {
        ...g,
        rest: {
          ...g.rest,
          layers: [
            ...layers.slice(0, -1),
            [{ ...out, edges: out.edges.map(([i, w]) => [i, w + 1] as const) }],
          ],
        },
      };
      const verdictOff = verifyShiftSpanCertificate(s, { ...certificate, generator: offReadout });
      if (generatorOddSum(s, offReadout)) expect(verdictOff).toBeNull();
      else expect(verdictOff).toMatch(/even/);
      // a generator with an even sum (the pair shifted by 2, or the constant 0)
      const even: ShiftGenerator =
        g.firstBiases.length === 2
          ? { ...g, firstBiases: [0, 2] }
          : { firstBiases: [0], rest: { inputs: 1, layers: [[{ bias: 0, edges: [[0, 0]] }]] } };
      expect(verifyShiftSpanCertificate(s, { ...certificate, generator: even })).toMatch(/even/);
    }
  });
  it('N_f of Proposition SS built on the OH generator computes random f on every input (reference evaluator)', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const [format, rounding, accumulation, bias, d] of [
      ['UQ1.2', 'floor', 'exact', 'last', 1],
      ['UQ2.1', 'nearest-even', 'sequential', 'first', 1],
      ['UQ1.3', 'nearest-down', 'sequential', 'last', 1],
      ['UQ2.2', 'nearest-even', 'exact', 'first', 1],
      ['UQ1.1', 'nearest-zero', 'sequential', 'last', 2],
      ['UQ1.1', 'ceil', 'exact', 'first', 2],
    ] as const) {
      const where = `${format} ${rounding} ${accumulation} ${bias} d=${d}`;
      const cfg = config(format, 'identity', rounding, accumulation, bias);
      const s = settingOf(cfg);
      const found = findShiftSpanCertificate(s).certificate;
      const mine = oddGeneratorByHalving(s);
      expect(found, where).not.toBeNull();
      expect(mine, where).not.toBeNull();
      if (!found || !mine) continue;
      const c = { ...found, generator: mine, source: 'Proposition OH' };
      expect(verifyShiftSpanCertificate(s, c), where).toBeNull();
      const N = s.size;
      const table = Array.from({ length: N ** d }, () => Math.floor(random() * N));
      const f = (x: number[]) => table[d === 1 ? x[0] : x[0] * N + x[1]];
      const net = shiftNetworkFor(cfg, s, c, d, f);
      for (let i = 0; i < N ** d; i++) {
        const x = d === 1 ? [i] : [Math.floor(i / N), i % N];
        expect(Number(evaluateReference(net, x.map(BigInt))[0]), `${where} x=${x}`).toBe(f(x));
      }
    }
  });
});
