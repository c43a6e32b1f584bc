import { describe, expect, it } from 'vitest';
import { exactAffine } from '../src/engine/exact-affine.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import {
  generatorOddSum,
  generatorRaw,
  generatorTable,
  generatorValue,
  oneLayerGenerator,
  type ShiftGenerator,
  twoLayerGenerator,
} from '../src/engine/shift-generator.js';
import {
  findOddGenerator,
  findShiftSpanCertificate,
  type ShiftSpanCertificate,
  shiftCoefficients,
  valuation,
  verifyShiftSpanCertificate,
} from '../src/engine/shift-span-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import {
  checkShiftNetwork as checkNetwork,
  wrapConfig as config,
  randomLut,
  rng,
} from './shift-span-fixtures.js';

// Shift span certificates (docs/theory.md §10.10, Proposition SS): unsigned formats, wrap, both accumulations.
// Certificates are written out as the network N_f of the proof and run on every input by the BigInt
// reference evaluator of src/network; the valuation criterion is checked against polynomial arithmetic.

const ROUNDINGS = [
  'nearest-even',
  'nearest-up',
  'nearest-down',
  'nearest-away',
  'nearest-zero',
  'floor',
  'ceil',
];
const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'gelu', 'silu', 'softplus', 'mish', 'hard-swish', 'elu'];

/** The cyclic product of two GF(2) polynomials modulo t^N − 1 (naive). */
function polyMul(a: Uint8Array, b: Uint8Array): Uint8Array {
  const N = a.length;
  const c = new Uint8Array(N);
  for (let i = 0; i < N; i++) if (a[i]) for (let j = 0; j < N; j++) c[(i + j) % N] ^= b[j];
  return c;
}

/** v(p) = the largest j with p·(t + 1)^{N − j} = 0 (the annihilator of (t + 1)^{N − j} is ((t + 1)^j)). */
function valuationByProducts(p: Uint8Array): number {
  const N = p.length;
  const onePlusT = new Uint8Array(N);
  onePlusT[0] = 1;
  onePlusT[1 % N] ^= 1;
  let best = 0;
  for (let j = 0; j <= N; j++) {
    let q = p;
    for (let i = 0; i < N - j; i++) q = polyMul(q, onePlusT);
    if (q.every((v) => v === 0)) best = j;
  }
  return best;
}

describe('the valuation criterion (GF(2)[t]/(t + 1)^N)', () => {
  it('v(p) by superset sums equals the valuation by polynomial products; v = 0 iff the sum is odd', () => {
    const random = rng(3);
    for (const N of [4, 8, 16])
      for (let trial = 0; trial < 40; trial++) {
        const p = Uint8Array.from({ length: N }, () => (random() < (trial % 4) / 4 ? 1 : 0));
        const v = valuation(p);
        expect(v).toBe(valuationByProducts(p));
        expect(v === 0).toBe(p.reduce((a, b) => a ^ b, 0) === 1);
      }
  });

  it('the bit-packed valuation (N ≥ 32) finds the valuation of vectors built with it, and agrees with products', () => {
    const random = rng(9);
    const transform = (p: Uint8Array) => {
      const a = Uint8Array.from(p);
      for (let bit = 1; bit < a.length; bit <<= 1)
        for (let i = 0; i < a.length; i++) if (!(i & bit)) a[i] ^= a[i | bit];
      return a;
    };
    // the superset-sum transform is an involution over GF(2): p = T(a) with a_j = 0 below v, a_v = 1 has
    // valuation v
    for (const N of [32, 64, 128, 1024, 4096])
      for (let trial = 0; trial < 30; trial++) {
        const v = trial === 0 ? N : Math.floor(random() * N);
        const a = Uint8Array.from({ length: N }, (_, j) =>
          j < v ? 0 : j === v ? 1 : random() < 0.5 ? 1 : 0,
        );
        const p = transform(a);
        expect(valuation(p), `N = ${N}`).toBe(v);
        expect(transform(p)).toEqual(a);
        if (N === 32 && trial < 4) expect(valuation(p)).toBe(valuationByProducts(p));
      }
  });

  it('some shift b has Σ_y H(y)·P(y + b) odd iff v(H) + v(P) < N (brute force)', () => {
    const random = rng(5);
    let both = 0;
    for (const N of [4, 8, 16])
      for (let trial = 0; trial < 60; trial++) {
        const h = Uint8Array.from({ length: N }, () => (random() < 0.3 ? 1 : 0));
        const p = Uint8Array.from({ length: N }, () => (random() < 0.5 ? 1 : 0));
        // make many of them structured: multiples of (t + 1)^j
        if (trial % 3 === 0) for (let i = N - 1; i > 0; i--) p[i] ^= p[i - 1];
        let some = false;
        for (let b = 0; b < N; b++) {
          let x = 0;
          for (let y = 0; y < N; y++) x ^= h[y] & p[(y + b) % N];
          if (x) some = true;
        }
        expect(some, `N = ${N}`).toBe(valuation(h) + valuation(p) < N);
        if (some) both++;
      }
    expect(both).toBeGreaterThan(20);
  });
});

