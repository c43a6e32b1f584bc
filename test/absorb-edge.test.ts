import { describe, expect, it } from 'vitest';
import { absorbEdge, defaultDigits, type RowInput } from '../src/constructions/absorb-edge.js';
import { digitRowNeurons } from '../src/constructions/row-digits.js';
import type { RowNeuron } from '../src/constructions/row-kinds.js';
import { buildRamps } from '../src/constructions/two-level-ramps.js';
import { layeredSize } from '../src/engine/layered-net.js';
import type { Setting } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

/** The row neuron's output by hand: Z, entries, gate copies in order, the bias last, σ_F by table. */
function out(s: Setting, n: RowNeuron, x: RowInput): number {
  let acc = 0;
  const add = (w: number, h: number) => {
    acc = Math.max(s.min, Math.min(s.max, acc + s.mul(w, h)));
  };
  if (n.kind.z !== undefined) add(n.kind.z, s.one);
  for (const [c, e] of n.entries) add(e, x.ind(c));
  for (const p of n.pattern) add(p, x.gate);
  acc = Math.max(s.min, Math.min(s.max, acc + n.kind.b));
  return s.sigma[acc - s.min] as number;
}

const q43 = { format: 'Q4.3', activation: 'tanh' } as const;

describe('absorbed edges (absorb-edge.ts)', () => {
  it('drops one edge where the neuron keeps its output on every input, else keeps the neuron', () => {
    const s = settingOf(makeConfiguration(q43));
    let absorbed = 0;
    for (const seed of [1, 2, 3]) {
      const row = randomTable(20, s.min, s.size, seed);
      const rn = digitRowNeurons(s, row);
      expect(rn).not.toBeNull();
      for (const n of rn ?? []) {
        // the inputs: inside the row at each column of the neuron (gate 0); outside at each column and
        // at none (gate one)
        const cs = n.entries.map(([c]) => c);
        const xs: RowInput[] = [];
        for (const gate of [0, s.one])
          for (const c of gate === 0 ? cs : [...cs, -1]) xs.push({ ind: (d) => (d === c ? s.one : 0), gate });
        const m = absorbEdge(s, n, xs);
        if (m !== n) {
          absorbed++;
          expect(m.entries.length).toBe(n.entries.length - 1);
        }
        for (const x of xs) expect(out(s, m, x)).toBe(out(s, n, x));
      }
    }
    expect(absorbed).toBeGreaterThan(0);
  });

  it('default digits: inside, the row adds exactly each entry (sequentially); outside nothing; fewer edges', () => {
    const s = settingOf(makeConfiguration(q43));
    let saved = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const m = 22;
      const E = randomTable(m, s.min, s.size, seed);
      if (seed === 1) E[4] = 0;
      const rn = digitRowNeurons(s, E) ?? [];
      const cols = Array.from({ length: m }, (_, c) => c);
      // inputs 0..m−1 inside the row at column c; m..2m−1 outside at column c; 2m outside at none
      const xs: RowInput[] = [];
      for (let k = 0; k <= 2 * m; k++)
        xs.push({ ind: (d) => (k % m === d && k < 2 * m ? s.one : 0), gate: k < m ? 0 : s.one });
      const got = defaultDigits(
        s,
        rn,
        cols,
        E,
        xs,
        (k) => k % m,
        (k) => k < m,
      );
      const edges = (r: readonly RowNeuron[]) => r.reduce((a, n) => a + n.entries.length, 0);
      expect(edges(got)).toBeLessThanOrEqual(edges(rn));
      saved += edges(rn) - edges(got);
      for (let k = 0; k <= 2 * m; k++) {
        let acc = 0;
        for (const n of got) {
          const t = s.mul(n.kind.omega, out(s, n, xs[k]));
          if (k >= m) expect(t).toBe(0);
          const next = acc + t;
          expect(next).toBeGreaterThanOrEqual(s.min);
          expect(next).toBeLessThanOrEqual(s.max);
          acc = next;
        }
        expect(acc).toBe(k < m ? E[k] : 0);
      }
    }
    expect(saved).toBeGreaterThan(0);
  });

  it('tanh Q4.3, seed 1, three sums, wide groups: 1017 parameters (1034 before), exact on every input', () => {
    const c = makeConfiguration(q43);
    const s = settingOf(c);
    const table = randomTable(s.size, s.min, s.size, 1);
    const r = buildRamps(s, table, 3, true);
    expect(r).not.toBeNull();
    const net = r?.net as NonNullable<typeof r>['net'];
    expect(layeredSize(net).parameters).toBe(1017);
    const network = toNetwork(c, net);
    for (let x = s.min; x <= s.max; x++)
      expect(evaluateReference(network, [BigInt(x)])[0]).toBe(BigInt(table[x - s.min]));
  });
});
