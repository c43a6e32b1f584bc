import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { decideWide } from '../src/engine/wide/decide-wide.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import {
  findWideCertificate,
  verifyWideCertificate,
  type WideCertificate,
} from '../src/engine/wide/wide-certificate.js';
import { featureHypotheses, featureLevel } from '../src/engine/wide/wide-feature.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { gadgetNet, recheckClassical, ref } from './reference-gadget.js';

// Lemma FW (docs/theory.md §9.5): feature families under overflow error, checked on tiny formats against the
// exhaustive verifier, the BigInt reference evaluator and the tabulated engine.

const sigmaOf = (c: Configuration) => {
  const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

const exhaustive = (c: Configuration, cert: WideCertificate): string | null => {
  const s = settingOf(c);
  try {
    return verifyCertificate(s, materializeWideCertificate(s, cert, wideSetting(c)));
  } catch (e) {
    return String(e);
  }
};

describe('the level equivalences of Lemma FW', () => {
  it('x ≥ t ⇔ v ≥ L (f₊) or v ≤ L − 1 (f₋) for every t and every x, features evaluated by the reference evaluator', () => {
    let checked = 0;
    for (const activation of ['elu', 'leaky-relu', 'relu', 'identity'])
      for (const format of ['Q2.3', 'SQ2.3', 'Q3.2'])
        for (const rounding of ['floor', 'ceil', 'nearest-even', 'toward-zero'])
          for (const accumulation of ['exact', 'sequential']) {
            const c = makeConfiguration({
              activation,
              format,
              rounding,
              accumulation,
              overflow: 'error',
              weights: 'binary',
            });
            const r = sigmaOf(c);
            const h = featureHypotheses(r);
            if (typeof h === 'string') continue;
            const s = r.setting;
            const min = Number(s.min);
            const max = Number(s.max);
            for (let t = min + 1; t <= max; t++) {
              const fl = featureLevel(s, h, BigInt(t));
              expect(fl, `${activation} ${format} t = ${t}`).not.toBeNull();
              if (!fl) continue;
              const net = gadgetNet(c, {
                inputs: 1,
                layers: [[{ bias: Number(fl.feature[1]), edges: [[0, Number(fl.feature[0])]] }]],
              });
              for (let x = min; x <= max; x++) {
                const v = ref(net, [x])[0];
                const L = Number(fl.level);
                expect(x >= t, `${activation} ${format} ${rounding} ${accumulation} t=${t} x=${x}`).toBe(
                  fl.down ? v <= L - 1 : v >= L,
                );
              }
              checked++;
            }
          }
    expect(checked).toBeGreaterThan(500);
  });

  it('refuses what the lemma does not cover: σ_F > 0 on a negative code, or no feature for t = 0', () => {
    // leaky-relu with α < 0 is positive on the negatives; relu under sequential accumulation on Q has only f₊
    // and σ_F(−ε) = 0
    const neg = makeConfiguration({
      activation: 'leaky-relu(alpha=-0.5)',
      format: 'Q2.3',
      overflow: 'error',
      weights: 'binary',
    });
    expect(featureHypotheses(sigmaOf(neg))).toMatch(/σ_F\(v\) ≤ 0/);
    const relu = makeConfiguration({
      activation: 'relu',
      format: 'Q2.3',
      overflow: 'error',
      weights: 'binary',
    });
    expect(featureHypotheses(sigmaOf(relu))).toMatch(/t = 0|no feature/);
    const sig = makeConfiguration({
      activation: 'sigmoid',
      format: 'Q2.3',
      overflow: 'error',
      weights: 'binary',
    });
    expect(featureHypotheses(sigmaOf(sig))).toMatch(/identity|σ\(v\) = v/);
  });
});

describe('feature-mode certificates written out on 5–7 bits', () => {
  it('every one found passes the exhaustive verifier; the tabulated engine never says not-universal', {
    timeout: 60_000,
  }, () => {
    let found = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('elu', 'elu', 'leaky-relu', 'relu'),
        fc.constantFrom('Q2.3', 'Q3.2', 'SQ2.3', 'Q2.4', 'SQ3.3', 'SQ2.2'),
        fc.constantFrom('floor', 'ceil', 'nearest-even', 'toward-zero', 'nearest-up', 'nearest-away'),
        fc.constantFrom('sequential', 'exact'),
        fc.constantFrom('first', 'last'),
        fc.constantFrom('binary', 'binary', 'all'),
        (activation, format, rounding, accumulation, bias, weights) => {
          const c = makeConfiguration({
            activation,
            format,
            rounding,
            accumulation,
            bias,
            weights,
            overflow: 'error',
          });
          const cert = findWideCertificate(sigmaOf(c), unlimitedBudget()).certificate;
          if (cert?.mode !== 'feature') return;
          found++;
          expect(exhaustive(c, cert)).toBeNull();
          if (c.format.bits <= 5) expect(decide(c).verdict).not.toBe('not-universal');
        },
      ),
      { numRuns: 40, seed: 12 },
    );
    expect(found).toBeGreaterThan(8);
  });

  it('elu on Q2.3 (nearest-even, exact, binary): every gadget re-checked with the BigInt reference evaluator', () => {
    const c = makeConfiguration({
      activation: 'elu',
      format: 'Q2.3',
      rounding: 'nearest-even',
      accumulation: 'exact',
      overflow: 'error',
      weights: 'binary',
    });
    const cert = findWideCertificate(sigmaOf(c), unlimitedBudget()).certificate;
    expect(cert?.mode).toBe('feature');
    if (!cert) return;
    const s = settingOf(c);
    recheckClassical(c, materializeWideCertificate(s, cert, wideSetting(c)), s.min, s.max);
  });

  it('mutants: a window end, a split or a bias moved, rest chains swapped, a family dropped: rejected, or exhaustively sound', () => {
    let rejected = 0;
    let mutants = 0;
    for (const [format, rounding, accumulation] of [
      ['Q2.3', 'nearest-even', 'exact'],
      ['SQ2.3', 'floor', 'sequential'],
      ['Q2.4', 'nearest-up', 'exact'],
    ] as const) {
      const c = makeConfiguration({
        activation: 'elu',
        format,
        rounding,
        accumulation,
        overflow: 'error',
        weights: 'binary',
      });
      const r = sigmaOf(c);
      const cert = findWideCertificate(r, unlimitedBudget()).certificate;
      expect(cert?.mode, format).toBe('feature');
      if (!cert) continue;
      expect(verifyWideCertificate(r, cert)).toBeNull();
      const variants: WideCertificate[] = [];
      cert.families.forEach((f, i) => {
        const at = (g: (typeof cert.families)[number]) => ({
          ...cert,
          families: cert.families.map((x, j) => (j === i ? g : x)),
        });
        const w = f.window as readonly [bigint, bigint];
        variants.push(at({ ...f, window: [w[0] - 1n, w[1]] }));
        variants.push(at({ ...f, window: [w[0], w[1] + 1n] }));
        variants.push(at({ ...f, split: f.split + 1n }));
        variants.push(at({ ...f, split: f.split - 1n }));
        variants.push(at({ ...f, ge: f.le, le: f.ge }));
        if (f.ge && f.ge.length > 0)
          variants.push(at({ ...f, ge: [[f.ge[0][0], f.ge[0][1] + 1n], ...f.ge.slice(1)] }));
        variants.push({ ...cert, families: cert.families.filter((_, j) => j !== i) });
      });
      for (const v of variants) {
        mutants++;
        if (v.families.length === 0 || verifyWideCertificate(r, v) !== null) {
          rejected++;
          continue;
        }
        // accepted: then it must be a certificate indeed
        expect(exhaustive(c, v)).toBeNull();
      }
    }
    expect(mutants).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(mutants / 2);
  });
});