describe('shift span certificates (unsigned, wrap, both accumulations)', () => {
  const formats: Array<[string, number, number]> = [
    ['UQ0.2', 2, 4],
    ['UQ1.1', 1, 4],
    ['UQ0.3', 3, 8],
    ['UQ1.2', 2, 8],
    ['UQ2.1', 1, 8],
    ['UQ1.3', 3, 16],
    ['UQ2.2', 2, 16],
    ['UQ0.4', 4, 16],
    ['UQ2.3', 3, 32],
    ['UQ3.2', 2, 32],
  ];

  it('random configurations: wherever found, verified, and N_f (d = 1) computes random f on every input', () => {
    const random = rng(11);
    let found = 0;
    let exact = 0;
    let lut = 0;
    let greedy = 0;
    for (let trial = 0; trial < 48; trial++) {
      const [format, frac, N] = formats[trial % formats.length];
      const useLut = trial % 3 === 0;
      const activation = useLut
        ? randomLut(format, frac, N, random)
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
      if (certificate.fibreWeights[0] !== s.one) greedy++;
      expect(verifyShiftSpanCertificate(s, certificate)).toBeNull();
      checkNetwork(cfg, s, certificate, 1, trial);
    }
    expect(found).toBeGreaterThanOrEqual(20);
    expect(exact).toBeGreaterThanOrEqual(5);
    expect(lut).toBeGreaterThanOrEqual(5);
    expect(greedy).toBeGreaterThanOrEqual(1);
  });

  it('depth-2 generators: every odd one found by brute force gives a network that computes f', () => {
    const random = rng(17);
    let built = 0;
    for (const [format, frac, N] of formats.filter(([, , n]) => n <= 16)) {
      for (const accumulation of ['sequential', 'exact']) {
        const cfg = config(format, randomLut(format, frac, N, random), 'nearest-up', accumulation, 'last');
        const s = settingOf(cfg);
        const base = findShiftSpanCertificate(s).certificate;
        if (!base) continue;
        // a two-layer generator with an odd sum (readouts 1 under exact: a multiple of 2^n)
        const readouts = accumulation === 'exact' ? [s.one] : [1, 3, s.one];
        let g = null;
        for (const w of readouts)
          for (let w2 = 1; w2 < N && !g; w2++)
            for (let b2 = 0; b2 < N && !g; b2++) {
              if (w > s.max) continue;
              const t = twoLayerGenerator(w2, b2, w);
              if (generatorTable(s, t).reduce((a, v) => a ^ (v & 1), 0) === 1) g = t;
            }
        if (!g) continue;
        const c = { ...base, generator: g, source: 'test' };
        expect(verifyShiftSpanCertificate(s, c)).toBeNull();
        checkNetwork(cfg, s, c, 1, N + built);
        built++;
      }
    }
    expect(built).toBeGreaterThanOrEqual(4);
  });

  it('d = 2 through the pair AND: N_f computes random f on every input (2- and 3-bit formats)', () => {
    const cells: Array<[string, string, string, string]> = [
      ['UQ1.1', 'softplus', 'nearest-up', 'sequential'],
      ['UQ1.1', 'gelu', 'floor', 'exact'],
      ['UQ0.2', 'sigmoid', 'ceil', 'sequential'],
      // no weight 1: two fibre weights (7 and 6 codes)
      ['UQ0.3', 'relu', 'nearest-up', 'sequential'],
      ['UQ1.2', 'hard-swish', 'ceil', 'exact'],
    ];
    let built = 0;
    for (const [format, activation, rounding, accumulation] of cells) {
      const cfg = config(format, activation, rounding, accumulation, 'first');
      const s = settingOf(cfg);
      const { certificate } = findShiftSpanCertificate(s);
      if (!certificate) continue;
      checkNetwork(cfg, s, certificate, 2, built + 1);
      built++;
    }
    expect(built).toBe(cells.length);
  });

  it('refuses mutants: an even sum, a non-singleton fibre set, a fractional readout under exact, another mode', () => {
    const cfg = config('UQ1.2', 'softplus', 'nearest-up', 'sequential', 'last');
    const s = settingOf(cfg);
    const c = findShiftSpanCertificate(s).certificate as ShiftSpanCertificate;
    expect(c).not.toBeNull();
    expect(verifyShiftSpanCertificate(s, c)).toBeNull();
    // an even sum: some readout of a depth-1 generator has one (there are 7 readouts of 3 bits)
    const even = [...Array(s.size).keys()]
      .slice(1)
      .map((w) => oneLayerGenerator(w))
      .find((g) => generatorTable(s, g).reduce((a, v) => a ^ (v & 1), 0) === 0);
    expect(even).toBeDefined();
    if (even) expect(verifyShiftSpanCertificate(s, { ...c, generator: even })).toMatch(/even/);
    // w₁ = ε: u(x) = rnd(x/4) merges codes
    expect(verifyShiftSpanCertificate(s, { ...c, fibreWeights: [1] })).toMatch(/alone/);
    expect(verifyShiftSpanCertificate(s, { ...c, k: 0 })).toMatch(/σ_F/);
    const sat = settingOf(
      makeConfiguration({ format: 'UQ1.2', activation: 'softplus', overflow: 'saturate' }),
    );
    expect(verifyShiftSpanCertificate(sat, c)).toMatch(/wrap/);
    // exact accumulation: copies add their exact readout sums R = Σ w·h (product units), so (H1) is read on R
    // at the scale 2^e, not on the rounded G: a readout whose rounded table has an odd sum but whose R/2^e has
    // an even sum is refused, one whose R/2^e sum is odd is accepted (and N_f works: the test below)
    const ex = settingOf(config('UQ1.2', 'softplus', 'floor', 'exact', 'last'));
    const ce = findShiftSpanCertificate(ex).certificate as ShiftSpanCertificate;
    expect(ce).not.toBeNull();
    expect(verifyShiftSpanCertificate(ex, ce)).toBeNull();
    const readouts = [...Array(ex.size).keys()].slice(1).map((w) => oneLayerGenerator(w));
    const roundedOdd = (g: ShiftGenerator) => generatorTable(ex, g).reduce((a, v) => a ^ (v & 1), 0) === 1;
    const misleading = readouts.find((g) => roundedOdd(g) && !generatorOddSum(ex, g));
    expect(misleading).toBeDefined();
    if (misleading) expect(verifyShiftSpanCertificate(ex, { ...ce, generator: misleading })).toMatch(/even/);
    for (const g of readouts)
      expect(verifyShiftSpanCertificate(ex, { ...ce, generator: g }) === null).toBe(generatorOddSum(ex, g));
    // exact with nearest-even: a fibre weight that is not a multiple of 2^n is refused
    const ne = settingOf(config('UQ1.2', 'softplus', 'nearest-even', 'exact', 'last'));
    const cn = findShiftSpanCertificate(ne).certificate as ShiftSpanCertificate;
    if (cn)
      expect(verifyShiftSpanCertificate(ne, { ...cn, fibreWeights: [ne.one, 7] })).toMatch(/not allowed/);
  });

  it('exact accumulation with a fractional readout (R/2^e odd where the rounded G is even): N_f computes f', () => {
    let checked = 0;
    for (const [format, activation, rounding] of [
      ['UQ1.2', 'sigmoid', 'nearest-up'],
      ['UQ1.2', 'sigmoid', 'floor'],
      ['UQ0.3', 'softplus', 'ceil'],
    ]) {
      const cfg = config(format, activation, rounding, 'exact', 'first');
      const s = settingOf(cfg);
      const found = findShiftSpanCertificate(s).certificate;
      if (!found) continue;
      const g = [...Array(s.size).keys()]
        .filter((w) => w % s.one !== 0)
        .map((w) => oneLayerGenerator(w))
        .find((x) => generatorOddSum(s, x));
      if (!g) continue;
      const c = { ...found, generator: g };
      expect(verifyShiftSpanCertificate(s, c), format).toBeNull();
      for (const seed of [1, 2, 3]) checkNetwork(cfg, s, c, 1, seed);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
    // UQ0.3 has no weight 1: before (H1) was read on R, no exact UQ0.n cell had a readout at all
    const u = settingOf(config('UQ0.3', 'sigmoid', 'nearest-up', 'exact', 'first'));
    const cu = findShiftSpanCertificate(u).certificate;
    expect(cu).not.toBeNull();
    if (cu) {
      expect(verifyShiftSpanCertificate(u, cu)).toBeNull();
      checkNetwork(config('UQ0.3', 'sigmoid', 'nearest-up', 'exact', 'first'), u, cu, 1, 7);
    }
  });

  it('the readout sums R agree with G: G = (β + R) mod N (sequential), G = rnd((β·2^n + R)/2^n) (exact)', () => {
    const random = rng(31);
    for (const format of ['UQ1.2', 'UQ2.2', 'UQ0.3', 'UQ3.1'])
      for (const accumulation of ['sequential', 'exact'])
        for (let trial = 0; trial < 6; trial++) {
          const s = settingOf(config(format, 'gelu', 'nearest-up', accumulation, 'last'));
          const code = () => Math.floor(random() * s.size);
          const beta = code();
          const g: ShiftGenerator = {
            firstBiases: [code(), code()],
            rest: {
              inputs: 2,
              layers: [
                [
                  {
                    bias: code(),
                    edges: [
                      [0, code()],
                      [1, code()],
                    ],
                  },
                ],
                [{ bias: beta, edges: [[0, code()]] }],
              ],
            },
          };
          const raw = generatorRaw(s, g);
          for (let z = 0; z < s.size; z++) {
            const want =
              accumulation === 'exact'
                ? s.roundWide(beta * s.one + raw[z])
                : (((beta + raw[z]) % s.size) + s.size) % s.size;
            expect(generatorValue(s, g, z), `${format} ${accumulation} z=${z}`).toBe(want);
          }
        }
  });

  it('shift coefficients solve Σ_b k_b·(G(z + b) − β) ≡ q (mod N) (checked by summing)', () => {
    const s = settingOf(config('UQ2.2', 'gelu', 'nearest-away', 'sequential', 'first'));
    const g = findOddGenerator(s);
    expect('generator' in g).toBe(true);
    if (!('generator' in g)) return;
    const t = generatorTable(s, g.generator);
    const N = s.size;
    const random = rng(23);
    const q = Array.from({ length: N }, () => Math.floor(random() * N));
    const k = shiftCoefficients(s, g.generator, q);
    for (let z = 0; z < N; z++) {
      let sum = 0;
      for (let b = 0; b < N; b++) sum += k[b] * t[(z + b) % N];
      expect(((sum % N) + N) % N).toBe(q[z]);
    }
  });
});

describe('agreement with the fixpoint and with decide', () => {
  it('2-bit formats: wherever SS holds the fixpoint (§4) computes every function 𝕀 → 𝕀; it misses some elsewhere', () => {
    let held = 0;
    let missing = 0;
    for (const format of ['UQ0.2', 'UQ1.1', 'UQ2.0'])
      for (const activation of ['relu', 'sigmoid', 'tanh', 'softplus', 'gelu', 'hard-swish'])
        for (const rounding of ['floor', 'ceil', 'nearest-even', 'nearest-up'])
          for (const accumulation of ['sequential', 'exact']) {
            const s = settingOf(config(format, activation, rounding, accumulation, 'last'));
            const fix = reachableUnary(s, { distinctSources: true, sigmaOutput: false });
            if (fix.status !== 'done') continue;
            if (findShiftSpanCertificate(s).certificate) {
              held++;
              expect(fix.missing, `${activation} ${format} ${rounding} ${accumulation}`).toBeNull();
            } else if (fix.missing) missing++;
          }
    expect(held).toBeGreaterThanOrEqual(10);
    expect(missing).toBeGreaterThanOrEqual(1);
  });

  it('integer formats with σ_F the identity table or a translation of it (Propositions EA, EA′, not universal): SS never finds a certificate', () => {
    let refused = 0;
    for (const format of ['UQ2.0', 'UQ3.0', 'ap_uint<4>'])
      for (const activation of ['relu', 'identity', 'gelu', 'silu', 'hard-swish', 'softplus'])
        for (const rounding of ['floor', 'nearest-even', 'ceil'])
          for (const accumulation of ['sequential', 'exact']) {
            const s = settingOf(config(format, activation, rounding, accumulation, 'last'));
            if (!exactAffine(s)) continue;
            refused++;
            expect(findShiftSpanCertificate(s).certificate, `${activation} ${format} ${rounding}`).toBeNull();
          }
    // 78 identity tables (EA) and softplus under ceil on the three formats, both accumulations (EA′)
    expect(refused).toBe(84);
  });

  it('3-bit formats: decide never answers not-universal where SS holds; MS is never contradicted', () => {
    let held = 0;
    for (const format of ['UQ0.3', 'UQ1.2', 'UQ2.1'])
      for (const activation of ['silu', 'softplus', 'mish'])
        for (const rounding of ['floor', 'nearest-away'])
          for (const accumulation of ['sequential', 'exact']) {
            const cfg = config(format, activation, rounding, accumulation, 'first');
            const s = settingOf(cfg);
            if (!findShiftSpanCertificate(s).certificate) continue;
            held++;
            // SS universal: no obstruction may answer (decide tries MS and the other certificates first)
            expect(decide(cfg, { budget: 0.1 }).verdict, `${activation} ${format}`).toBe('universal');
          }
    expect(held).toBeGreaterThanOrEqual(8);
  });
});
