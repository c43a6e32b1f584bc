import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../src/activations/activation.js';
import { activationTable } from '../src/activations/rounded.js';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { checkDist } from '../src/engine/dist.js';
import { activationShape, VALLEY_BRACKETS } from '../src/engine/wide/activation-shape.js';
import { decideWide } from '../src/engine/wide/decide-wide.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import { findWideCertificate, verifyWideCertificate } from '../src/engine/wide/wide-certificate.js';
import { wideDist } from '../src/engine/wide/wide-dist.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

const D = Decimal.clone({ precision: 60 });

/** erf by its Taylor series (|x| < 1, 60 digits). */
function erf(x: Decimal): Decimal {
  let sum = new D(0);
  let term = new D(x);
  for (let k = 0; k < 200; k++) {
    const t = term.div(2 * k + 1);
    sum = sum.add(t);
    term = term
      .mul(x)
      .mul(x)
      .neg()
      .div(k + 1);
    if (t.abs().lt('1e-58')) break;
  }
  return sum.mul(2).div(D.acos(-1).sqrt());
}

// each is a positive multiple of σ'(x) on x < 0 (docs/theory.md §9.5, "Shapes"), increasing there
const derivativeSign: Record<string, (x: Decimal) => Decimal> = {
  silu: (x) => new D(1).add(x.div(x.exp().add(1))),
  gelu: (x) => {
    const phi = x.mul(x).div(-2).exp().div(D.acos(-1).mul(2).sqrt());
    return new D(1)
      .add(erf(x.div(new D(2).sqrt())))
      .div(2)
      .add(x.mul(phi));
  },
  mish: (x) => {
    const t = x.exp();
    return t
      .add(2)
      .mul(t.mul(t).add(t.mul(2)).add(2))
      .add(x.mul(4).mul(t.add(1)));
  },
};

describe('shapes (docs/theory.md §9.5)', () => {
  it('each valley bracket holds the sign change of the derivative (60-digit evaluation)', () => {
    for (const name of ['silu', 'gelu', 'mish']) {
      const [lo, hi] = VALLEY_BRACKETS[name];
      const g = derivativeSign[name];
      expect(g(new D(lo)).isNegative(), `${name} at ${lo}`).toBe(true);
      expect(g(new D(hi)).isPositive(), `${name} at ${hi}`).toBe(true);
    }
  });

  it('refuses what is not proved: gelu-tanh, expressions', () => {
    expect(activationShape(parseActivation('gelu-tanh'))).toBeNull();
    expect(activationShape(parseActivation({ name: 'expr', expr: 'x*x' }))).toBeNull();
    expect(activationShape(parseActivation('leaky-relu:alpha=-0.5'))?.kind).toBe('valley');
  });
});

const ACTS = [
  'identity',
  'relu',
  'leaky-relu',
  'elu',
  'sigmoid',
  'tanh',
  'softplus',
  'silu',
  'mish',
  'gelu',
  'hard-sigmoid',
  'hard-swish',
  'step',
];
const ROUNDINGS = ['nearest-even', 'nearest-up', 'floor', 'ceil', 'toward-zero', 'nearest-away'];

const configArb = (maxBits: number) =>
  fc
    .record({
      m: fc.integer({ min: 0, max: 5 }),
      n: fc.integer({ min: 1, max: 6 }),
      kind: fc.constantFrom('Q', 'Q', 'SQ'),
      act: fc.constantFrom(...ACTS),
      rounding: fc.constantFrom(...ROUNDINGS),
      overflow: fc.constantFrom('saturate', 'saturate', 'wrap', 'error'),
      accumulation: fc.constantFrom('sequential', 'exact'),
      bias: fc.constantFrom('last', 'first'),
      weights: fc.constantFrom('all', 'all', 'binary'),
    })
    .filter(
      (o) => o.m + o.n + 1 <= maxBits && o.m + o.n + 1 >= 5 && !(o.kind === 'SQ' && o.overflow === 'wrap'),
    )
    .filter((o) => o.weights === 'all' || o.m >= 1)
    .map((o) =>
      makeConfiguration({
        format: `${o.kind}${o.m}.${o.n}`,
        activation: o.act,
        rounding: o.rounding,
        overflow: o.overflow,
        accumulation: o.accumulation,
        bias: o.bias,
        weights: o.weights,
      }),
    );

