/**
 * Overflow `error` above 16 bits, the cells issue 12 left open (docs/theory.md §9.5): identity with all
 * weights (the AND gadget b = −1 and compressing chains), Lemma G′ (nearest-away and nearest-zero, one
 * residue table per sign) and why toward-zero is excluded. Certificates found on 5–7-bit analogues are
 * written out gadget by gadget and checked on every input by the exhaustive `verifyCertificate`; the
 * tabulated engine must never say the opposite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { decideWide } from '../src/engine/wide/decide-wide.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import { findWideCertificate, verifyWideCertificate } from '../src/engine/wide/wide-certificate.js';
import { compressPrefixes } from '../src/engine/wide/wide-compress.js';
import {
  gainApplies,
  gainParity,
  gainProduct,
  gainResidues,
  gainServes,
  gainsOf,
} from '../src/engine/wide/wide-gain.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

const sigmaOf = (c: ReturnType<typeof makeConfiguration>) => {
  const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

/** Exact toward-zero, nearest-away and nearest-zero of p/q (q > 0), independent of src/core. */
function rnd(p: bigint, q: bigint, mode: string): bigint {
  const neg = p < 0n;
  const a = neg ? -p : p;
  let k = a / q;
  const r2 = 2n * (a - k * q);
  if (mode === 'nearest-away' && r2 >= q) k++;
  if (mode === 'nearest-zero' && r2 > q) k++;
  return neg ? -k : k;
}

describe('identity with all weights under overflow error', () => {
  it('is universal on Q7.16 (nearest-up): AND b = −1, rest chains by compressing steps', () => {
    const c = makeConfiguration({
      activation: 'identity',
      format: 'Q7.16',
      overflow: 'error',
      rounding: 'nearest-up',
    });
    const r = sigmaOf(c);
    const { certificate } = findWideCertificate(r, unlimitedBudget());
    expect(certificate).not.toBeNull();
    expect(certificate?.mode).toBe('gain');
    expect(verifyWideCertificate(r, certificate!)).toBeNull();
  });

  it('5–7-bit analogues: certificates pass the exhaustive verifier; the tabulated engine agrees', {
    timeout: 60_000,
  }, () => {
    let found = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('Q2.3', 'Q2.4', 'Q3.3', 'Q1.4', 'Q3.2'),
        fc.constantFrom('floor', 'nearest-up', 'nearest-even', 'nearest-away', 'nearest-zero'),
        fc.constantFrom('first', 'last'),
        (format, rounding, bias) => {
          const c = makeConfiguration({ activation: 'identity', format, overflow: 'error', rounding, bias });
          const r = sigmaOf(c);
          const cert = findWideCertificate(r, unlimitedBudget()).certificate;
          if (!cert) return;
          found++;
          const s = settingOf(c);
          expect(verifyCertificate(s, materializeWideCertificate(s, cert, r.setting))).toBeNull();
          if (c.format.bits <= 5) expect(decide(c).verdict).not.toBe('not-universal');
        },
      ),
      { numRuns: 12, seed: 12 },
    );
    expect(found).toBeGreaterThan(6);
  });
});

