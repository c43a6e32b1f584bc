import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { generatorTable, type ShiftGenerator } from '../src/engine/shift-generator.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { decideWide } from '../src/engine/wide/decide-wide.js';
import type { WideStep } from '../src/engine/wide/wide-setting.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import {
  findWideShiftSpan,
  runParity,
  verifyWideShiftSpan,
  wideShiftSpanApplies,
  wrappedDomain,
} from '../src/engine/wide/wide-shift-span.js';
import { type WideSigma, wideSigma } from '../src/engine/wide/wide-sigma.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

// Lemma SR (docs/theory.md §9.5): Σ_z G(z) mod 2 by runs of a non-decreasing generator, for Proposition SS's
// (H1) above 16 bits. On 8–12-bit UQ formats the run count must equal the sum of G over every code computed
// by the tabulated engine's own arithmetic (`generatorTable` of shift-generator.ts, an independent path).

const sigmaOf = (c: Configuration): WideSigma => {
  const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

/** The same generator for the tabulated engine: first layer σ_F(z ⊕ 0), the chain, then ω with bias 0. */
const tabulated = (chain: readonly WideStep[], omega: bigint): ShiftGenerator => {
  const layers = chain.map(([w, b]) => [{ bias: Number(b), edges: [[0, Number(w)] as [number, number]] }]);
  return {
    firstBiases: [0],
    rest: { inputs: 1, layers: [...layers, [{ bias: 0, edges: [[0, Number(omega)]] }]] },
  };
};

describe('Lemma SR: the parity of Σ_z G(z) by runs', () => {
  it('equals the parity of the sum over every code by the tabulated engine (8–12-bit UQ and Q formats)', () => {
    let compared = 0;
    let odd = 0;
    fc.assert(
      fc.property(
        fc.record({
          format: fc.constantFrom('UQ4.4', 'UQ5.5', 'UQ6.6', 'UQ3.7', 'UQ7.3', 'Q3.4', 'Q4.5', 'Q2.7'),
          activation: fc.constantFrom(
            'sigmoid',
            'tanh',
            'silu',
            'gelu',
            'relu',
            'softplus',
            'mish',
            'hard-swish',
          ),
          rounding: fc.constantFrom(
            'floor',
            'ceil',
            'nearest-even',
            'nearest-up',
            'nearest-down',
            'toward-zero',
          ),
          accumulation: fc.constantFrom('sequential', 'exact'),
          bias: fc.constantFrom('first', 'last'),
        }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 40 }),
        (cfg, w, depth, w2, b2) => {
          const c = makeConfiguration({ ...cfg, overflow: 'wrap' });
          const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
          if (typeof r === 'string' || wideShiftSpanApplies(r) !== null) return;
          const chain: WideStep[] = depth === 0 ? [] : [[BigInt(w2), BigInt(b2)]];
          if (depth === 2) chain.push([BigInt(w), 0n]);
          const got = runParity(r, chain, BigInt(w), 4096);
          if (typeof got === 'string') return;
          const table = generatorTable(settingOf(c), tabulated(chain, BigInt(w)));
          let sum = 0;
          for (const g of table) sum += g;
          expect(got.parity, JSON.stringify({ cfg, w, chain: chain.map(String) })).toBe(
            BigInt(((sum % 2) + 2) % 2),
          );
          // and G is non-decreasing, as the lemma says
          for (let i = 1; i < table.length; i++) expect(table[i]).toBeGreaterThanOrEqual(table[i - 1]);
          compared++;
          if (got.parity === 1n) odd++;
        },
      ),
      { numRuns: 200, seed: 12 },
    );
    expect(compared).toBeGreaterThan(100);
    expect(odd).toBeGreaterThan(15);
  });

  it('refuses generators whose intermediate values leave the range, and mutants: even sums, a fractional ω under exact accumulation, K = 0', () => {
    const c = makeConfiguration({
      activation: 'sigmoid',
      format: 'UQ4.4',
      overflow: 'wrap',
      rounding: 'floor',
    });
    const r = sigmaOf(c);
    const s = r.setting;
    expect(typeof runParity(r, [[s.max, s.max]], 1n)).toBe('string');
    const found = findWideShiftSpan(r).found;
    expect(found).not.toBeNull();
    if (!found) return;
    expect(verifyWideShiftSpan(r, found)).toBeNull();
    expect(verifyWideShiftSpan(r, { ...found, k: 0n })).not.toBeNull();
    // a generator with an even sum is refused (G ≡ 2·σ_F: every value even)
    expect(verifyWideShiftSpan(r, { ...found, chain: [], omega: 2n * s.one })).toMatch(/even/);
    const ex = sigmaOf(
      makeConfiguration({ activation: 'sigmoid', format: 'UQ4.4', overflow: 'wrap', accumulation: 'exact' }),
    );
    const fe = findWideShiftSpan(ex).found;
    expect(fe).not.toBeNull();
    if (fe) expect(verifyWideShiftSpan(ex, { ...fe, omega: fe.omega + 1n })).toMatch(/multiple of 2\^n|even/);
  });

  it('where Lemma SR finds a certificate on 6-bit UQ and Q formats, the tabulated engine does not say not-universal', () => {
    let agreed = 0;
    const verdicts: string[] = [];
    for (const format of ['UQ3.3', 'UQ2.4', 'Q2.3'])
      for (const activation of ['sigmoid', 'tanh'])
        for (const [rounding, accumulation] of [
          ['floor', 'sequential'],
          ['nearest-even', 'exact'],
          ['toward-zero', 'exact'],
          ['nearest-up', 'sequential'],
        ]) {
          const weights = format.startsWith('Q') && rounding === 'nearest-up' ? 'binary' : 'all';
          const c = makeConfiguration({
            activation,
            format,
            overflow: 'wrap',
            rounding,
            accumulation,
            weights,
          });
          // the lemma itself (decideWide uses it above 16 bits only)
          const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
          if (typeof r === 'string' || !findWideShiftSpan(r).found) continue;
          const tab = decide(c).verdict;
          expect(tab, `${activation} ${format} ${rounding} ${accumulation}`).not.toBe('not-universal');
          verdicts.push(tab);
          agreed++;
        }
    expect(agreed).toBeGreaterThan(4);
    // the tabulated engine decides most of them universal by its own certificates
    expect(verdicts.filter((v) => v === 'universal').length).toBeGreaterThan(agreed / 2);
  });

  it('agrees with the fixpoint on 2-bit UQ and Q formats: where the certificate is found, every function 𝕀 → 𝕀 is computed', () => {
    let checked = 0;
    for (const format of ['UQ1.1', 'UQ2.0', 'Q2.0'])
      for (const activation of ['sigmoid', 'tanh', 'softplus', 'silu'])
        for (const rounding of ['floor', 'nearest-even', 'ceil', 'nearest-up'])
          for (const bias of ['first', 'last']) {
            // the fixpoint is computed for sequential accumulation only
            const c = makeConfiguration({ activation, format, overflow: 'wrap', rounding, bias });
            const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
            if (typeof r === 'string' || !findWideShiftSpan(r).found) continue;
            const fix = reachableUnary(settingOf(c), { distinctSources: true, sigmaOutput: false });
            // the fixpoint gives up on some Q2.0 cells (more than 65,536 accumulator functions)
            if (fix.status !== 'done') continue;
            expect(fix.missing, `${activation} ${format} ${rounding}`).toBeNull();
            checked++;
          }
    expect(checked).toBeGreaterThan(3);
  });
});