describe('σ_F at single codes and range queries', () => {
  it('agree with the table and with brute force on small formats', () => {
    fc.assert(
      fc.property(
        configArb(9),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 20, maxLength: 20 }),
        (c, pairs) => {
          const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
          if (typeof r === 'string') return;
          const table = activationTable(c.activation, c.format, c.policy);
          const min = Number(c.format.minCode);
          const n = table.length;
          const at = (code: number) => r.setting.sigma(BigInt(code));
          for (const [i, j] of pairs) {
            const a = min + (i % n);
            const b = min + (j % n);
            const [lo, hi] = a <= b ? [a, b] : [b, a];
            const got = r.range(BigInt(lo), BigInt(hi));
            let mn = Number.POSITIVE_INFINITY;
            let mx = Number.NEGATIVE_INFINITY;
            let bad = false;
            for (let k = lo; k <= hi; k++) {
              const v = at(k);
              if (v === null) bad = true;
              else {
                expect(Number(v)).toBe(table[k - min]);
                mn = Math.min(mn, Number(v));
                mx = Math.max(mx, Number(v));
              }
            }
            if (bad) expect(got).toBeNull();
            else expect(got?.map(Number)).toEqual([mn, mx]);
          }
        },
      ),
      { numRuns: 50, seed: 12 },
    );
  });
});

describe('the analytic path against the tabulated engine (5–7 bits)', () => {
  it('DIST by Lemma W/S only where checkDist holds; never the opposite verdict; certificates pass the exhaustive check', {
    timeout: 60_000,
  }, () => {
    let decided = 0;
    let certified = 0;
    let failures = 0;
    fc.assert(
      fc.property(configArb(7), (c) => {
        const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
        if (typeof r === 'string') {
          // σ_F invalid or wrapping where the shape lemma reads it: refused
          expect(decideWide(c, unlimitedBudget()).verdict).toBe('undetermined');
          return;
        }
        const s = settingOf(c);
        const dist = wideDist(r);
        const exact = checkDist(s);
        if (dist.holds === true) expect(exact.holds, `${dist.reason}`).toBe(true);
        if (dist.holds === false) {
          // Lemma B: the failure is exactly the engine's witness
          expect(exact.holds).toBe(false);
          expect(exact.witness).toEqual([s.min, s.min + 1]);
          failures++;
        }
        const wide = decideWide(c, unlimitedBudget());
        if (wide.verdict === 'not-universal') {
          // Lemma B / BE (a DIST failure), or the affine obstruction (identity, binary weights, wrap or error)
          if (dist.holds !== false) {
            expect(wide.reason).toMatch(/affine obstruction/);
            if (c.format.bits <= 6) expect(decide(c).verdict).not.toBe('universal');
          }
        }
        if (wide.verdict === 'universal') {
          decided++;
          // the tabulated engine (exhaustive search, fixpoint, output range) never disagrees
          if (c.format.bits <= 6) expect(decide(c).verdict).not.toBe('not-universal');
        }
        const found = wide.certificate ? findWideCertificate(r, unlimitedBudget()).certificate : null;
        if (found) {
          certified++;
          // the family certificate written out gadget by gadget passes the exhaustive check
          expect(verifyCertificate(s, materializeWideCertificate(s, found, r.setting))).toBeNull();
        }
      }),
      { numRuns: 40, seed: 7 },
    );
    expect(decided).toBeGreaterThan(8);
    expect(failures).toBeGreaterThan(0);
    expect(certified).toBeGreaterThan(3);
  });
});

describe('family certificates written out and checked on every input', () => {
  it('rotation mode (wrap) and threshold mode (saturate) pass the exhaustive verifier; a changed bias fails', () => {
    const cells: Array<[string, string, string, string]> = [
      ['relu', 'Q2.4', 'wrap', 'nearest-even'],
      ['tanh', 'Q2.4', 'wrap', 'nearest-even'],
      ['tanh', 'Q3.3', 'wrap', 'floor'],
      ['sigmoid', 'Q3.3', 'saturate', 'nearest-even'],
      ['gelu', 'Q3.3', 'saturate', 'nearest-even'],
      ['tanh', 'Q2.4', 'saturate', 'floor'],
      ['relu', 'Q3.3', 'wrap', 'binary'],
      ['elu', 'Q2.4', 'saturate', 'binary'],
    ];
    const modes = new Set<string>();
    const signs = new Set<bigint>();
    for (const [activation, format, overflow, rounding] of cells) {
      const c =
        rounding === 'binary'
          ? makeConfiguration({ activation, format, overflow, weights: 'binary' })
          : makeConfiguration({ activation, format, overflow, rounding });
      const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
      if (typeof r === 'string') throw new Error(r);
      const cert = findWideCertificate(r, unlimitedBudget()).certificate;
      expect(cert, `${activation} ${format} ${overflow}`).not.toBeNull();
      if (!cert) continue;
      modes.add(cert.mode);
      signs.add(cert.sign);
      const s = settingOf(c);
      expect(verifyCertificate(s, materializeWideCertificate(s, cert))).toBeNull();
      // a family whose split moves by one no longer computes its thresholds: both verifiers reject it
      const f = cert.families[0];
      const broken = { ...cert, families: [{ ...f, split: f.split + 1n }, ...cert.families.slice(1)] };
      expect(verifyWideCertificate(r, broken)).not.toBeNull();
      let exhaustive: string | null;
      try {
        exhaustive = verifyCertificate(s, materializeWideCertificate(s, broken));
      } catch (e) {
        exhaustive = String(e);
      }
      expect(exhaustive).not.toBeNull();
    }
    expect([...modes].sort()).toEqual(['rotation', 'threshold']);
    // tanh under floor never reaches 1: its emitters read −1 (Lemma E with sign −1)
    expect([...signs].sort()).toEqual([-1n, 1n]);
  });
});

