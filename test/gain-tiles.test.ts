/**
 * Tiled splits for the gain families of Lemmas G and G′ (docs/theory.md §9.5, "Tiled splits"): with two
 * fraction bits the gains ±(½ ± ε) are ¼ and ¾, and the splits near 0 leave the thresholds near the ends of
 * 𝕀 that only ±¾ serves outside every window. Certificates found with tiled splits on 5–6-bit analogues
 * are written out gadget by gadget and checked on every input by the exhaustive `verifyCertificate` and by
 * the BigInt reference evaluator; mutants (a window one threshold too wide, the tile families dropped) are
 * refused by the analytic verifier, and a too-wide window written out fails the exhaustive check.
 */
import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { GAIN_TILES, gainTileSplits } from '../src/engine/wide/gain-tiles.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import {
  findWideCertificate,
  verifyWideCertificate,
  type WideCertificate,
} from '../src/engine/wide/wide-certificate.js';
import { gainValid } from '../src/engine/wide/wide-gain.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { recheckClassical } from './reference-gadget.js';

const sigmaOf = (c: ReturnType<typeof makeConfiguration>) => {
  const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

const config = (activation: string, format: string, rounding: string, bias: string) =>
  makeConfiguration({ activation, format, overflow: 'error', rounding, bias, accumulation: 'sequential' });

// 5–6-bit analogues of relu ap_fixed<13,11> (Q10.2) nearest-zero error sequential, and siblings
const CELLS: Array<[string, string, string, string]> = [
  ['relu', 'Q3.2', 'nearest-zero', 'last'],
  ['relu', 'Q3.2', 'nearest-zero', 'first'],
  ['relu', 'Q3.2', 'nearest-away', 'last'],
  ['relu', 'Q3.2', 'nearest-even', 'first'],
  ['relu', 'SQ3.2', 'nearest-zero', 'last'],
  ['leaky-relu', 'Q3.2', 'nearest-zero', 'first'],
  ['gelu', 'SQ3.2', 'nearest-away', 'last'],
  ['elu', 'Q3.2', 'nearest-even', 'last'],
  ['silu', 'Q2.2', 'nearest-zero', 'last'],
  ['elu', 'Q2.2', 'nearest-even', 'first'],
  ['identity', 'Q3.2', 'nearest-away', 'first'],
];

describe('tiled splits for the gain families (Lemmas G, G′; two fraction bits)', () => {
  it('proposes record splits spread over 𝕀, none already known', () => {
    const r = sigmaOf(config('relu', 'Q3.2', 'nearest-zero', 'last'));
    const s = r.setting;
    const splits = gainTileSplits(r, [1n]);
    expect(splits).not.toContain(1n);
    // relu: every code ≥ 1 is a record split, none below (σ_F is 0 there): exactly j·max/TILES
    const want: bigint[] = [];
    for (let j = 1n; j < GAIN_TILES; j++)
      if ((j * s.max) / GAIN_TILES >= 1n) want.push((j * s.max) / GAIN_TILES);
    expect(splits).toEqual(want.filter((v) => v !== 1n));
  });

  it('5–6-bit analogues: none without tiles, certified with them, every gadget checked on every input', {
    timeout: 60_000,
  }, () => {
    for (const [activation, format, rounding, bias] of CELLS) {
      const c = config(activation, format, rounding, bias);
      const what = `${activation} ${format} ${rounding} ${bias}`;
      const r = sigmaOf(c);
      expect(findWideCertificate(r, unlimitedBudget()).certificate, what).toBeNull();
      const cert = findWideCertificate(r, unlimitedBudget(), { tiledSplits: true }).certificate;
      expect(cert, what).not.toBeNull();
      expect(cert?.mode).toBe('gain');
      expect(verifyWideCertificate(r, cert!), what).toBeNull();
      // some family uses a gain ±¾ (= ±(½ + ε)) at a split that is not the first record split
      expect(cert!.families.some((f) => (f.gain === 3n || f.gain === -3n) && f.split > 1n)).toBe(true);
      const s = settingOf(c);
      const full = materializeWideCertificate(s, cert!, r.setting);
      expect(verifyCertificate(s, full), what).toBeNull();
      recheckClassical(c, full, s.min, s.max);
      // the tabulated engine never says the opposite (on 5-bit formats; 6 bits cost seconds each)
      if (c.format.bits <= 5) expect(decide(c).verdict, what).not.toBe('not-universal');
    }
  });

  it('mutants: a window one threshold too wide, or without the tile families, is refused', {
    timeout: 60_000,
  }, () => {
    let widened = 0;
    for (const [activation, format, rounding, bias] of CELLS.slice(0, 5)) {
      const c = config(activation, format, rounding, bias);
      const r = sigmaOf(c);
      const s = r.setting;
      const cert = findWideCertificate(r, unlimitedBudget(), { tiledSplits: true }).certificate!;
      // every family's window widened by one threshold where that threshold's step is not valid
      cert.families.forEach((f, i) => {
        const [lo, hi] = f.window!;
        const key = { gain: f.gain!, split: f.split, parity: f.parity ?? 0n };
        for (const w of [
          [lo - 1n, hi],
          [lo, hi + 1n],
        ] as const) {
          const moved = w[0] !== lo ? w[0] : w[1];
          if (moved <= s.min || moved > s.max || gainValid(s, key, moved)) continue;
          // the mutated family first, so that its (invalid) step is the one written out for `moved`
          const fam = { ...f, window: w };
          const mutant: WideCertificate = {
            ...cert,
            families: [fam, ...cert.families.filter((_, j) => j !== i)],
          };
          expect(verifyWideCertificate(r, mutant)).toMatch(/window whose (low|high) end is not valid/);
          // written out anyway, the step of `moved` overflows at min or max (if `moved` is served by it)
          const st = settingOf(c);
          let out: string | null = null;
          try {
            out = verifyCertificate(st, materializeWideCertificate(st, mutant, s));
          } catch (e) {
            out = String(e);
          }
          if (out !== null) widened++;
        }
      });
      // the families of the tile splits dropped: some threshold has no chain
      const first = cert.families[0].split;
      const plain: WideCertificate = {
        ...cert,
        families: cert.families.filter((f) => f.split === first),
        singles: [],
      };
      expect(verifyWideCertificate(r, plain)).toMatch(/has no chain/);
    }
    expect(widened).toBeGreaterThan(0);
  });

  it('decide takes it last on a tabulated format (relu Q4.2 nearest-even: ? before), and its certificate holds on every input', {
    timeout: 60_000,
  }, () => {
    const c = config('relu', 'Q4.2', 'nearest-even', 'last');
    const v = decide(c);
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/the analytic path, with tiled splits, tried after every other search/);
    const r = sigmaOf(c);
    const cert = findWideCertificate(r, unlimitedBudget(), { tiledSplits: true }).certificate!;
    const s = settingOf(c);
    const full = materializeWideCertificate(s, cert, r.setting);
    expect(verifyCertificate(s, full)).toBeNull();
    recheckClassical(c, full, s.min, s.max);
  });

  it('decides relu ap_fixed<13,11> nearest-zero error sequential (the cell of the full-product sample)', {
    timeout: 60_000,
  }, () => {
    const c = makeConfiguration({
      activation: 'relu',
      format: 'ap_fixed<13,11>',
      overflow: 'error',
      rounding: 'nearest-zero',
      accumulation: 'sequential',
      bias: 'last',
    });
    const r = sigmaOf(c);
    expect(findWideCertificate(r, unlimitedBudget()).certificate).toBeNull();
    const cert = findWideCertificate(r, unlimitedBudget(), { tiledSplits: true }).certificate;
    expect(cert).not.toBeNull();
    expect(verifyWideCertificate(r, cert!)).toBeNull();
  });
});
