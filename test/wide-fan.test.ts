import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { checkDist } from '../src/engine/dist.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { decideWide } from '../src/engine/wide/decide-wide.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import { wideAffineObstruction } from '../src/engine/wide/wide-affine.js';
import { findWideCertificate, verifyWideCertificate } from '../src/engine/wide/wide-certificate.js';
import { wideDist } from '../src/engine/wide/wide-dist.js';
import { fanDigits, findFan, uniformPre, verifyFan } from '../src/engine/wide/wide-fan.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

const ACTS = ['sigmoid', 'tanh', 'silu', 'gelu', 'softplus', 'mish', 'hard-swish', 'elu', 'leaky-relu'];

const sigmaOf = (c: ReturnType<typeof makeConfiguration>) => {
  const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

describe('uniform sums (Lemma F)', () => {
  it('equal the configuration’s own accumulation when no intermediate value leaves the range', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Q3.3', 'Q2.4', 'Q4.2'),
        fc.constantFrom('sequential', 'exact'),
        fc.constantFrom('first', 'last'),
        fc.constantFrom('floor', 'nearest-even', 'nearest-up'),
        fc.integer({ min: -64, max: 63 }),
        fc.integer({ min: -64, max: 63 }),
        fc.integer({ min: -64, max: 63 }),
        fc.integer({ min: 1, max: 12 }),
        (format, accumulation, bias, rounding, w0, h0, b0, k) => {
          const s = wideSetting(
            makeConfiguration({ activation: 'relu', format, accumulation, bias, rounding }),
          );
          const clamp = (v: number) => BigInt(Math.max(Number(s.min), Math.min(Number(s.max), v)));
          const [w, h, b] = [clamp(w0), clamp(h0), clamp(b0)];
          const got = uniformPre(s, w, h, BigInt(k), b);
          const strict = s.pre(Array(k).fill(w), Array(k).fill(h), b, true);
          // uniformPre refuses exactly when some intermediate value overflows (sequential), or the
          // rounded exact sum does (exact)
          expect(got).toBe(strict);
        },
      ),
      { numRuns: 400, seed: 3 },
    );
  });
});

describe('fan emitters above 16 bits, written out on 5–7 bits', () => {
  it('every certificate found (binary weights mostly; threshold and rotation modes) passes the exhaustive verifier, gadget by gadget; the tabulated engine never says not-universal', {
    timeout: 60_000,
  }, () => {
    let found = 0;
    let fans = 0;
    const modes = new Set<string>();
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTS, 'identity'),
        fc.constantFrom('Q2.3', 'Q2.4', 'Q3.3', 'Q3.2', 'Q2.2', 'Q1.4'),
        fc.constantFrom('saturate', 'wrap'),
        fc.constantFrom('floor', 'nearest-up', 'nearest-even'),
        fc.constantFrom('sequential', 'exact'),
        fc.constantFrom('first', 'last'),
        fc.constantFrom('binary', 'binary', 'all'),
        (activation, format, overflow, rounding, accumulation, bias, weights) => {
          const c = makeConfiguration({
            activation,
            format,
            overflow,
            rounding,
            accumulation,
            bias,
            weights,
          });
          let r: ReturnType<typeof sigmaOf>;
          try {
            r = sigmaOf(c);
          } catch {
            return;
          }
          const cert = findWideCertificate(r, unlimitedBudget()).certificate;
          if (!cert) return;
          found++;
          if (cert.fan) fans++;
          modes.add(cert.mode);
          const s = settingOf(c);
          expect(verifyCertificate(s, materializeWideCertificate(s, cert))).toBeNull();
          if (c.format.bits <= 5) expect(decide(c).verdict).not.toBe('not-universal');
        },
      ),
      { numRuns: 30, seed: 21 },
    );
    // (cyclic mode has its own test below)
    expect([...modes]).toEqual(expect.arrayContaining(['rotation', 'threshold']));
    expect(fans).toBeGreaterThan(5);
    expect(found).toBeGreaterThanOrEqual(fans);
  });

  it('a digit with one copy fewer, or a bias off the zeros of σ_F, is rejected by both verifiers', () => {
    const c = makeConfiguration({ activation: 'sigmoid', format: 'Q3.3', weights: 'binary' });
    const r = sigmaOf(c);
    const cert = findWideCertificate(r, unlimitedBudget()).certificate;
    expect(cert?.fan).toBeTruthy();
    if (!cert?.fan) return;
    const s = settingOf(c);
    const fan = cert.fan;
    const j = fan.digits.length - 1;
    const fewer = { ...fan, digits: fan.digits.map((d, i) => (i === j ? { ...d, k: d.k - 1n } : d)) };
    const off = { ...fan, first: [fan.first[0], fan.first[1] + 40n] as const };
    for (const broken of [fewer, off]) {
      const bad = { ...cert, fan: broken };
      expect(verifyWideCertificate(r, bad)).not.toBeNull();
      let exhaustive: string | null;
      try {
        exhaustive = verifyCertificate(s, materializeWideCertificate(s, bad));
      } catch (e) {
        exhaustive = String(e);
      }
      expect(exhaustive).not.toBeNull();
    }
  });

  it('the digits of |y| sum to |y| for every y of a 24-bit format (the rule the lemma proves)', () => {
    const c = makeConfiguration({
      activation: 'sigmoid',
      format: 'ap_fixed<24,8,AP_RND,AP_SAT>',
      weights: 'binary',
    });
    const r = sigmaOf(c);
    const cert = findWideCertificate(r, unlimitedBudget()).certificate;
    expect(cert?.fan).toBeTruthy();
    if (!cert?.fan) return;
    expect(verifyFan(r.setting, cert.e, cert.fan)).toBeNull();
    for (const y of [r.setting.min, r.setting.max, 1n, -1n, 12345n, -(1n << 20n) - 7n]) {
      const sum = fanDigits(cert.fan, y).reduce((a, [j, q]) => a + q * (1n << BigInt(j)), 0n);
      expect(sum).toBe(y < 0n ? -y : y);
    }
    expect(typeof findFan(r, cert.e)).toBe('object');
  });
});