describe('hand-checked cells above 16 bits', () => {
  const cell = (activation: string, format: string, weights = 'all') =>
    decide(makeConfiguration({ activation, format, weights }));

  it('relu and identity on ap_fixed<24,8,AP_RND,AP_SAT> and ap_fixed<32,16,AP_RND,AP_SAT>: universal by linear units', () => {
    for (const f of ['ap_fixed<24,8,AP_RND,AP_SAT>', 'ap_fixed<32,16,AP_RND,AP_SAT>']) {
      for (const a of ['relu', 'identity']) {
        const v = cell(a, f);
        expect(v.verdict).toBe('universal');
        expect(v.reason).toMatch(/linear-unit condition holds/);
      }
    }
  });

  it('tanh on ap_fixed<24,8,AP_RND,AP_SAT>: universal by a family certificate', () => {
    const v = cell('tanh', 'ap_fixed<24,8,AP_RND,AP_SAT>');
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/family certificate \(threshold mode/);
  });

  it('relu under overflow error with the default nearest-even: universal by gain families (Lemma G)', () => {
    const v = decide(makeConfiguration({ activation: 'relu', format: 'Q7.16', overflow: 'error' }));
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/gain mode/);
  });

  it('sigmoid with binary weights on Q7.16: universal by fan emitters (Lemma F)', () => {
    const v = cell('sigmoid', 'Q7.16', 'binary');
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/fan emitters of Lemma F/);
  });

  it('relu with binary weights: not-universal at (min, min + ε) by Lemma B, as on every format up to 16 bits', () => {
    const v = cell('relu', 'ap_fixed<32,16,AP_RND,AP_SAT>', 'binary');
    expect(v.verdict).toBe('not-universal');
    expect(v.dist?.witness).toEqual(['-32768', '-32767.9999847412109375']);
    expect(cell('relu', 'Q3.4', 'binary').dist?.witness).toEqual(['-8', '-7.9375']);
  });

  it('refusals name their reason', () => {
    expect(cell('gelu-tanh', 'Q7.16').reason).toMatch(/proven shape/);
    // sigmoid never rounds to 0 on Q1.20 (σ(−2) ≈ 0.12): no emitter with ±1 weights (§8.5), no fan (Lemma F);
    // under sequential accumulation the last-term obstruction (§8.7) decides, under exact accumulation the
    // paired emitters of Lemma IF (idle families, session 11; `undetermined` before, "σ_F never takes 0")
    expect(cell('sigmoid', 'Q1.20', 'binary').verdict).toBe('not-universal');
    expect(cell('sigmoid', 'Q1.20', 'binary').reason).toMatch(/last-term obstruction/);
    const exact = decide(
      makeConfiguration({ activation: 'sigmoid', format: 'Q1.20', weights: 'binary', accumulation: 'exact' }),
    );
    expect(exact.verdict).toBe('universal');
    expect(exact.reason).toMatch(/σ_F never takes the value 0, and an idle family certificate \(Lemma IF/);
    expect(exact.reason).toMatch(/pair \(P, C\)/);
    // toward-zero: no gain |w₀| < 1 separates t − 1 and t at t = k·2ⁿ ≤ 0 (Lemma G′'s exclusion); Lemma TZ
    // turns that into a DIST failure where σ_F merges such a pair (relu at (−ε, 0)), identity merges none
    const tz = (activation: string) =>
      decide(makeConfiguration({ activation, format: 'Q7.16', overflow: 'error', rounding: 'toward-zero' }));
    expect(tz('relu').verdict).toBe('not-universal');
    expect(tz('relu').reason).toMatch(/Lemma TZ/);
    const e = tz('identity');
    expect(e.verdict).toBe('undetermined');
    expect(e.reason).toMatch(/overflow error/);
    expect(e.reason).toMatch(/Lemma G with toward-zero: no gain/);
    expect(cell('relu', 'Q20.19').reason).toMatch(/at most 32 bits/);
  });
});
