import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Activation, BUILTIN_ACTIVATIONS, parseActivation } from '../src/activations/activation.js';
import { activationTable, roundedActivation } from '../src/activations/rounded.js';
import { opCodes, roundCodeQuotient } from '../src/core/ops.js';
import { OverflowError } from '../src/core/overflow.js';
import { biasRows } from '../src/engine/bias-rows.js';
import { checkDist, separatingNeuron, weightOrder } from '../src/engine/dist.js';
import {
  type Accumulation,
  type BiasOrder,
  makeSetting,
  type Setting,
  unary,
  type WeightSet,
} from '../src/engine/setting.js';
import { codesOf, type Format, makeFormat, parseFormat } from '../src/format.js';
import { makePolicy, OVERFLOW_MODES, type Policy, ROUNDING_MODES } from '../src/policy.js';
import { mulberry32 } from '../src/prng.js';

interface Semantics {
  rounding?: string;
  overflow?: string;
  accumulation?: Accumulation;
  bias?: BiasOrder;
  weights?: WeightSet;
}

function settingOf(act: Activation, format: Format, sem: Semantics = {}): Setting {
  const policy = makePolicy(format, sem);
  return makeSetting(
    format,
    policy,
    sem.accumulation ?? 'sequential',
    sem.bias ?? 'last',
    sem.weights ?? 'all',
    activationTable(act, format, policy),
  );
}

/**
 * The slow BigInt path: σ_F(w⊗x ⊕ b) (or σ_F(rnd(b + w·x)) under exact accumulation) with `opCodes`,
 * `roundCodeQuotient` and the correctly rounded activation; null when some step overflows under `error`.
 */
function slowNeuron(s: Setting, act: Activation, w: bigint, x: bigint, b: bigint): bigint | null {
  const f = s.format;
  const p: Policy = s.policy;
  const one = 1n << BigInt(f.fracBits);
  try {
    let pre: bigint;
    if (s.accumulation === 'exact') pre = roundCodeQuotient(b * one + w * x, one, f, p).code;
    else {
      const t = opCodes('mul', w, x, f, p).code;
      pre = (s.bias === 'last' ? opCodes('add', t, b, f, p) : opCodes('add', b, t, f, p)).code;
    }
    return roundedActivation(act, f, p).apply(pre);
  } catch (e) {
    if (e instanceof OverflowError) return null;
    throw e;
  }
}

/** W as THEORY §4 defines it: every code, or ±1. */
function weightCodes(s: Setting): bigint[] {
  const one = 1n << BigInt(s.format.fracBits);
  return s.weightSet === 'binary' ? [-one, one] : [...codesOf(s.format)];
}

/** Some first-layer neuron valid on every input separates x and y (slow path). */
function slowSeparated(s: Setting, act: Activation, x: bigint, y: bigint): boolean {
  for (const w of weightCodes(s)) {
    for (const b of codesOf(s.format)) {
      const u = slowNeuron(s, act, w, x, b);
      const v = slowNeuron(s, act, w, y, b);
      if (u === null || v === null || u === v) continue;
      let valid = true;
      for (const z of codesOf(s.format)) if (slowNeuron(s, act, w, z, b) === null) valid = false;
      if (valid) return true;
    }
  }
  return false;
}

/** Brute-force DIST on the number path: the lexicographically first undistinguished pair, or null. */
function bruteDist(s: Setting): [number, number] | null {
  const valid = s.weights.map((w) => {
    const row: boolean[] = [];
    for (let b = s.min; b <= s.max; b++) {
      let ok = true;
      for (let z = s.min; z <= s.max && ok; z++) ok = unary(s, w, z, b) >= s.min;
      row.push(ok);
    }
    return row;
  });
  for (let x = s.min; x <= s.max; x++) {
    for (let y = x + 1; y <= s.max; y++) {
      let sep = false;
      s.weights.forEach((w, wi) => {
        for (let b = s.min; b <= s.max && !sep; b++) {
          if (valid[wi][b - s.min] && unary(s, w, x, b) !== unary(s, w, y, b)) sep = true;
        }
      });
      if (!sep) return [x, y];
    }
  }
  return null;
}