describe('Lemma G′: nearest-away and nearest-zero under error (one residue table per sign)', () => {
  it('applies with sequential accumulation (exact: Lemma G″); toward-zero sequential is refused with its reason', () => {
    const c = (rounding: string, accumulation = 'sequential') =>
      wideSetting(
        makeConfiguration({ activation: 'relu', format: 'Q7.16', overflow: 'error', rounding, accumulation }),
      );
    expect(gainApplies(c('nearest-away'))).toBeNull();
    expect(gainApplies(c('nearest-zero'))).toBeNull();
    // exact accumulation: Lemma G″ (test/wide-gain-proxy.test.ts)
    expect(gainApplies(c('nearest-away', 'exact'))).toBeNull();
    expect(gainApplies(c('nearest-even', 'exact'))).toBeNull();
    expect(gainApplies(c('toward-zero'))).toMatch(/toward-zero: no gain/);
  });

  it('servedness equals g(t − 1) ≠ g(t) computed directly, on both sides of 0 (Q3.4, every t, every gain)', () => {
    for (const rounding of ['nearest-away', 'nearest-zero']) {
      const s = wideSetting(
        makeConfiguration({ activation: 'relu', format: 'Q3.4', overflow: 'error', rounding }),
      );
      for (const w of gainsOf(s).gains) {
        gainResidues(s, w);
        for (let t = s.min + 1n; t <= s.max; t++) {
          const direct = rnd(w * (t - 1n), s.one, rounding) !== rnd(w * t, s.one, rounding);
          expect(gainServes(s, w, t), `${rounding} w=${w} t=${t}`).toBe(direct);
        }
      }
    }
  });

  it('24 bits: relu and sigmoid on Q7.16 are universal by gain certificates', {
    timeout: 60_000,
  }, () => {
    for (const [activation, rounding] of [
      ['relu', 'nearest-away'],
      ['sigmoid', 'nearest-zero'],
    ]) {
      const c = makeConfiguration({ activation, format: 'Q7.16', overflow: 'error', rounding });
      const r = sigmaOf(c);
      const cert = findWideCertificate(r, unlimitedBudget()).certificate;
      expect(cert?.mode, `${activation} ${rounding}`).toBe('gain');
      expect(verifyWideCertificate(r, cert!)).toBeNull();
    }
  });

  it('5–7-bit analogues (every built-in with a shape): written out, checked on every input', {
    timeout: 60_000,
  }, () => {
    let found = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(
          'sigmoid',
          'tanh',
          'silu',
          'gelu',
          'relu',
          'elu',
          'leaky-relu',
          'softplus',
          'hard-swish',
          'identity',
        ),
        fc.constantFrom('Q2.3', 'Q2.4', 'Q3.3', 'Q1.4', 'Q3.2'),
        fc.constantFrom('nearest-away', 'nearest-zero'),
        fc.constantFrom('first', 'last'),
        (activation, format, rounding, bias) => {
          const c = makeConfiguration({ activation, format, overflow: 'error', rounding, bias });
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
          expect(verifyCertificate(s, materializeWideCertificate(s, cert, r.setting))).toBeNull();
          if (c.format.bits <= 5) expect(decide(c).verdict).not.toBe('not-universal');
        },
      ),
      { numRuns: 18, seed: 7 },
    );
    expect(found).toBeGreaterThan(8);
  });
});

describe('nearest-even with exact accumulation under error (Lemma G with a bias parity)', () => {
  it('the pre-activation of bias b is g_p(x) + b for p = b mod 2 (every x, gain and bias of Q2.3)', () => {
    const s = wideSetting(
      makeConfiguration({ activation: 'relu', format: 'Q2.3', overflow: 'error', accumulation: 'exact' }),
    );
    expect(gainParity(s)).toBe(true);
    for (const w of gainsOf(s).gains)
      for (let b = s.min; b <= s.max; b++)
        for (let x = s.min; x <= s.max; x++) {
          // independent: nearest-even of the exact rational (w·x + b·8)/8
          const num = w * x + b * 8n;
          const fl = num >= 0n ? num / 8n : -((-num + 7n) / 8n);
          const r2 = num - fl * 8n;
          const want = r2 > 4n || (r2 === 4n && fl % 2n !== 0n) ? fl + 1n : fl;
          const p = ((b % 2n) + 2n) % 2n;
          expect(gainProduct(s, w, x, p) + b, `w=${w} b=${b} x=${x}`).toBe(want);
        }
  });

  it('24 bits: sigmoid on Q7.16 is universal (its record splits near 0 are all odd: both parities needed)', {
    timeout: 60_000,
  }, () => {
    for (const [activation, format] of [['sigmoid', 'Q7.16']]) {
      const c = makeConfiguration({ activation, format, overflow: 'error', accumulation: 'exact' });
      const r = sigmaOf(c);
      const cert = findWideCertificate(r, unlimitedBudget()).certificate;
      expect(cert?.mode, `${activation} ${format}`).toBe('gain');
      expect(verifyWideCertificate(r, cert!)).toBeNull();
      expect(cert?.families.some((f) => f.parity === 1n)).toBe(true);
      expect(cert?.families.some((f) => f.parity === 0n)).toBe(true);
    }
  });

  it('5–7-bit analogues: written out, checked on every input; a flipped parity is rejected', {
    timeout: 60_000,
  }, () => {
    let found = 0;
    let flipped = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(
          'sigmoid',
          'tanh',
          'silu',
          'gelu',
          'relu',
          'elu',
          'leaky-relu',
          'softplus',
          'identity',
        ),
        fc.constantFrom('Q2.3', 'Q2.4', 'Q3.3', 'Q1.4', 'Q3.2'),
        (activation, format) => {
          const c = makeConfiguration({ activation, format, overflow: 'error', accumulation: 'exact' });
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
          expect(verifyCertificate(s, materializeWideCertificate(s, cert, r.setting))).toBeNull();
          if (c.format.bits <= 5) expect(decide(c).verdict).not.toBe('not-universal');
          // the same certificate with every family's parity flipped: if the analytic verifier accepts it,
          // the exhaustive one must too
          const mutant = {
            ...cert,
            families: cert.families.map((f) => ({ ...f, parity: f.parity === 1n ? 0n : 1n })),
          };
          if (verifyWideCertificate(r, mutant) === null)
            expect(verifyCertificate(s, materializeWideCertificate(s, mutant, r.setting))).toBeNull();
          else flipped++;
        },
      ),
      { numRuns: 16, seed: 9 },
    );
    expect(found).toBeGreaterThan(6);
    expect(flipped).toBeGreaterThan(0);
  });
});