describe('decideWide and Lemma SR', () => {
  it('decides sigmoid on UQ16.16 under wrap (exact) by shift span, and leaves formats of 16 bits or fewer to §10.10', () => {
    const wide = makeConfiguration({
      activation: 'sigmoid',
      format: 'UQ16.16',
      overflow: 'wrap',
      rounding: 'toward-zero',
      accumulation: 'exact',
    });
    const v = decideWide(wide, unlimitedBudget());
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/Lemma SR/);
    const small = makeConfiguration({
      activation: 'sigmoid',
      format: 'UQ3.3',
      overflow: 'wrap',
      rounding: 'floor',
    });
    expect(decideWide(small, unlimitedBudget()).reason).not.toMatch(/Lemma SR/);
  });
});

describe('Lemma SR on two pieces: softplus where σ leaves the range at the top (wrap)', () => {
  it('the pieces are where the tabulated σ_F is non-decreasing, and the run parity equals the tabulated sum', () => {
    let compared = 0;
    let pieces = 0;
    let decided = 0;
    let crossing = 0;
    for (const format of ['Q2.3', 'Q1.4', 'Q3.4', 'Q2.7', 'Q4.5', 'UQ3.5'])
      for (const rounding of ['floor', 'ceil', 'nearest-even', 'nearest-up', 'nearest-down'])
        for (const accumulation of ['sequential', 'exact']) {
          const c = makeConfiguration({
            activation: 'softplus',
            format,
            overflow: 'wrap',
            rounding,
            accumulation,
          });
          const ws = wideSetting(c);
          const d = wrappedDomain(ws);
          if (typeof d === 'string') continue;
          pieces++;
          const s = settingOf(c);
          // σ_F from the table: non-decreasing on each piece, and the pieces cover every code once
          expect(d.pieces[0][0]).toBe(BigInt(s.min));
          expect(d.pieces[1][1]).toBe(BigInt(s.max));
          expect(d.pieces[1][0]).toBe(d.pieces[0][1] + 1n);
          for (const [a, b] of d.pieces)
            for (let x = Number(a) + 1; x <= Number(b); x++)
              expect(s.sigma[x - s.min]).toBeGreaterThanOrEqual(s.sigma[x - 1 - s.min]);
          for (const [chain, omega] of [
            [[], 1n],
            [[], 3n],
            [[[1n, 0n]], BigInt(s.one)],
            [[[2n, BigInt(s.one)]], BigInt(s.one)],
            // weights −1: G non-increasing on a piece (an odd number of negative weights)
            [[[-BigInt(s.one), -1n]], BigInt(s.one)],
            [
              [
                [-BigInt(s.one), -1n],
                [BigInt(s.one), 0n],
                [BigInt(s.one), BigInt(s.min)],
              ],
              BigInt(s.one),
            ],
          ] as Array<[WideStep[], bigint]>) {
            const got = runParity(d, chain, omega, 4096);
            if (typeof got === 'string') continue;
            let sum = 0;
            for (const g of generatorTable(s, tabulated(chain, omega))) sum += g;
            expect(got.parity, `${format} ${rounding} ${accumulation} ${omega}`).toBe(
              BigInt(((sum % 2) + 2) % 2),
            );
            compared++;
          }
          // σ_F read again on its own values crosses the wrap point: refused, not counted
          if (typeof runParity(d, [[BigInt(s.one), 0n]], 1n, 4096) === 'string') crossing++;
          const found = findWideShiftSpan(d).found;
          // the tabulated engine on the 6-bit format only (it is slow above)
          if (found && s.size <= 64) {
            expect(decide(c).verdict, `${format} ${rounding} ${accumulation}`).not.toBe('not-universal');
            decided++;
          }
        }
    expect(pieces).toBeGreaterThan(10);
    expect(compared).toBeGreaterThan(30);
    expect(decided).toBeGreaterThan(1);
    expect(crossing).toBeGreaterThan(5);
  });
});