const tinyFormats: Format[] = [];
for (const kind of ['Q', 'UQ', 'SQ'] as const) {
  for (let m = 0; m <= 4; m++) {
    for (let n = 0; n <= 4; n++) {
      const bits = m + n + (kind === 'UQ' ? 0 : 1);
      if (bits >= 2 && bits <= 4) tinyFormats.push(makeFormat(kind, m, n));
    }
  }
}

describe('checkDist: witnesses re-checked on the slow BigInt path', () => {
  it('every failing cell of the built-ins on 2–4-bit formats (saturate and error) has a true, first witness', () => {
    let failures = 0;
    for (const name of BUILTIN_ACTIVATIONS) {
      const act = parseActivation(name);
      for (const f of tinyFormats) {
        for (const overflow of ['saturate', 'error']) {
          for (const weights of f.hasOne ? (['all', 'binary'] as const) : (['all'] as const)) {
            const s = settingOf(act, f, { overflow, weights });
            const r = checkDist(s);
            if (r.holds) {
              expect(r.witness).toBeNull();
              continue;
            }
            failures++;
            const [x, y] = r.witness!;
            expect(x).toBeLessThan(y);
            // no valid neuron separates the witness …
            expect(slowSeparated(s, act, BigInt(x), BigInt(y))).toBe(false);
            // … and every pair before it (lexicographically) is separated
            for (let a = s.min; a <= x; a++) {
              for (let c = a + 1; c <= (a === x ? y - 1 : s.max); c++) {
                expect(slowSeparated(s, act, BigInt(a), BigInt(c)), `${name} ${f.spec} (${a}, ${c})`).toBe(
                  true,
                );
              }
            }
          }
        }
      }
    }
    expect(failures).toBeGreaterThan(20);
  });

  it('a witness under exact accumulation and wrap is re-checked too', () => {
    const act = parseActivation('relu');
    for (const spec of ['Q2.0', 'Q1.1', 'UQ2.1']) {
      for (const sem of [
        { accumulation: 'exact', overflow: 'wrap' },
        { accumulation: 'exact', overflow: 'error' },
        { bias: 'first', overflow: 'wrap' },
      ] as Semantics[]) {
        const s = settingOf(act, parseFormat(spec), sem);
        const r = checkDist(s);
        expect(r.witness).toEqual(bruteDist(s));
        if (r.witness) expect(slowSeparated(s, act, BigInt(r.witness[0]), BigInt(r.witness[1]))).toBe(false);
      }
    }
  });

  it('relu on Q3.0: ±1 cannot tell −8 from −7 (−1 ⊗ −8 saturates to 7), nor can any other weight', () => {
    const act = parseActivation('relu');
    const s = settingOf(act, parseFormat('Q3.0'));
    const r = checkDist(s);
    expect(r.witness).toEqual([-8, -7]);
    expect(slowSeparated(s, act, -8n, -7n)).toBe(false);
    expect(slowSeparated(s, act, -8n, -6n)).toBe(true);
  });

  it('DIST holds for relu and gelu on Q3.4: the rows b ↦ σ_F(w⊗x ⊕ b) of w ∈ {1, 15/16} tell every x apart (slow path)', () => {
    for (const name of ['relu', 'gelu']) {
      const act = parseActivation(name);
      const s = settingOf(act, parseFormat('Q3.4'));
      const r = checkDist(s);
      expect(r.holds).toBe(true);
      expect(r.witness).toBeNull();
      expect(r.stats.classes).toBe(s.size);
      const rows = new Set<string>();
      for (const x of codesOf(s.format)) {
        const row: (bigint | null)[] = [];
        for (const w of [16n, 15n]) for (const b of codesOf(s.format)) row.push(slowNeuron(s, act, w, x, b));
        rows.add(row.join(','));
      }
      expect(rows.size).toBe(s.size);
    }
  });

  it('separatingNeuron gives a neuron the slow path confirms', () => {
    const act = parseActivation('gelu');
    const s = settingOf(act, parseFormat('Q2.2'));
    for (const [x, y] of [
      [-16, -15],
      [-5, 3],
      [0, 1],
      [14, 15],
    ] as const) {
      const n = separatingNeuron(s, x, y);
      expect(n).not.toBeNull();
      const u = slowNeuron(s, act, BigInt(n!.w), BigInt(x), BigInt(n!.b));
      const v = slowNeuron(s, act, BigInt(n!.w), BigInt(y), BigInt(n!.b));
      expect(u).not.toBe(v);
    }
    const relu = settingOf(parseActivation('relu'), parseFormat('Q3.0'));
    expect(separatingNeuron(relu, -8, -7)).toBeNull();
  });
});

