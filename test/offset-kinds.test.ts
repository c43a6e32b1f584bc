import { describe, expect, it } from 'vitest';
import {
  bestRowNeurons,
  constantOneBias,
  kindsOf,
  offsetKindsOf,
  rowCost,
  rowNeurons,
} from '../src/constructions/row-kinds.js';
import { twoLevelGadgets } from '../src/constructions/two-level-gadgets.js';
import { layeredSize } from '../src/engine/layered-net.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

const tanh34 = () => settingOf(makeConfiguration({ format: 'Q3.4', activation: 'tanh' }));

/** tanh on codes of Q3.4 from the definition (Math.tanh is monotone and far from the ties here). */
function tanhCode(p: number): number {
  return Math.round(Math.tanh(p / 16) * 16);
}

/** n / 16 rounded to the nearest integer, ties to even (the default rounding of ⊗ on Q3.4), saturated. */
function rne16(n: number): number {
  const f = Math.floor(n / 16);
  const r = n - 16 * f;
  const q = r > 8 || (r === 8 && f % 2 !== 0) ? f + 1 : f;
  return Math.max(-128, Math.min(127, q)); // saturating overflow
}

describe('offset kinds (row-kinds.ts)', () => {
  it('tanh on Q3.4: Z = one from bias max, and every (max, −max) kind is killed outside with one copy max', () => {
    const s = tanh34();
    expect(constantOneBias(s)).toBe(s.max);
    expect(tanhCode(s.max)).toBe(16);
    const kinds = offsetKindsOf(s).filter((k) => k.z === s.max);
    expect(kinds.length).toBeGreaterThan(100);
    for (const k of kinds) {
      expect(k.b).toBe(-s.max);
      for (let t = s.min; t <= s.max; t++) {
        const w = k.inv[t - s.min];
        if (Number.isNaN(w)) continue;
        // inside: max + w − max = w exactly (w ≤ 0 keeps max + w in range), and ω ⊗ tanh(w) = t
        expect(w).toBeLessThanOrEqual(0);
        expect(w).toBeGreaterThanOrEqual(-s.max);
        const v = tanhCode(w);
        expect(rne16(k.omega * v)).toBe(t);
        // outside: max + w ∈ [0, max], + max saturates at max, − max gives 0: tanh(0) = 0
        const acc = Math.min(s.max, s.max + w + s.max);
        expect(acc + k.b).toBe(0);
      }
    }
  });

  it('(min + ε, max) kinds: 0 without an entry, 0 outside with the copies min, ε', () => {
    const s = tanh34();
    const kinds = offsetKindsOf(s).filter((k) => k.z === s.min + 1);
    expect(kinds.length).toBeGreaterThan(100);
    for (const k of kinds) {
      expect(k.b).toBe(s.max);
      expect(s.min + 1 + k.b).toBe(0); // no entry: tanh(0) = 0
      for (let t = s.min; t <= s.max; t++) {
        const w = k.inv[t - s.min];
        if (Number.isNaN(w)) continue;
        // inside: min + ε + w (saturated at min when w < 0), + max
        const clamp = (a: number) => Math.max(s.min, Math.min(s.max, a));
        const first = clamp(s.min + 1 + w);
        expect(rne16(k.omega * tanhCode(first + k.b))).toBe(t);
        // outside: + min saturates at min, + ε, + max = 0
        expect(clamp(first + s.min)).toBe(s.min);
        expect(Math.max(s.min, s.min + 1 + w + s.min) + 1 + k.b).toBe(0);
      }
    }
  });

  it('a row with min is covered by offset kinds through two halves of one sign', () => {
    const s = tanh34();
    const row = new Int32Array([s.min, 5, -77, 0, 100, s.min + 1, 33, -3]);
    const negative = offsetKindsOf(s).filter((k) => k.z === s.max);
    expect(rowNeurons(s, negative, row)).toBeNull(); // min itself is no term ω ⊗ tanh(w ≤ 0)
    const rn = rowNeurons(s, negative, row, true)!;
    expect(rn).not.toBeNull();
    const terms = new Map<number, number[]>();
    for (const n of rn) {
      expect(n.pattern).toEqual([s.max]);
      for (const [c, w] of n.entries) {
        const v = tanhCode(n.kind.z! + w - s.max);
        terms.set(c, [...(terms.get(c) ?? []), rne16(n.kind.omega * v)]);
      }
    }
    for (let c = 0; c < row.length; c++) {
      const t = terms.get(c) ?? [];
      expect(t.reduce((a, b) => a + b, 0)).toBe(row[c]);
      expect(t.length).toBe(row[c] === s.min ? 2 : row[c] === 0 ? 0 : 1);
    }
    // cheaper than the classic cover with its four gate copies
    const classic = rowNeurons(s, kindsOf(s), row)!;
    expect(rowCost(rn, 3)).toBeLessThan(rowCost(classic, 3));
    expect(rowCost(bestRowNeurons(s, kindsOf(s), row)!, 3)).toBeLessThanOrEqual(rowCost(rn, 3));
  });

  it('tanh, d = 2 on Q2.2: the network uses Z and one gate copy, and is exact on every input', () => {
    const o = { format: 'Q2.2', activation: 'tanh' };
    const conf = makeConfiguration(o);
    const s = settingOf(conf);
    const table = randomTable(s.size ** 2, s.min, s.size, 4);
    const c = twoLevelGadgets.build({
      s,
      table,
      d: 2,
      get cert(): never {
        throw new Error('no certificate');
      },
    })!;
    expect(c).not.toBeNull();
    const rowsLayer = c.net.layers[c.net.layers.length - 2];
    const zIndex = c.net.layers[c.net.layers.length - 3].findIndex((n) => n.edges.length === 0);
    expect(zIndex).toBeGreaterThanOrEqual(0);
    expect(rowsLayer.some((n) => n.edges[0][0] === zIndex && n.edges[0][1] === s.max)).toBe(true);
    const network = toNetwork(conf, c.net);
    for (let i = 0; i < table.length; i++) {
      const x = [BigInt(s.min + Math.floor(i / s.size)), BigInt(s.min + (i % s.size))];
      expect(evaluateReference(network, x)[0]).toBe(BigInt(table[i]));
    }
    expect(layeredSize(c.net).parameters).toBeLessThan(4 * table.length);
  });
});
