import { describe, expect, it } from 'vitest';
import { Budget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { findChainCertificate } from '../src/engine/chain-certificate.js';
import type { Step } from '../src/engine/chain-solver.js';
import {
  findHalvingHeadCertificate,
  type HalvingHeadCertificate,
  halvingHeadBases,
  headGadget,
  materializeHalvingHeadCertificate,
  verifyHalvingHeadCertificate,
} from '../src/engine/halving-head-certificate.js';
import type { Setting } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { halvingHeadUniversal } from '../src/expressivity/halving-head-verdict.js';
import { gadgetNet, recheckClassical, ref } from './reference-gadget.js';

// docs/theory.md §10.9, Proposition HH: identity under toward-zero, `error`, sequential accumulation, all
// weights, where no unary chain tells −ε from 0; thresholds read a head of two layers.

const options = (format: string, bias: string, extra: Record<string, string> = {}) => ({
  format,
  activation: 'identity',
  rounding: 'toward-zero',
  overflow: 'error',
  weights: 'all',
  accumulation: 'sequential',
  bias,
  ...extra,
});
const config = (format: string, bias: string, extra: Record<string, string> = {}) =>
  makeConfiguration(options(format, bias, extra));

const found = (s: Setting): HalvingHeadCertificate => {
  const { certificate, tried } = findHalvingHeadCertificate(s);
  expect(certificate, tried.join('; ')).not.toBeNull();
  return certificate as HalvingHeadCertificate;
};

/** x/2 in codes rounded toward zero and away from zero, by exact integer arithmetic. */
const towardZero = (x: number) => (x >= 0 ? Math.floor(x / 2) : -Math.floor(-x / 2));
const awayFromZero = (x: number) => (x >= 0 ? Math.ceil(x / 2) : -Math.ceil(-x / 2));

describe('halving-head certificates (docs/theory.md §10.9, Proposition HH)', () => {
  const formats = ['Q1.2', 'SQ1.2', 'Q1.3', 'SQ2.2', 'Q2.3', 'SQ2.3', 'Q1.4', 'SQ2.4', 'Q3.3'];
  for (const format of formats)
    for (const bias of ['first', 'last'])
      it(`${format}, bias ${bias}: no chain certificate, a halving-head one verified and exhaustively checked`, () => {
        const s = settingOf(config(format, bias));
        expect(findChainCertificate(s).certificate).toBeNull();
        const cert = found(s);
        expect(verifyHalvingHeadCertificate(s, cert)).toBeNull();
        expect(verifyCertificate(s, materializeHalvingHeadCertificate(s, cert))).toBeNull();
      });

  for (const [format, bias] of [
    ['SQ2.3', 'first'],
    ['Q2.3', 'last'],
  ] as const)
    it(`${format}, bias ${bias}: every gadget re-checked with the BigInt reference evaluator`, () => {
      const c = config(format, bias);
      const s = settingOf(c);
      recheckClassical(c, materializeHalvingHeadCertificate(s, found(s)), s.min, s.max);
    });

  it('the heads, run by the reference evaluator for every bias: x/2 toward and away from zero plus c, and valid exactly when the verifier says so', () => {
    for (const format of ['Q2.3', 'SQ2.3'])
      for (const bias of ['first', 'last']) {
        const c = config(format, bias);
        const s = settingOf(c);
        const bases = halvingHeadBases(s);
        if (typeof bases === 'string') throw new Error(bases);
        for (const kind of ['trunc', 'away'] as const) {
          const b = bases[kind];
          for (let cb = s.min; cb <= s.max; cb++) {
            const net = gadgetNet(c, headGadget(s, bases.half, kind, cb));
            const predicted =
              b.innerLo + cb >= s.min &&
              b.innerHi + cb <= s.max &&
              b.h0Lo + cb >= s.min &&
              b.h0Hi + cb <= s.max;
            let raised = false;
            for (let x = s.min; x <= s.max; x++) {
              let got: number | null = null;
              try {
                got = ref(net, [x])[0];
              } catch {
                raised = true;
              }
              if (got !== null) expect(got).toBe((kind === 'trunc' ? towardZero(x) : awayFromZero(x)) + cb);
            }
            expect(!raised, `${format} ${bias} ${kind} c=${cb}`).toBe(predicted);
          }
        }
      }
  });

  it('refuses configurations outside its hypotheses', () => {
    expect(typeof halvingHeadBases(settingOf(config('SQ2.3', 'first', { activation: 'relu' })))).toBe(
      'string',
    );
    expect(typeof halvingHeadBases(settingOf(config('SQ2.3', 'first', { accumulation: 'exact' })))).toBe(
      'string',
    );
    expect(typeof halvingHeadBases(settingOf(config('SQ2.3', 'first', { weights: 'binary' })))).toBe(
      'string',
    );
    expect(typeof halvingHeadBases(settingOf(config('SQ2.3', 'first', { overflow: 'saturate' })))).toBe(
      'string',
    );
    expect(
      findHalvingHeadCertificate(settingOf(config('SQ2.3', 'first', { activation: 'relu' }))).certificate,
    ).toBeNull();
  });

  it('mutated certificates: each is rejected or passes the exhaustive check; the damaging ones are rejected', () => {
    for (const [format, bias] of [
      ['SQ2.3', 'first'],
      ['Q2.3', 'last'],
    ] as const) {
      const s = settingOf(config(format, bias));
      const cert = found(s);
      const mutants: HalvingHeadCertificate[] = [];
      const shift = (ch: readonly Step[], i: number, j: 0 | 1, d: number): Step[] =>
        ch.map((st, k) => (k === i ? (j === 0 ? [st[0] + d, st[1]] : [st[0], st[1] + d]) : st) as Step);
      // one step of every rest moved by one code at once (a single rest moved leaves the others to serve)
      const longest = Math.max(...cert.rests.flatMap((r) => [r.up.length, r.down.length]));
      for (const dir of ['up', 'down'] as const)
        for (let i = 0; i < longest; i++)
          for (const j of [0, 1] as const)
            for (const d of [-1, 1])
              mutants.push({
                ...cert,
                rests: cert.rests.map((r) =>
                  i < r[dir].length ? { ...r, [dir]: shift(r[dir], i, j, d) } : r,
                ),
              });
      for (const d of [-1, 1]) {
        mutants.push({ ...cert, rests: cert.rests.map((r) => ({ ...r, split: r.split + d })) });
        mutants.push({ ...cert, e: cert.e + d });
      }
      // the two rests of each split swapped: every threshold is computed upside down
      const swapped = { ...cert, rests: cert.rests.map((r) => ({ ...r, up: r.down, down: r.up })) };
      expect(verifyHalvingHeadCertificate(s, swapped)).not.toBeNull();
      let rejected = 0;
      for (const m of mutants) {
        if (verifyHalvingHeadCertificate(s, m)) {
          rejected++;
          continue;
        }
        expect(verifyCertificate(s, materializeHalvingHeadCertificate(s, m))).toBeNull();
      }
      expect(rejected).toBeGreaterThan(mutants.length / 2);
    }
  });

  it('the searched certificate of decide: found on a tiny format, with its exhaustive check', () => {
    const found = halvingHeadUniversal(settingOf(config('SQ2.3', 'last')), new Budget(1));
    expect(found && 'certificate' in found).toBe(true);
    const binary = halvingHeadUniversal(
      settingOf(config('SQ2.3', 'last', { weights: 'binary' })),
      new Budget(1),
    );
    expect(binary && 'tried' in binary).toBe(true);
  });
});
