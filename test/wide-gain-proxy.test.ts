/**
 * Lemma G″ (docs/theory.md §9.5): under exact accumulation, toward-zero, nearest-away and nearest-zero
 * agree at a split s with a rounding that commutes with integer shifts (`gainProxy`), so the gain families
 * ±½ serve every threshold in their windows. And shapes of σ_F read off the table (`tabulated-shape.ts`),
 * which let gelu-tanh use the family certificates at ≤ 16 bits. Certificates found on 5–7-bit formats are
 * written out gadget by gadget and checked on every input by the exhaustive `verifyCertificate`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import { shapeHolds, tabulatedShape } from '../src/engine/wide/tabulated-shape.js';
import { findWideCertificate, verifyWideCertificate } from '../src/engine/wide/wide-certificate.js';
import {
  gainApplies,
  gainProxy,
  gainServes,
  gainStep,
  gainsOf,
  gainTwoSided,
} from '../src/engine/wide/wide-gain.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

/** p/q (q > 0) rounded to an integer, written from the definitions (independent of src/core). */
function rnd(p: bigint, q: bigint, mode: string): bigint {
  const fl = p >= 0n ? p / q : -((-p + q - 1n) / q);
  const r2 = 2n * (p - fl * q); // 0 ≤ r2 < 2q: twice the fraction
  if (r2 === 0n) return fl;
  const up = fl + 1n;
  const tie = r2 === q;
  switch (mode) {
    case 'floor':
      return fl;
    case 'ceil':
      return up;
    case 'toward-zero':
      return p >= 0n ? fl : up;
    case 'nearest-up':
      return r2 >= q ? up : fl;
    case 'nearest-down':
      return r2 > q ? up : fl;
    case 'nearest-away':
      return tie ? (p >= 0n ? up : fl) : r2 > q ? up : fl;
    case 'nearest-zero':
      return tie ? (p >= 0n ? fl : up) : r2 > q ? up : fl;
    case 'nearest-even':
      return tie ? (fl % 2n === 0n ? fl : up) : r2 > q ? up : fl;
    default:
      throw new Error(mode);
  }
}

const PROXIED = ['toward-zero', 'nearest-away', 'nearest-zero'];

const setting = (rounding: string, format = 'Q3.4', accumulation = 'exact', activation = 'relu') =>
  wideSetting(makeConfiguration({ activation, format, overflow: 'error', rounding, accumulation }));

describe('Lemma G″: the proxy rounding at a split', () => {
  it('rnd(q) ≥ s ⟺ r′_s(q) ≥ s for every q = k/64 in [−12, 12] and every split s in [−10, 10]', () => {
    for (const mode of PROXIED) {
      const s = setting(mode);
      for (let split = -10n; split <= 10n; split++) {
        const proxy = gainProxy(s, split);
        expect(proxy, `${mode} s=${split}`).not.toBeNull();
        expect(['floor', 'ceil', 'nearest-up', 'nearest-down']).toContain(proxy);
        for (let k = -768n; k <= 768n; k++)
          expect(rnd(k, 64n, proxy!) >= split, `${mode} s=${split} q=${k}/64`).toBe(
            rnd(k, 64n, mode) >= split,
          );
      }
    }
  });

  it('a proxy for no shift-commuting rounding: rnd(q) ≥ s differs from rnd(q) itself somewhere (the lemma is needed)', () => {
    // toward-zero is not floor: at s = 0, q = −½ gives rnd = 0 ≥ 0 but floor = −1
    expect(rnd(-32n, 64n, 'toward-zero') >= 0n).toBe(true);
    expect(rnd(-32n, 64n, 'floor') >= 0n).toBe(false);
    expect(gainProxy(setting('toward-zero'), 0n)).toBe('ceil');
  });

  it('applies under exact accumulation only; sequential keeps Lemma G′ (and toward-zero its refusal)', () => {
    for (const mode of PROXIED) {
      expect(gainApplies(setting(mode))).toBeNull();
      expect(gainsOf(setting(mode)).gains.length).toBe(2);
      expect(gainTwoSided(setting(mode))).toBe(false);
      expect(gainProxy(setting(mode, 'Q3.4', 'sequential'), 1n)).toBeNull();
    }
    expect(gainApplies(setting('toward-zero', 'Q3.4', 'sequential'))).toMatch(/toward-zero: no gain/);
    expect(gainApplies(setting('nearest-away', 'Q3.4', 'sequential'))).toBeNull();
    expect(gainProxy(setting('floor'), 1n)).toBeNull();
  });

  it('every served t is separated at the split by the configuration’s own rnd(w₀x + b_t); ±½ serve every t (Q3.4, Q2.5)', () => {
    for (const format of ['Q3.4', 'Q2.5'])
      for (const mode of PROXIED) {
        const s = setting(mode, format);
        for (const split of [-3n, -1n, 0n, 1n, 2n, 5n]) {
          for (let t = s.min + 1n; t <= s.max; t++) {
            let any = false;
            for (const gain of gainsOf(s).gains) {
              const served = gainServes(s, gain, t, split);
              const [w, b] = gainStep(s, { gain, split }, t);
              const p0 = rnd(w * (t - 1n) + b * s.one, s.one, mode);
              const p1 = rnd(w * t + b * s.one, s.one, mode);
              // w₀ > 0: p(t − 1) ≤ s − 1 < s ≤ p(t); w₀ < 0: p(t) ≤ s − 1 < s ≤ p(t − 1)
              const direct = gain > 0n ? p0 < split && p1 >= split : p1 < split && p0 >= split;
              expect(served, `${format} ${mode} s=${split} w=${gain} t=${t}`).toBe(direct);
              any ||= served;
            }
            expect(any, `${format} ${mode} s=${split} t=${t}`).toBe(true);
          }
        }
      }
  });
});