describe('overflow error above 16 bits, written out on 5–7 bits', () => {
  it('gain-mode certificates (Lemma G) pass the exhaustive verifier under error; the tabulated engine agrees', {
    timeout: 60_000,
  }, () => {
    let gains = 0;
    let evens = 0;
    let evenCerts = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTS, 'relu', 'identity'),
        fc.constantFrom('Q2.3', 'Q2.4', 'Q3.3', 'Q3.2', 'Q1.4'),
        fc.constantFrom('floor', 'nearest-up', 'ceil', 'nearest-down', 'nearest-even', 'nearest-even'),
        fc.constantFrom('sequential', 'exact'),
        fc.constantFrom('first', 'last'),
        (activation, format, rounding, accumulation, bias) => {
          const c = makeConfiguration({
            activation,
            format,
            overflow: 'error',
            rounding,
            accumulation,
            bias,
          });
          if (rounding === 'nearest-even' && accumulation === 'sequential') evens++;
          let r: ReturnType<typeof sigmaOf>;
          try {
            r = sigmaOf(c);
          } catch {
            return;
          }
          const cert = findWideCertificate(r, unlimitedBudget()).certificate;
          if (!cert) return;
          expect(cert.mode).toBe('gain');
          gains++;
          if (rounding === 'nearest-even') evenCerts++;
          const s = settingOf(c);
          expect(verifyCertificate(s, materializeWideCertificate(s, cert, r.setting))).toBeNull();
          if (c.format.bits <= 5) expect(decide(c).verdict).not.toBe('not-universal');
        },
      ),
      { numRuns: 70, seed: 5 },
    );
    expect(gains).toBeGreaterThan(10);
    expect(evens).toBeGreaterThan(3);
    expect(evenCerts).toBeGreaterThan(0);
  });

  it('a gain window one threshold too wide is rejected (its end overflows)', () => {
    const c = makeConfiguration({ activation: 'tanh', format: 'Q3.3', overflow: 'error', rounding: 'floor' });
    const r = sigmaOf(c);
    const cert = findWideCertificate(r, unlimitedBudget()).certificate;
    expect(cert?.mode).toBe('gain');
    if (!cert) return;
    const f = cert.families[0];
    const w = f.window as readonly [bigint, bigint];
    for (const window of [
      [w[0] - 1n, w[1]],
      [w[0], w[1] + 1n],
    ] as const) {
      if (window[0] <= r.setting.min || window[1] > r.setting.max) continue;
      const bad = { ...cert, families: [{ ...f, window }, ...cert.families.slice(1)] };
      expect(verifyWideCertificate(r, bad)).toMatch(/window/);
    }
  });

  it('Lemma BE (binary weights, error): a failure at (min, min + ε) is exactly checkDist’s witness; another witness is inseparable by brute force', () => {
    let failures = 0;
    let others = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTS, 'relu', 'identity', 'step', 'hard-sigmoid'),
        fc.constantFrom('Q2.3', 'Q2.4', 'Q3.3', 'Q3.2', 'Q1.4', 'Q4.3'),
        fc.constantFrom('floor', 'nearest-up', 'nearest-even'),
        fc.constantFrom('sequential', 'exact'),
        fc.constantFrom('first', 'last'),
        (activation, format, rounding, accumulation, bias) => {
          const c = makeConfiguration({
            activation,
            format,
            overflow: 'error',
            rounding,
            accumulation,
            bias,
            weights: 'binary',
          });
          let r: ReturnType<typeof sigmaOf>;
          try {
            r = sigmaOf(c);
          } catch {
            return;
          }
          const d = wideDist(r);
          const exact = checkDist(settingOf(c));
          if (d.holds === false) {
            failures++;
            expect(exact.holds).toBe(false);
            if (!d.witness) expect(exact.witness).toEqual([Number(r.setting.min), Number(r.setting.min) + 1]);
            else {
              others++;
              // every neuron σ_F(±1⊗x ⊕ b) valid on all of 𝕀 gives equal values at the witness
              const s = r.setting;
              const [x, y] = d.witness;
              let valid = 0;
              for (const w of [s.one, -s.one])
                for (let b = s.min; b <= s.max; b++) {
                  const vals: Array<bigint | null> = [];
                  for (let v = s.min; v <= s.max; v++) vals.push(s.neuron([w], [v], b));
                  if (vals.some((v) => v === null)) continue;
                  valid++;
                  expect(s.neuron([w], [x], b)).toBe(s.neuron([w], [y], b));
                }
              expect(valid).toBeGreaterThan(0);
            }
          } else if (exact.holds === false && exact.witness?.[0] === Number(r.setting.min)) {
            // Lemma BE leaves DIST undecided only when its neurons separate (min, min + ε)
            expect(exact.witness?.[1]).not.toBe(Number(r.setting.min) + 1);
          }
        },
      ),
      { numRuns: 150, seed: 9 },
    );
    expect(failures).toBeGreaterThan(20);
    expect(others).toBeGreaterThan(3);
  });
});