describe('checkDist: built counterexamples', () => {
  it('a constant σ separates nothing: the witness is the two least values', () => {
    for (const spec of ['Q2.2', 'UQ3.1', 'SQ1.2']) {
      const f = parseFormat(spec);
      for (const act of [
        parseActivation('expr:0'),
        parseActivation({ name: 'lut', format: spec, y: Array(Number(f.size)).fill('0.5').join(',') }),
      ]) {
        const s = settingOf(act, f);
        const r = checkDist(s);
        expect(r.holds).toBe(false);
        expect(r.witness).toEqual([s.min, s.min + 1]);
        expect(slowSeparated(s, act, f.minCode, f.minCode + 1n)).toBe(false);
      }
    }
  });

  it('a σ_F that only sees parity: under wrap no weight separates x from x + 2', () => {
    const f = parseFormat('Q2.0');
    const act = parseActivation({ name: 'lut', format: 'Q2.0', y: '0,1,0,1,0,1,0,1' });
    const wrap = settingOf(act, f, { overflow: 'wrap' });
    const r = checkDist(wrap);
    expect(r.witness).toEqual([-4, -2]);
    expect(slowSeparated(wrap, act, -4n, -2n)).toBe(false);
    expect(slowSeparated(wrap, act, -4n, -3n)).toBe(true);
    // saturation breaks the period: −4 ⊕ −1 = −4 but −2 ⊕ −1 = −3
    const sat = settingOf(act, f, { overflow: 'saturate' });
    expect(checkDist(sat).holds).toBe(true);
    expect(slowSeparated(sat, act, -4n, -2n)).toBe(true);
  });

  it('identity on Q3.0 with wrap: DIST holds (w = 1, b = 0 is injective); the obstruction is elsewhere', () => {
    const s = settingOf(parseActivation('identity'), parseFormat('Q3.0'), { overflow: 'wrap' });
    const r = checkDist(s);
    expect(r.holds).toBe(true);
    expect(r.stats.passes).toBe(1);
  });

  it('under overflow error a neuron must be valid on every input: step on Q3.3', () => {
    const act = parseActivation('step');
    const s = settingOf(act, parseFormat('Q3.3'), { overflow: 'error' });
    const r = checkDist(s);
    expect(r.witness).toEqual(bruteDist(s));
    expect(r.witness).not.toBeNull();
    expect(slowSeparated(s, act, BigInt(r.witness![0]), BigInt(r.witness![1]))).toBe(false);
    // the same pair is separated when overflow saturates
    const sat = settingOf(act, parseFormat('Q3.3'));
    expect(checkDist(sat).holds).toBe(true);
  });
});