const sigmaOf = (c: ReturnType<typeof makeConfiguration>) => {
  const shape = activationShape(c.activation) ?? tabulatedShape(settingOf(c).sigma, settingOf(c).min);
  if (typeof shape === 'string') throw new Error(shape);
  const r = wideSigma(wideSetting(c), shape);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

describe('gain certificates under exact accumulation (5–7 bits), written out and checked on every input', () => {
  it('toward-zero, nearest-away, nearest-zero: every certificate passes the exhaustive verifier; a moved bias fails', {
    timeout: 90_000,
  }, () => {
    let found = 0;
    let mutated = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(
          'sigmoid',
          'tanh',
          'silu',
          'gelu',
          'gelu-tanh',
          'relu',
          'elu',
          'leaky-relu',
          'softplus',
          'hard-swish',
          'mish',
          'identity',
        ),
        fc.constantFrom('Q2.3', 'Q2.4', 'Q3.3', 'Q1.4', 'Q3.2'),
        fc.constantFrom(...PROXIED),
        fc.constantFrom('first', 'last'),
        (activation, format, rounding, bias) => {
          const c = makeConfiguration({
            activation,
            format,
            overflow: 'error',
            rounding,
            bias,
            accumulation: 'exact',
          });
          let r: ReturnType<typeof sigmaOf>;
          try {
            r = sigmaOf(c);
          } catch {
            return;
          }
          const cert = findWideCertificate(r, unlimitedBudget()).certificate;
          if (!cert) return;
          expect(cert.mode).toBe('gain');
          found++;
          const s = settingOf(c);
          const full = materializeWideCertificate(s, cert, r.setting);
          expect(verifyCertificate(s, full)).toBeNull();
          if (c.format.bits <= 5) expect(decide(c).verdict).toBe('universal');
          // the same families with the other proxy (split moved across 0 where the rest chains allow it):
          // whatever the analytic verifier accepts, the exhaustive one must accept too
          const moved = {
            ...cert,
            families: cert.families.map((f) => ({ ...f, split: f.split >= 1n ? 0n : 1n })),
          };
          if (verifyWideCertificate(r, moved) === null)
            expect(verifyCertificate(s, materializeWideCertificate(s, moved, r.setting))).toBeNull();
          else mutated++;
        },
      ),
      { numRuns: 30, seed: 21 },
    );
    expect(found).toBeGreaterThan(12);
    expect(mutated).toBeGreaterThan(0);
  });

  it('a detector whose first bias is moved by one code fails the exhaustive check', () => {
    const c = makeConfiguration({
      activation: 'relu',
      format: 'Q2.3',
      overflow: 'error',
      rounding: 'toward-zero',
      accumulation: 'exact',
    });
    const r = sigmaOf(c);
    const cert = findWideCertificate(r, unlimitedBudget()).certificate;
    expect(cert?.mode).toBe('gain');
    const s = settingOf(c);
    const full = materializeWideCertificate(s, cert!, r.setting);
    expect(verifyCertificate(s, full)).toBeNull();
    let rejected = 0;
    for (let z = 0; z < full.detectors.length; z += 5) {
      const d = full.detectors[z];
      const layers = d.layers.map((l, i) =>
        i === 0 ? l.map((n) => ({ ...n, bias: n.bias + 1 > s.max ? n.bias - 1 : n.bias + 1 })) : l,
      );
      const detectors = full.detectors.map((x, i) => (i === z ? { ...d, layers } : x));
      if (verifyCertificate(s, { ...full, detectors }) !== null) rejected++;
    }
    expect(rejected).toBeGreaterThan(3);
  });
});