describe('cyclic families (wrap) written out', () => {
  it('sigmoid under wrap with floor: a cyclic certificate passes the exhaustive verifier; a moved split fails both', () => {
    for (const weights of ['binary', 'all']) {
      const c = makeConfiguration({
        activation: 'sigmoid',
        format: 'Q3.3',
        overflow: 'wrap',
        rounding: 'floor',
        weights,
      });
      const r = sigmaOf(c);
      const cert = findWideCertificate(r, unlimitedBudget()).certificate;
      expect(cert?.mode).toBe('cyclic');
      if (!cert) continue;
      const s = settingOf(c);
      expect(verifyCertificate(s, materializeWideCertificate(s, cert))).toBeNull();
      const f = cert.families[0];
      const broken = { ...cert, families: [{ ...f, split: f.split + 1n }] };
      expect(verifyWideCertificate(r, broken)).not.toBeNull();
      let exhaustive: string | null;
      try {
        exhaustive = verifyCertificate(s, materializeWideCertificate(s, broken));
      } catch (e) {
        exhaustive = String(e);
      }
      expect(exhaustive).not.toBeNull();
    }
  });
});

describe('the affine obstruction above 16 bits', () => {
  it('identity with binary weights under wrap and error: not-universal, and the tabulated engine never says universal', () => {
    for (const overflow of ['wrap', 'error'])
      for (const format of ['Q1.2', 'Q2.1'])
        for (const accumulation of ['sequential', 'exact']) {
          const c = makeConfiguration({
            activation: 'identity',
            format,
            overflow,
            accumulation,
            weights: 'binary',
          });
          expect(decideWide(c, unlimitedBudget()).verdict).toBe('not-universal');
          expect(decide(c).verdict).not.toBe('universal');
        }
    // another activation is not claimed, even where σ_F happens to be the identity on codes
    const relu = makeConfiguration({
      activation: 'relu',
      format: 'Q7.16',
      overflow: 'error',
      weights: 'binary',
    });
    expect(wideAffineObstruction(wideSetting(relu))).toBe(false);
    const ident = makeConfiguration({
      activation: 'identity',
      format: 'Q7.16',
      overflow: 'error',
      weights: 'binary',
    });
    expect(decide(ident).reason).toMatch(/affine obstruction under overflow error/);
  });
});
