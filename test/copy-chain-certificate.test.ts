import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  type CopyChainCertificate,
  type CopyStep,
  copyChainGadget,
  copyChainsApply,
  findCopyChainCertificate,
  materializeCopyChainCertificate,
  verifyCopyChainCertificate,
} from '../src/engine/copy-chain-certificate.js';
import { type Setting, unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { gadgetNet, recheckClassical, ref } from './reference-gadget.js';

// docs/theory.md §10.9, copy chains: σ_F the identity under overflow `error`, sequential accumulation, all
// weights, on the 8-value formats Q1.1 and SQ1.1, where no unary chain reaches the top or bottom threshold.

const options = (format: string, rounding: string, bias: string, extra = {}) => ({
  format,
  activation: 'identity',
  rounding,
  overflow: 'error',
  weights: 'all',
  accumulation: 'sequential',
  bias,
  ...extra,
});
const setting = (format: string, rounding: string, bias: string, extra = {}) =>
  settingOf(makeConfiguration(options(format, rounding, bias, extra)));

const found = (s: Setting): CopyChainCertificate => {
  const { certificate, tried } = findCopyChainCertificate(s);
  expect(certificate, tried.join('; ')).not.toBeNull();
  return certificate as CopyChainCertificate;
};

// the 14 cells left undetermined by every other search (bench/small-cells.bench.ts --bits 3)
const CELLS: Array<[string, string]> = [
  ['Q1.1', 'toward-zero'],
  ['Q1.1', 'nearest-away'],
  ['Q1.1', 'nearest-zero'],
  ['SQ1.1', 'toward-zero'],
  ['SQ1.1', 'nearest-away'],
  ['SQ1.1', 'nearest-zero'],
  ['SQ1.1', 'nearest-even'],
];

/** Every function of a unary chain x ↦ σ_F(w⊗h ⊕ b) … (engine's `unary`), breadth-first: all of them. */
function unaryChainFunctions(s: Setting): Set<string> {
  const key = (v: number[]) => v.join(',');
  const start = Array.from({ length: s.size }, (_, i) => s.min + i);
  const seen = new Set([key(start)]);
  const queue = [start];
  for (let q = 0; q < queue.length; q++)
    for (const w of s.weights)
      for (let b = s.min; b <= s.max; b++) {
        const next = queue[q].map((h) => unary(s, w, h, b));
        if (!next.every((v) => v >= s.min && v <= s.max)) continue;
        const k = key(next);
        if (!seen.has(k)) {
          seen.add(k);
          queue.push(next);
        }
      }
  return seen;
}

describe('copy-chain certificates (docs/theory.md §10.9, copy chains)', () => {
  it('the 14 cells: found, verified, and every detector exhaustively checked (verifyCertificate)', () => {
    for (const [format, rounding] of CELLS)
      for (const bias of ['last', 'first']) {
        const s = setting(format, rounding, bias);
        const cert = found(s);
        expect(verifyCopyChainCertificate(s, cert), `${format} ${rounding} ${bias}`).toBeNull();
        expect(
          verifyCertificate(s, materializeCopyChainCertificate(s, cert)),
          `${format} ${rounding}`,
        ).toBeNull();
      }
  });

  it('no unary chain computes the end threshold the search missed (exhaustive over unary chains), a copy chain with a two-term step does', () => {
    // Q1.1 toward-zero: x ≥ max (code 3); Q1.1 nearest-away: x ≤ min (code −4); SQ1.1 nearest-even: x ≤ −1
    for (const [format, rounding, dir, t] of [
      ['Q1.1', 'toward-zero', 'ge', 3],
      ['Q1.1', 'nearest-away', 'le', -4],
      ['SQ1.1', 'toward-zero', 'le', -3],
    ] as const) {
      const s = setting(format, rounding, 'last');
      const unaryFns = unaryChainFunctions(s);
      const cert = found(s);
      const target = Array.from({ length: s.size }, (_, i) =>
        (dir === 'ge' ? s.min + i >= t : s.min + i <= t) ? cert.e : 0,
      );
      expect(unaryFns.has(target.join(',')), `${format} ${rounding} ${dir} ${t}`).toBe(false);
      const chain = (dir === 'ge' ? cert.ge : cert.le)[t - s.min] as CopyStep[];
      expect(chain.some((st) => st.ws.length === 2)).toBe(true);
    }
  });

  it('every gadget re-run with the BigInt reference evaluator (Q1.1 toward-zero first, SQ1.1 nearest-even last, Q1.1 nearest-away last)', () => {
    for (const [format, rounding, bias] of [
      ['Q1.1', 'toward-zero', 'first'],
      ['SQ1.1', 'nearest-even', 'last'],
      ['Q1.1', 'nearest-away', 'last'],
    ] as const) {
      const c = makeConfiguration(options(format, rounding, bias));
      const s = settingOf(c);
      const cert = found(s);
      recheckClassical(c, materializeCopyChainCertificate(s, cert), s.min, s.max);
      // each threshold chain alone, unpadded: e·[x ≥ t] / e·[x ≤ t] exactly, no overflow raised
      for (let t = s.min; t <= s.max; t++)
        for (const dir of ['ge', 'le'] as const) {
          const ch = (dir === 'ge' ? cert.ge : cert.le)[t - s.min];
          if (!ch) continue;
          const net = gadgetNet(c, copyChainGadget(ch));
          for (let x = s.min; x <= s.max; x++)
            expect(ref(net, [x])[0], `${format} ${dir} ${t} at ${x}`).toBe(
              (dir === 'ge' ? x >= t : x <= t) ? cert.e : 0,
            );
        }
    }
  });

  it('mutated chains (a weight or the bias of one step moved by one code): each is rejected by the verifier or still exactly the threshold by the reference evaluator; most are rejected', () => {
    for (const [format, rounding, bias] of [
      ['Q1.1', 'toward-zero', 'last'],
      ['SQ1.1', 'nearest-away', 'first'],
    ] as const) {
      const c = makeConfiguration(options(format, rounding, bias));
      const s = settingOf(c);
      const cert = found(s);
      let rejected = 0;
      let total = 0;
      for (let t = s.min; t <= s.max; t++)
        for (const dir of ['ge', 'le'] as const) {
          const table = dir === 'ge' ? cert.ge : cert.le;
          const ch = table[t - s.min];
          if (!ch) continue;
          for (let i = 0; i < ch.length; i++)
            for (let j = 0; j <= ch[i].ws.length; j++)
              for (const d of [-1, 1]) {
                const moved: CopyStep[] = ch.map((st, k) =>
                  k !== i
                    ? st
                    : j < st.ws.length
                      ? { ws: st.ws.map((w, l) => (l === j ? w + d : w)), b: st.b }
                      : { ws: st.ws, b: st.b + d },
                );
                const mt = [...table];
                mt[t - s.min] = moved;
                const m: CopyChainCertificate = dir === 'ge' ? { ...cert, ge: mt } : { ...cert, le: mt };
                total++;
                if (verifyCopyChainCertificate(s, m) !== null) {
                  rejected++;
                  continue;
                }
                // accepted: the mutated chain must still compute the threshold (reference evaluator)
                const net = gadgetNet(c, copyChainGadget(moved));
                for (let x = s.min; x <= s.max; x++)
                  expect(ref(net, [x])[0]).toBe((dir === 'ge' ? x >= t : x <= t) ? cert.e : 0);
              }
        }
      expect(rejected).toBeGreaterThan(total / 2);
    }
  });

  it('refuses formats above 8 values, and rejects a chain whose first step reads the input twice', () => {
    expect(copyChainsApply(setting('Q2.1', 'toward-zero', 'last'))).toMatch(/at most 8 values/);
    expect(findCopyChainCertificate(setting('Q2.1', 'toward-zero', 'last')).certificate).toBeNull();
    const s = setting('Q1.1', 'toward-zero', 'last');
    const cert = found(s);
    const i = cert.ge.findIndex((ch) => ch !== null);
    const ge = [...cert.ge];
    ge[i] = [{ ws: [s.one, s.one / 2], b: 0 }, ...(cert.ge[i] as CopyStep[]).slice(1)];
    expect(verifyCopyChainCertificate(s, { ...cert, ge })).toMatch(/reads the input more than once/);
    expect(() => copyChainGadget([{ ws: [s.one, s.one], b: 0 }])).toThrow();
  });

  it('decide: the cells are universal by a copy-chain certificate; Q1.1 nearest-even keeps its halving heads', () => {
    for (const [format, rounding, bias] of [
      ['Q1.1', 'toward-zero', 'last'],
      ['SQ1.1', 'nearest-even', 'first'],
    ] as const) {
      const v = decide(makeConfiguration(options(format, rounding, bias)));
      expect(v.verdict).toBe('universal');
      expect(v.reason).toMatch(/copy-chain certificate/);
    }
    const he = decide(makeConfiguration(options('Q1.1', 'nearest-even', 'last')));
    expect(he.verdict).toBe('universal');
    expect(he.reason).toMatch(/halving-head/);
  });
});
