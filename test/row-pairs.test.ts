import { describe, expect, it } from 'vitest';
import { kindsOf, rowNeurons } from '../src/constructions/row-kinds.js';
import { twoLevelGadgets } from '../src/constructions/two-level-gadgets.js';
import type { Setting } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork, verifyOnAll } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

/** round(n / 2^k) to nearest, ties to even, on integers (BigInt: exact). */
function roundHalfEven(n: bigint, k: bigint): bigint {
  const d = 1n << k;
  let q = n / d;
  let r = n % d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  if (2n * r > d || (2n * r === d && q % 2n !== 0n)) q += 1n;
  return q;
}

/**
 * The entry T a row neuron of kind (ω, b) adds for an entry weight w (nearest-even, saturate, bias
 * last), computed independently of the setting's ⊗/⊕: pre = clamp(w + b) (w ⊗ one = w is exact), then
 * σ_F from its table, then ω · v / one rounded once and clamped.
 */
function entryOf(s: Setting, omega: number, b: number, w: number): number {
  const clamp = (v: bigint) => (v < BigInt(s.min) ? s.min : v > BigInt(s.max) ? s.max : Number(v));
  const pre = clamp(BigInt(w) + BigInt(b));
  const v = s.sigma[pre - s.min];
  return clamp(roundHalfEven(BigInt(omega) * BigInt(v), BigInt(Math.log2(s.one))));
}

describe('row kinds at 16 bits', () => {
  it('softplus on Q7.8: every nonzero entry is made by some kind (targeted ω = ±(one + k))', () => {
    const s = settingOf(makeConfiguration({ format: 'Q7.8', activation: 'softplus' }));
    const made = new Uint8Array(s.size);
    for (const k of kindsOf(s)) {
      for (let t = 0; t < s.size; t++) {
        const w = k.inv[t];
        if (Number.isNaN(w)) continue;
        // each recorded weight really makes its entry
        if (entryOf(s, k.omega, k.b, w) !== s.min + t) expect(`ω ${k.omega} w ${w}`).toBe(s.min + t);
        made[t] = 1;
      }
    }
    let missing = 0;
    for (let t = 0; t < s.size; t++) if (s.min + t !== 0 && !made[t]) missing++;
    expect(missing).toBe(0);
  });

  it('tanh on Q7.8: a random row is two neurons of two-digit entries whose terms add to each entry', () => {
    const s = settingOf(makeConfiguration({ format: 'Q7.8', activation: 'tanh' }));
    const entries = randomTable(64, s.min, s.size, 7);
    entries[3] = 0;
    entries[5] = s.min;
    entries[6] = s.max;
    const rn = rowNeurons(s, kindsOf(s), entries)!;
    expect(rn).not.toBeNull();
    // σ_F ∈ [−one, one]: a single kind makes at most 2·one + 1 entries; one high and one low neuron
    expect(rn.length).toBeLessThanOrEqual(3);
    const sums = new Map<number, number[]>();
    for (const n of rn) {
      const seen = new Set<number>();
      for (const [c, w] of n.entries) {
        expect(seen.has(c)).toBe(false);
        seen.add(c);
        sums.set(c, [...(sums.get(c) ?? []), entryOf(s, n.kind.omega, n.kind.b, w)]);
      }
    }
    for (let c = 0; c < entries.length; c++) {
      const terms = sums.get(c) ?? [];
      if (entries[c] === 0) expect(terms).toEqual([]);
      else {
        // in either order each partial sum is a value (no saturation) and the total is the entry
        expect(terms.length).toBeGreaterThanOrEqual(1);
        for (const t of terms) expect(t >= s.min && t <= s.max && t !== 0).toBe(true);
        expect(terms.reduce((a, t) => a + t, 0)).toBe(entries[c]);
      }
    }
  });

  it('sigmoid on Q7.8 (σ_F ≥ 0): a random row is a negative high, a positive high and a low neuron', () => {
    const s = settingOf(makeConfiguration({ format: 'Q7.8', activation: 'sigmoid' }));
    const entries = randomTable(32, s.min, s.size, 11);
    entries[3] = 0;
    entries[5] = s.min;
    entries[6] = s.max;
    entries[7] = 256;
    const rn = rowNeurons(s, kindsOf(s), entries)!;
    expect(rn).not.toBeNull();
    expect(rn.length).toBeLessThanOrEqual(3);
    // the high neurons make entries of one sign each (the sign of ω)
    expect(new Set(rn.map((n) => Math.sign(n.kind.omega))).size).toBe(2);
    const sums = new Map<number, number[]>();
    for (const n of rn)
      for (const [c, w] of n.entries)
        sums.set(c, [...(sums.get(c) ?? []), entryOf(s, n.kind.omega, n.kind.b, w)]);
    for (let c = 0; c < entries.length; c++) {
      const terms = sums.get(c) ?? [];
      expect(terms.length).toBeLessThanOrEqual(2);
      for (const t of terms) expect(t >= s.min && t <= s.max && t !== 0).toBe(true);
      expect(terms.reduce((a, t) => a + t, 0)).toBe(entries[c]);
    }
  });

  it('tanh, d = 1 on Q5.6 (4096 inputs): two-digit rows, verified on every input', () => {
    const c = makeConfiguration({ format: 'Q5.6', activation: 'tanh' });
    const s = settingOf(c);
    const table = randomTable(s.size, s.min, s.size, 3);
    const built = twoLevelGadgets.build({ s, table, d: 1, cert: null as never })!;
    expect(built).not.toBeNull();
    const outputs = verifyOnAll(s, built.net, table, 1);
    expect(outputs).toEqual(table);
    // the BigInt reference evaluator on a sample of inputs, and a corrupted low digit breaks the net
    const network = toNetwork(c, built.net);
    for (let x = s.min; x <= s.max; x += 97)
      expect(evaluateReference(network, [BigInt(x)])[0]).toBe(BigInt(table[x - s.min]));
    const rows = built.net.layers[built.net.layers.length - 2];
    const n = rows.find((r) => r.edges.length > 8)!;
    const [src, w] = n.edges[0];
    (n.edges as Array<readonly [number, number]>)[0] = [src, w + 1];
    expect(() => verifyOnAll(s, built.net, table, 1)).toThrow(/instead of/);
  });
});
