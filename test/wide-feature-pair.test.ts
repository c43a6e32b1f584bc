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
import {
  featurePairHypotheses,
  geluTies,
  hardSwishTies,
  tieMergedPair,
} from '../src/engine/wide/wide-feature-pair.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { gadgetNet, recheckClassical, ref } from './reference-gadget.js';

// Lemma OP and Proposition FP above 16 bits (docs/theory.md §9.5): checked on tiny SQ formats against the
// BigInt reference evaluator, the exhaustive verifier and the tabulated engine.

const ACTS = ['gelu', 'silu', 'softplus', 'hard-swish'] as const;
const ROUNDINGS = [
  'floor',
  'ceil',
  'toward-zero',
  'nearest-even',
  'nearest-away',
  'nearest-zero',
  'nearest-up',
  'nearest-down',
] as const;

const sigmaOf = (c: Configuration) => {
  const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

const config = (activation: string, format: string, rounding: string, accumulation: string, bias = 'last') =>
  makeConfiguration({
    activation,
    format,
    rounding,
    accumulation,
    bias,
    overflow: 'error',
    weights: 'binary',
  });

/** Both features on every code, by the reference evaluator (null where a feature raises). */
const featureValues = (c: Configuration): Array<[number, number] | null> => {
  const s = settingOf(c);
  const net = gadgetNet(c, {
    inputs: 1,
    layers: [
      [
        { bias: 0, edges: [[0, s.one]] },
        { bias: 0, edges: [[0, -s.one]] },
      ],
    ],
  });
  const out: Array<[number, number] | null> = [];
  for (let x = s.min; x <= s.max; x++) {
    try {
      const [a, b] = ref(net, [x]);
      out.push([a, b]);
    } catch {
      out.push(null);
    }
  }
  return out;
};

const exhaustive = (c: Configuration, cert: WideCertificate): string | null => {
  const s = settingOf(c);
  try {
    return verifyCertificate(s, materializeWideCertificate(s, cert, wideSetting(c)));
  } catch (e) {
    return String(e);
  }
};

describe('Lemma OP: x ↦ (σ_F(x), σ_F(−x)) is injective', () => {
  it('wherever the lemma holds, the features (reference evaluator) take distinct pairs on every code; where it names a pair, both features merge it', () => {
    let held = 0;
    let merged = 0;
    for (const activation of ACTS)
      for (const format of ['SQ1.3', 'SQ2.3', 'SQ3.3', 'SQ2.4', 'SQ1.5'])
        for (const rounding of ROUNDINGS)
          for (const accumulation of ['exact', 'sequential']) {
            const c = config(activation, format, rounding, accumulation);
            const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
            if (typeof r === 'string') continue;
            const h = featurePairHypotheses(r);
            const vals = featureValues(c);
            const s = settingOf(c);
            const where = `${activation} ${format} ${rounding} ${accumulation}`;
            const tie = tieMergedPair(r.setting);
            if (Array.isArray(tie)) {
              merged++;
              const [x, y] = tie.map(Number);
              expect(vals[x - s.min], where).toEqual(vals[y - s.min]);
              expect(typeof h, where).toBe('string');
            }
            if (typeof h === 'string') continue;
            held++;
            const seen = new Set<string>();
            for (const v of vals) {
              expect(v, where).not.toBeNull();
              const key = String(v);
              expect(seen.has(key), `${where}: ${key} twice`).toBe(false);
              seen.add(key);
            }
          }
    expect(held).toBeGreaterThan(150);
    expect(merged).toBeGreaterThan(0);
  });

  it('refuses what it does not prove: Q formats, toward-zero but for softplus, other activations', () => {
    const why = (activation: string, format: string, rounding: string) =>
      featurePairHypotheses(sigmaOf(config(activation, format, rounding, 'exact')));
    expect(why('gelu', 'Q2.3', 'floor')).toMatch(/symmetric/);
    expect(typeof why('gelu', 'SQ2.3', 'nearest-even')).toBe('object');
    expect(why('gelu', 'SQ2.3', 'toward-zero')).toMatch(/σ > 0/);
    expect(why('mish', 'SQ2.3', 'floor')).toMatch(/σ\(t\) − σ\(−t\) = t/);
    expect(typeof why('softplus', 'SQ2.3', 'toward-zero')).toBe('object');
  });

  it('the tie codes of hard-swish are those where 2·σ(x)/ε is an odd integer (every code of SQ3.6 and SQ2.7, exact rationals)', () => {
    for (const format of ['SQ3.6', 'SQ2.7', 'SQ2.4']) {
      const c = config('hard-swish', format, 'nearest-even', 'exact');
      const s = wideSetting(c);
      const n = BigInt(s.format.fracBits);
      const want: bigint[] = [];
      for (let x = s.min; x <= s.max; x++) {
        // 2·hs(x)/ε = 2x·clamp(x + 3·2ⁿ, 0, 6·2ⁿ)/(6·2ⁿ)
        const g = x + (3n << n);
        const h = g < 0n ? 0n : g > 6n << n ? 6n << n : g;
        const num = 2n * x * h;
        const den = 6n << n;
        if (num % den === 0n && ((num / den) & 1n) !== 0n) want.push(x);
      }
      expect(hardSwishTies(s), format).toEqual(want);
    }
  });
});

describe('the tie codes Lemma OP evaluates', () => {
  it('gelu and hard-swish: exactly the codes where nearest-up and nearest-down round σ differently (every code of SQ3.6, SQ2.7, SQ4.5)', () => {
    for (const activation of ['gelu', 'hard-swish'])
      for (const format of ['SQ3.6', 'SQ2.7', 'SQ4.5']) {
        const up = wideSetting(config(activation, format, 'nearest-up', 'exact'));
        const down = wideSetting(config(activation, format, 'nearest-down', 'exact'));
        const want: bigint[] = [];
        for (let x = up.min; x <= up.max; x++) if (up.unwrapped(x) !== down.unwrapped(x)) want.push(x);
        const s = wideSetting(config(activation, format, 'nearest-even', 'exact'));
        const got = activation === 'gelu' ? geluTies(s) : hardSwishTies(s);
        expect(typeof got, `${activation} ${format}`).not.toBe('string');
        const sorted = [...(got as bigint[])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(sorted, `${activation} ${format}`).toEqual(want);
      }
  });
});

describe('feature-pair certificates written out on 5–7 bits', () => {
  it('every one found passes the exhaustive verifier; the tabulated engine never says not-universal', {
    timeout: 120_000,
  }, () => {
    let found = 0;
    const cells: Array<[string, string, string, string, string]> = [];
    for (const activation of ACTS)
      for (const [format, rounding, accumulation, bias] of [
        ['SQ2.3', 'floor', 'exact', 'first'],
        ['SQ2.3', 'ceil', 'sequential', 'last'],
        ['SQ1.4', 'nearest-up', 'exact', 'last'],
        ['SQ2.4', 'nearest-down', 'sequential', 'first'],
        ['SQ3.3', 'nearest-even', 'sequential', 'last'],
        ['SQ2.3', 'toward-zero', 'exact', 'first'],
        ['SQ2.4', 'nearest-away', 'exact', 'last'],
      ] as const)
        cells.push([activation, format, rounding, accumulation, bias]);
    for (const [activation, format, rounding, accumulation, bias] of cells) {
      const c = config(activation, format, rounding, accumulation, bias);
      const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
      if (typeof r === 'string') continue; // softplus overflowing at max
      const cert = findWideCertificate(r, unlimitedBudget()).certificate;
      if (cert?.mode !== 'feature-pair') continue;
      found++;
      const where = `${activation} ${format} ${rounding} ${accumulation} ${bias}`;
      expect(exhaustive(c, cert), where).toBeNull();
      if (c.format.bits <= 6) expect(decide(c).verdict, where).not.toBe('not-universal');
    }
    expect(found).toBeGreaterThan(12);
  });

  it('gelu on SQ2.3 (floor, exact): every gadget re-checked with the BigInt reference evaluator', () => {
    const c = config('gelu', 'SQ2.3', 'floor', 'exact');
    const cert = findWideCertificate(sigmaOf(c), unlimitedBudget()).certificate;
    expect(cert?.mode).toBe('feature-pair');
    if (!cert) return;
    const s = settingOf(c);
    recheckClassical(c, materializeWideCertificate(s, cert, wideSetting(c)), s.min, s.max);
  });

  it('mutants: a window end, a split, a sign or a bias moved, rest chains swapped, a family dropped: rejected, or exhaustively sound', () => {
    let rejected = 0;
    let mutants = 0;
    for (const [activation, format, rounding, accumulation] of [
      ['gelu', 'SQ2.3', 'floor', 'exact'],
      ['softplus', 'SQ2.4', 'nearest-even', 'sequential'],
      ['hard-swish', 'SQ2.4', 'ceil', 'exact'],
    ] as const) {
      const c = config(activation, format, rounding, accumulation);
      const r = sigmaOf(c);
      const cert = findWideCertificate(r, unlimitedBudget()).certificate;
      expect(cert?.mode, `${activation} ${format}`).toBe('feature-pair');
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
        variants.push(at({ ...f, sign: f.sign === 1n ? -1n : 1n }));
        variants.push(at({ ...f, ge: f.le, le: f.ge }));
        if (f.ge && f.ge.length > 0)
          variants.push(at({ ...f, ge: [[f.ge[0][0], f.ge[0][1] + 1n], ...f.ge.slice(1)] }));
        variants.push({ ...cert, families: cert.families.filter((_, j) => j !== i) });
      });
      variants.push({ ...cert, mode: 'feature' });
      for (const v of variants) {
        mutants++;
        if (v.families.length === 0 || verifyWideCertificate(r, v) !== null) {
          rejected++;
          continue;
        }
        expect(exhaustive(c, v)).toBeNull();
      }
    }
    expect(mutants).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(mutants / 2);
  });
});

describe('Lemma OP above 16 bits (the wide mode sweep’s former ?)', () => {
  it('gelu SQ15.16 floor and softplus SQ7.16 toward-zero: universal; hard-swish SQ7.16 nearest-away: DIST fails next to a tie', {
    timeout: 60_000,
  }, () => {
    const v1 = decideWide(
      makeConfiguration({
        activation: 'gelu',
        format: 'SQ15.16',
        rounding: 'floor',
        overflow: 'error',
        weights: 'binary',
        accumulation: 'sequential',
        bias: 'first',
      }),
      unlimitedBudget(),
    );
    expect(v1.verdict).toBe('universal');
    expect(v1.reason).toMatch(/Lemma OP/);
    const v2 = decideWide(config('softplus', 'SQ7.16', 'toward-zero', 'exact'), unlimitedBudget());
    expect(v2.verdict).toBe('universal');
    const v3 = decideWide(config('hard-swish', 'SQ7.16', 'nearest-away', 'exact'), unlimitedBudget());
    expect(v3.verdict).toBe('not-universal');
    expect(v3.dist?.witness).toEqual(['-1.4882965087890625', '-1.48828125']);
  });
});