/** A random tiny setting with a random σ table (values may leave the format: invalid points). */
const settingArb = fc
  .record({
    kind: fc.constantFrom('Q', 'UQ', 'SQ'),
    m: fc.integer({ min: 0, max: 3 }),
    n: fc.integer({ min: 0, max: 3 }),
    rounding: fc.constantFrom(...ROUNDING_MODES),
    overflow: fc.constantFrom(...OVERFLOW_MODES),
    accumulation: fc.constantFrom<Accumulation>('sequential', 'exact'),
    bias: fc.constantFrom<BiasOrder>('last', 'first'),
    binary: fc.boolean(),
    shape: fc.constantFrom('few', 'any', 'scaled', 'identity'),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .filter(({ kind, m, n, overflow }) => {
    const bits = m + n + (kind === 'UQ' ? 0 : 1);
    return bits >= 1 && bits <= 4 && !(kind === 'SQ' && overflow === 'wrap');
  })
  .map((r) => {
    const f = makeFormat(r.kind as 'Q' | 'UQ' | 'SQ', r.m, r.n);
    const policy = makePolicy(f, r);
    const min = Number(f.minCode);
    const N = Number(f.size);
    const next = mulberry32(r.seed);
    const rnd = (k: number) => Math.floor(next() * k);
    const few = [min + rnd(N), min + rnd(N), min + rnd(N)];
    const table = Int32Array.from({ length: N }, (_, i) =>
      r.shape === 'few'
        ? few[rnd(1 + rnd(3))]
        : r.shape === 'any'
          ? min - 1 + rnd(N + 2)
          : r.shape === 'scaled'
            ? Math.max(min, Math.min(min + N - 1, Math.floor(((min + i) * (1 + rnd(6))) / 3)))
            : min + i,
    );
    const weights: WeightSet = r.binary && f.hasOne ? 'binary' : 'all';
    return makeSetting(f, policy, r.accumulation, r.bias, weights, table);
  });

describe('checkDist agrees with a brute-force scan', () => {
  it('on random tiny formats, semantics and σ tables', () => {
    fc.assert(
      fc.property(settingArb, (s) => {
        expect(checkDist(s).witness).toEqual(bruteDist(s));
      }),
      { numRuns: 600 },
    );
  });

  it('bias rows reproduce every unary neuron', () => {
    fc.assert(
      fc.property(settingArb, (s) => {
        const rows = biasRows(s);
        for (const w of s.weights) {
          for (let x = s.min; x <= s.max; x++) {
            const p = rows.offset(w, x);
            for (let b = s.min; b <= s.max; b++) {
              const v = unary(s, w, x, b);
              const sym = Number.isNaN(p) ? 0 : rows.symbols[p + b - s.min];
              expect(sym).toBe(v >= s.min ? v - s.min + 1 : 0);
            }
          }
          // valid biases: exactly the b whose neuron is valid on every input
          const valid = new Set<number>();
          for (const [lo, hi] of rows.validBiases(w)) for (let b = lo; b <= hi; b++) valid.add(b);
          for (let b = s.min; b <= s.max; b++) {
            let ok = true;
            for (let z = s.min; z <= s.max && ok; z++) ok = unary(s, w, z, b) >= s.min;
            expect(valid.has(b)).toBe(ok);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('exact accumulation with multipliers far beyond the weights (rows clamp or repeat)', () => {
    for (const spec of ['Q2.2', 'UQ1.2', 'Q1.0']) {
      const f = parseFormat(spec);
      for (const overflow of ['saturate', 'wrap', 'error']) {
        for (const rounding of ['nearest-even', 'toward-zero', 'nearest-away']) {
          const act = parseActivation('tanh');
          const s = settingOf(act, f, { overflow, rounding, accumulation: 'exact' });
          const rows = biasRows(s);
          for (const c of [-1000, -333, -65, 77, 129, 517, 4099]) {
            for (let x = s.min; x <= s.max; x++) {
              const p = rows.offset(c, x);
              for (let b = s.min; b <= s.max; b++) {
                const v = s.sigma[s.roundWide(b * s.one + c * x) - s.min];
                expect(rows.symbols[p + b - s.min]).toBe(v >= s.min ? v - s.min + 1 : 0);
              }
            }
          }
        }
      }
    }
  });
});

describe('checkDist on 16-bit formats', () => {
  it('Q7.8 with gelu: holds in one pass with w = 1', () => {
    const s = settingOf(parseActivation('gelu'), parseFormat('Q7.8'));
    const r = checkDist(s);
    expect(r.holds).toBe(true);
    expect(r.stats).toMatchObject({ passes: 1, weightsTried: 1, classes: 65536 });
  });

  it('Q15.0 with relu fails at the two least values, like Q3.0', () => {
    const s = settingOf(parseActivation('relu'), parseFormat('Q15.0'));
    const r = checkDist(s);
    expect(r.witness).toEqual([-32768, -32767]);
    // spot-check on the number path: w = ±1 and every bias
    for (const w of [1, -1, 2, -2, 32767, -32768]) {
      for (let b = s.min; b <= s.max; b += 97) expect(unary(s, w, -32768, b)).toBe(unary(s, w, -32767, b));
    }
  });

  it('tries ±1 first', () => {
    const s = settingOf(parseActivation('relu'), parseFormat('Q3.4'));
    expect(weightOrder(s).slice(0, 2)).toEqual([16, -16]);
    expect(weightOrder(s)).toHaveLength(s.size - 1);
  });
});