describe('toward-zero under error: why Lemma G cannot serve every threshold', () => {
  it('no weight 0 < |w| < 1 separates t − 1 and t at t = k·2ⁿ ≤ 0 or t = k·2ⁿ + 1 ≥ 1 (brute force, 5–8 bits)', () => {
    for (const [m, n] of [
      [2, 2],
      [1, 4],
      [3, 3],
      [2, 5],
    ]) {
      const one = 1n << BigInt(n);
      const min = -(1n << BigInt(m + n));
      const max = -min - 1n;
      let checked = 0;
      for (let c = min; c <= max; c++) {
        if (c === 0n || c >= one || c <= -one) continue;
        for (let t = min + 1n; t <= max; t++) {
          const integral = (t <= 0n && t % one === 0n) || (t >= 1n && (t - 1n) % one === 0n);
          if (!integral) continue;
          expect(rnd(c * (t - 1n), one, 'toward-zero')).toBe(rnd(c * t, one, 'toward-zero'));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    }
  });

  it('decideWide says undetermined with that reason where no pair is merged (identity, Q7.16); relu is decided by Lemma TZ', () => {
    const at = (activation: string) =>
      decideWide(
        makeConfiguration({ activation, format: 'Q7.16', overflow: 'error', rounding: 'toward-zero' }),
        unlimitedBudget(),
      );
    const v = at('identity');
    expect(v.verdict).toBe('undetermined');
    expect(v.reason).toMatch(/toward-zero: no gain/);
    // the same thresholds t = k·2ⁿ ≤ 0 that no gain serves: σ_F(−ε) = σ_F(0) for relu, so DIST fails
    const relu = at('relu');
    expect(relu.verdict).toBe('not-universal');
    expect(relu.reason).toMatch(/Lemma TZ/);
  });
});

describe('compressing prefixes (wide-compress.ts)', () => {
  it('every recorded image holds every code it claims to (brute force on 6–7 bits, under error)', () => {
    let prefixes = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('identity', 'relu', 'leaky-relu', 'tanh', 'elu'),
        fc.constantFrom('Q3.3', 'Q2.4', 'Q1.5', 'Q3.2'),
        fc.constantFrom('floor', 'nearest-up', 'nearest-even', 'nearest-away', 'ceil'),
        fc.integer({ min: 0, max: 1000 }),
        (activation, format, rounding, cut) => {
          const c = makeConfiguration({ activation, format, overflow: 'error', rounding });
          let r: ReturnType<typeof sigmaOf>;
          try {
            r = sigmaOf(c);
          } catch {
            return;
          }
          const s = r.setting;
          const split = s.min + 1n + (BigInt(cut) % (s.max - s.min));
          const lo = r.range(s.min, split - 1n);
          const hi = r.range(split, s.max);
          if (!lo || !hi || !(lo[1] < hi[0] || hi[1] < lo[0])) return;
          for (const pre of compressPrefixes(r, lo, hi)) {
            prefixes++;
            for (const [from, to] of [
              [lo, pre.zero],
              [hi, pre.one],
            ]) {
              for (let h = from[0]; h <= from[1]; h++) {
                let v: bigint | null = h;
                for (const st of pre.steps) v = v === null ? null : s.step(st, v, true);
                expect(v).not.toBeNull();
                expect(v! >= to[0] && v! <= to[1]).toBe(true);
              }
            }
            expect(pre.zero[1] < pre.one[0] || pre.one[1] < pre.zero[0]).toBe(true);
          }
        },
      ),
      { numRuns: 60, seed: 3 },
    );
    expect(prefixes).toBeGreaterThan(30);
  });
});