describe('Lemma FW above 16 bits', () => {
  it('elu with binary weights under error, exact accumulation, nearest-even: universal on Q7.16 and Q15.16 (the two former ?)', () => {
    for (const format of ['Q7.16', 'Q15.16']) {
      const c = makeConfiguration({
        activation: 'elu',
        format,
        rounding: 'nearest-even',
        accumulation: 'exact',
        overflow: 'error',
        weights: 'binary',
      });
      const v = decideWide(c, unlimitedBudget());
      expect(v.verdict, v.reason).toBe('universal');
      expect(v.reason).toMatch(/Lemma FW/);
      const cert = findWideCertificate(sigmaOf(c), unlimitedBudget()).certificate;
      expect(cert && verifyWideCertificate(sigmaOf(c), cert)).toBeNull();
    }
  });
});

describe('Lemma G with nearest roundings up to 20 fraction bits', () => {
  it('applies to Q3.20 (residue tables of 2·2²⁰ entries) and refuses 21 fraction bits with the reason', async () => {
    const { gainApplies } = await import('../src/engine/wide/wide-gain.js');
    for (const rounding of ['nearest-even', 'nearest-away', 'nearest-zero']) {
      const at = (format: string) =>
        gainApplies(
          wideSetting(makeConfiguration({ activation: 'relu', format, overflow: 'error', rounding })),
        );
      expect(at('Q3.20')).toBeNull();
      expect(at('Q3.21')).toMatch(/at most 20 fraction bits/);
    }
  });
});