describe('shapes read off the table (tabulated-shape.ts)', () => {
  it('hold at every code (gelu-tanh, five roundings, 6–8 bits; brute force over all pairs of codes)', () => {
    for (const format of ['Q2.3', 'Q3.4', 'Q1.6'])
      for (const rounding of ['floor', 'ceil', 'nearest-even', 'toward-zero', 'nearest-away']) {
        const s = settingOf(makeConfiguration({ activation: 'gelu-tanh', format, rounding }));
        const shape = tabulatedShape(s.sigma, s.min);
        if (typeof shape === 'string') throw new Error(shape);
        expect(shape.kind).toBe('codes');
        if (shape.kind !== 'codes') continue;
        const [cL, cR] = [Number(shape.cL), Number(shape.cR)];
        expect(shapeHolds(s.sigma, s.min, cL, cR)).toBe(true);
        // brute force: every a ≤ b ≤ cL has σ(a) ≥ σ(b), every cR ≤ a ≤ b has σ(a) ≤ σ(b)
        let bad = 0;
        for (let a = s.min; a <= s.max; a++)
          for (let b = a; b <= s.max; b++) {
            if (b <= cL && s.sigma[a - s.min] < s.sigma[b - s.min]) bad++;
            if (a >= cR && s.sigma[a - s.min] > s.sigma[b - s.min]) bad++;
          }
        expect(bad, `${format} ${rounding}`).toBe(0);
        expect(cR - cL).toBeLessThan(8);
      }
  });

  it('refuses a table that is not one valley, or with an invalid value', () => {
    // one code between the branches is read on its own (not a valley on ℝ, but range queries stay exact)
    expect(tabulatedShape([0, 1, 0, 1], -2)).toEqual({ kind: 'codes', cL: -2n, cR: 0n });
    expect(tabulatedShape([0, Number.NaN, 1], -1)).toMatch(/invalid at code 0/);
    const zigzag = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? 0 : 1));
    expect(tabulatedShape(zigzag, -150)).toMatch(/not one valley/);
    expect(tabulatedShape([3, 2, 2, 1, 1, 2, 5], -3)).toEqual({ kind: 'codes', cL: -1n, cR: 0n });
    expect(tabulatedShape([1, 2, 3], -1)).toEqual({ kind: 'codes', cL: -2n, cR: -1n });
  });

  it('gelu-tanh family certificates through the table’s shape pass the exhaustive verifier (6–7 bits)', {
    timeout: 30_000,
  }, () => {
    let found = 0;
    for (const format of ['Q2.3', 'Q2.4', 'Q3.3'])
      for (const rounding of ['floor', 'ceil', 'nearest-even', 'toward-zero'])
        for (const accumulation of ['sequential', 'exact']) {
          const c = makeConfiguration({
            activation: 'gelu-tanh',
            format,
            overflow: 'error',
            rounding,
            accumulation,
          });
          expect(activationShape(c.activation)).toBeNull();
          let r: ReturnType<typeof sigmaOf>;
          try {
            r = sigmaOf(c);
          } catch {
            continue;
          }
          const cert = findWideCertificate(r, unlimitedBudget()).certificate;
          if (!cert) continue;
          found++;
          const s = settingOf(c);
          expect(verifyCertificate(s, materializeWideCertificate(s, cert, r.setting))).toBeNull();
        }
    expect(found).toBeGreaterThan(6);
  });

  it('gelu-tanh under error on 12 bits: universal through the table’s shape (Q3.8, floor, exact)', {
    timeout: 30_000,
  }, () => {
    const v = decide(
      makeConfiguration({
        activation: 'gelu-tanh',
        format: 'Q3.8',
        overflow: 'error',
        rounding: 'floor',
        accumulation: 'exact',
      }),
    );
    expect(v.verdict).toBe('universal');
  });
});
